import { type LoggerService, type LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, type AppModuleOptions } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { jsonBody } from './common/json-body.middleware';

const MAX_BODY = '100kb';

/** Options of {@link createApp}. */
export interface CreateAppOptions extends AppModuleOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * The demo API as `main.ts` runs it and the e2e tests exercise it: JSON bodies up to 100 KB,
 * strict validation, uniform errors and the OpenAPI document at `/docs`.
 */
export async function createApp({ logger, ...options }: CreateAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), { bodyParser: false, ...(logger === undefined ? {} : { logger }) });
  return configureApp(app);
}

/**
 * The HTTP setup of {@link createApp}, for an app built around `AppModule` by other means
 * (the benchmark server adds its comparison routes). The app must be created with `bodyParser: false`.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.use(...jsonBody(MAX_BODY));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ApiExceptionFilter());
  const openApi = new DocumentBuilder().setTitle('nestkit/auth demo API').setDescription('The demo API of @nestkit/auth').setVersion('0.1.0').addBearerAuth().build();
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, openApi));
  return app;
}

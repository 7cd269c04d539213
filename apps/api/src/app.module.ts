import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule, JwtGuard } from '@nestkit/auth';
import { AuthController } from './auth/auth.controller';
import { authThrottlers } from './auth/auth-throttling';
import { JwksController } from './auth/jwks.controller';
import { AuthOptionsFromEnvironment } from './config/auth-options.factory';
import { type Environment, validateEnvironment } from './config/environment';
import { HealthModule } from './health/health.module';
import { UsersModule } from './users/users.module';

/** Where the API's database is; `main.ts` resolves it before the app starts. */
export interface AppModuleOptions {
  mongoUri: string;
}

/**
 * Root module of the demo API: configuration, MongoDB, `@nestkit/auth` with `JwtGuard` as
 * the global guard, users, throttling and the health check.
 */
@Module({})
export class AppModule {
  static forRoot({ mongoUri }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        MongooseModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => ({
            uri: mongoUri,
            bufferCommands: false,
            serverSelectionTimeoutMS: config.get('DATABASE_TIMEOUT_MS', { infer: true }),
          }),
        }),
        AuthModule.forRootAsync({ useClass: AuthOptionsFromEnvironment }),
        ThrottlerModule.forRootAsync({ inject: [ConfigService], useFactory: authThrottlers }),
        UsersModule,
        HealthModule,
      ],
      controllers: [AuthController, JwksController],
      providers: [{ provide: APP_GUARD, useClass: JwtGuard }],
    };
  }
}

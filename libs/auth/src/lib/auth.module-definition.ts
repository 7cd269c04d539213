import { ConfigurableModuleBuilder, type ConfigurableModuleOptionsFactory, type DynamicModule, Inject } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { AUTH_DEFAULTS, REFRESH_TOKEN_MODEL } from './auth.constants';
import type { AuthModuleOptions } from './auth.options';
import { RefreshTokenSchema } from './schemas/refresh-token.schema';

/**
 * Options decided where the module is imported, beside the `forRoot` options or the
 * `useFactory`: they shape the module (its connection and collection), so a factory cannot supply them.
 *
 * @publicApi
 */
export interface AuthModuleExtras {
  /** Register the module globally, so `JwtGuard` and `AuthService` need no import elsewhere. Default false. */
  isGlobal?: boolean;
  /** The `@nestjs/mongoose` connection to keep refresh tokens in. Default: the default connection. */
  connectionName?: string;
  /** The collection of refresh tokens. Default `refresh_tokens`. */
  collectionName?: string;
}

/**
 * `ConfigurableAuthModule` is the base class of `AuthModule`; `AUTH_MODULE_OPTIONS` is the
 * injection token of the options as given to `forRoot` / `forRootAsync` (before defaults;
 * prefer `@InjectAuthOptions()`).
 *
 * @publicApi
 */
export const { ConfigurableModuleClass: ConfigurableAuthModule, MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS } = new ConfigurableModuleBuilder<AuthModuleOptions>({ moduleName: 'Auth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createAuthOptions')
  .setExtras<AuthModuleExtras>({ isGlobal: false }, withRefreshTokenModel)
  .build();

function withRefreshTokenModel(definition: DynamicModule, extras: AuthModuleExtras): DynamicModule {
  const collection = extras.collectionName ?? AUTH_DEFAULTS.collectionName;
  const modelName = `NestkitRefreshToken:${collection}`;
  return {
    ...definition,
    global: extras.isGlobal,
    imports: [...(definition.imports ?? []), MongooseModule.forFeature([{ name: modelName, schema: RefreshTokenSchema, collection }], extras.connectionName)],
    providers: [...(definition.providers ?? []), { provide: REFRESH_TOKEN_MODEL, useExisting: getModelToken(modelName, extras.connectionName) }],
  };
}

/**
 * What a `useClass` / `useExisting` provider of `AuthModule.forRootAsync` implements.
 *
 * @example
 * @Injectable()
 * class AuthConfig implements AuthOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createAuthOptions(): AuthModuleOptions {
 *     return { issuer: 'https://api.example.com', audience: 'api', secret: this.config.getOrThrow('JWT_SECRET') };
 *   }
 * }
 *
 * @publicApi
 */
export type AuthOptionsFactory = ConfigurableModuleOptionsFactory<AuthModuleOptions, 'createAuthOptions'>;

/**
 * Injects the options given to `AuthModule.forRoot` / `forRootAsync`.
 *
 * @example
 * constructor(@InjectAuthOptions() private readonly authOptions: AuthModuleOptions) {}
 *
 * @publicApi
 */
export const InjectAuthOptions = (): ParameterDecorator & PropertyDecorator => Inject(AUTH_MODULE_OPTIONS);

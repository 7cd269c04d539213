import { Module } from '@nestjs/common';
import { AUTH_MODULE_OPTIONS, ConfigurableAuthModule } from './auth.module-definition';
import { RESOLVED_AUTH_OPTIONS } from './auth.constants';
import { type AuthModuleOptions, resolveAuthOptions } from './auth.options';
import { AuthService } from './auth.service';
import { JwtGuard } from './jwt.guard';
import { RefreshTokenStore } from './refresh-token.store';
import { AccessTokenService } from './tokens/access-token';

/**
 * JWT access tokens, refresh sessions in MongoDB and `JwtGuard`. Import it once, with
 * `forRoot(options)` or `forRootAsync({ imports, inject, useFactory | useClass | useExisting })`,
 * after `MongooseModule.forRoot(...)`. Options are checked when the app starts.
 *
 * @example
 * AuthModule.forRoot({ issuer: 'https://api.example.com', audience: 'api', secret: process.env.JWT_SECRET })
 *
 * @publicApi
 */
@Module({
  providers: [
    { provide: RESOLVED_AUTH_OPTIONS, inject: [AUTH_MODULE_OPTIONS], useFactory: (options: AuthModuleOptions) => resolveAuthOptions(options) },
    AccessTokenService,
    RefreshTokenStore,
    AuthService,
    JwtGuard,
  ],
  exports: [AuthService, JwtGuard],
})
export class AuthModule extends ConfigurableAuthModule {}

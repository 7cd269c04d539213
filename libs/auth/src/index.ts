export { AuthModule } from './lib/auth.module';
export { AUTH_MODULE_OPTIONS, InjectAuthOptions } from './lib/auth.module-definition';
export type { AuthModuleExtras, AuthOptionsFactory } from './lib/auth.module-definition';
export type { AuthModuleOptions } from './lib/auth.options';
export { AuthService } from './lib/auth.service';
export type {
  AuthIdentity,
  GenerateAccessTokenResult,
  GeneratedRefreshToken,
  IssuedTokens,
  RefreshFailureReason,
  RefreshResult,
  RefreshTokenInfoResult,
  RefreshTokenValidity,
  SessionContext,
  SessionInfo,
} from './lib/auth.types';
export { AuthConfigurationError, AuthStoreUnavailableError, InvalidIdentityError } from './lib/auth.errors';
export { IS_PUBLIC_KEY } from './lib/auth.constants';
export { JwtGuard, AuthenticationException } from './lib/jwt.guard';
export type { AuthenticationFailureReason } from './lib/jwt.guard';
export { Public } from './lib/decorators/public.decorator';
export { CurrentUser } from './lib/decorators/current-user.decorator';
export type { AccessTokenClaims, AccessTokenVerification, InvalidAccessTokenReason } from './lib/tokens/access-token';
export type { AuthAlgorithm, AuthKeyOptions, KeyMaterial } from './lib/tokens/signing-keys';
export type { JsonWebKeySet, PublicJsonWebKey } from './lib/tokens/jwks';
export { RefreshToken, RefreshTokenSchema } from './lib/schemas/refresh-token.schema';
export type { RevokeReason } from './lib/schemas/refresh-token.schema';

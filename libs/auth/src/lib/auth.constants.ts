/** Metadata key set by `@Public()`; read by `JwtGuard`. */
export const IS_PUBLIC_KEY = 'nestkit:auth:public';

/** The JWT `typ` header of access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Claims the module sets itself; an identity may not carry them. */
export const RESERVED_CLAIMS = ['sub', 'email', 'sid', 'jti', 'iat', 'exp', 'nbf', 'iss', 'aud'] as const;

/** Default lifetimes and limits, in seconds unless named otherwise. */
export const AUTH_DEFAULTS = {
  accessTokenTtl: 15 * 60,
  refreshTokenTtl: 10 * 24 * 60 * 60,
  clockToleranceSeconds: 0,
  reuseWindowSeconds: 10,
  sweepIntervalSeconds: 10 * 60,
  collectionName: 'refresh_tokens',
} as const;

/** Upper bound of `clockToleranceSeconds`. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;

/** Largest access token the guard and `isJwtTokenValid` accept, in bytes. */
export const MAX_ACCESS_TOKEN_BYTES = 8 * 1024;

/** Injection token of the validated options (internal). */
export const RESOLVED_AUTH_OPTIONS = Symbol('nestkit:auth:resolved-options');

/** Injection token of the refresh-token mongoose model (internal). */
export const REFRESH_TOKEN_MODEL = Symbol('nestkit:auth:refresh-token-model');

/** The request property `JwtGuard` sets to the verified claims. */
export const AUTH_REQUEST_PROPERTY = 'user';

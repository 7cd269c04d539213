import type { RevokeReason } from './schemas/refresh-token.schema';

/**
 * Who a session is for: the app's user id and e-mail, plus extra claims to copy into every
 * access token of the session (names the module sets itself are refused).
 *
 * @publicApi
 */
export interface AuthIdentity {
  sub: string;
  email: string;
  [claim: string]: unknown;
}

/**
 * Where a login or refresh comes from; stored with the session for listing.
 *
 * @publicApi
 */
export interface SessionContext {
  userAgent?: string;
  ip?: string;
}

/**
 * A token pair, as returned by a login (`issueTokens`) or a refresh.
 *
 * @publicApi
 */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access-token lifetime in seconds. */
  expiresIn: number;
  accessTokenExpiresAt: Date;
  /** End of the session's absolute lifetime. */
  refreshExpiresAt: Date;
  sessionId: string;
}

/**
 * Why a refresh token was not accepted.
 *
 * @publicApi
 */
export type RefreshFailureReason = 'refresh_invalid' | 'refresh_expired' | 'refresh_revoked' | 'refresh_reused';

/**
 * Result of `refresh`.
 *
 * @publicApi
 */
export type RefreshResult = { status: 'ok'; tokens: IssuedTokens } | { status: 'failed'; reason: RefreshFailureReason };

/**
 * Result of the seed's `generate_access_token`: a fresh pair with `expired: false`, or the
 * reason the refresh token was refused (`expired: true` when it had expired).
 *
 * @publicApi
 */
export type GenerateAccessTokenResult =
  | ({ expired: false } & IssuedTokens)
  | { expired: boolean; error: RefreshFailureReason };

/**
 * Result of the seed's `is_refresh_token_valid`. A rotated token is `revoked` with reason `rotated`.
 *
 * @publicApi
 */
export type RefreshTokenValidity =
  | { status: 'valid' }
  | { status: 'expired' }
  | { status: 'revoked'; reason: RevokeReason | 'rotated' }
  | { status: 'invalid' };

/**
 * Result of the seed's `generate_refresh_token`: a new opaque token, not yet stored.
 *
 * @publicApi
 */
export interface GeneratedRefreshToken {
  refreshToken: string;
  expiresAt: Date;
}

/**
 * An active session, metadata only (never a token or its hash).
 *
 * @publicApi
 */
export interface SessionInfo {
  sessionId: string;
  sub: string;
  email: string;
  /** The login. */
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/**
 * Result of the seed's `get_refresh_token_info`.
 *
 * @publicApi
 */
export type RefreshTokenInfoResult = { status: 'ok'; sessions: SessionInfo[] } | { status: 'error'; error: 'database_unavailable' };

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESERVED_CLAIMS, RESOLVED_AUTH_OPTIONS } from './auth.constants';
import { AuthStoreUnavailableError, InvalidIdentityError } from './auth.errors';
import type { ResolvedAuthOptions } from './auth.options';
import type {
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
} from './auth.types';
import { type RefreshTokenRecord, RefreshTokenStore, type SessionOwner } from './refresh-token.store';
import { AccessTokenService, type AccessTokenVerification } from './tokens/access-token';
import { type JsonWebKeySet, publicJwks } from './tokens/jwks';
import { createRefreshToken, hashRefreshToken, isWellFormedRefreshToken } from './tokens/refresh-token';

interface NewToken {
  token: string;
  record: RefreshTokenRecord;
}

/**
 * Issues, checks, rotates and revokes tokens. The five methods of the original script keep
 * their names (`generateAccessToken`, `isJwtTokenValid`, `generateRefreshToken`,
 * `isRefreshTokenValid`, `getRefreshTokenInfo`) and return discriminated unions.
 *
 * Methods that touch the database throw {@link AuthStoreUnavailableError} when it fails
 * (map it to 503), except `getRefreshTokenInfo`, which returns an error result.
 *
 * @publicApi
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('AuthModule');
  private readonly jwks: JsonWebKeySet;

  constructor(
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly accessTokens: AccessTokenService,
    private readonly store: RefreshTokenStore,
  ) {
    this.jwks = publicJwks(options.keyring);
  }

  /**
   * The JWK Set of the public keys that verify access tokens (asymmetric keys only, active and
   * verify-only), for `GET /.well-known/jwks.json`. Empty with HS256.
   */
  getJwks(): JsonWebKeySet {
    return this.jwks;
  }

  /**
   * Starts a session (a login): stores a new refresh token and signs an access token.
   *
   * @throws InvalidIdentityError when `sub` or `email` is missing or a reserved claim is set.
   * @throws AuthStoreUnavailableError when the database fails.
   */
  async issueTokens(identity: AuthIdentity, context: SessionContext = {}): Promise<IssuedTokens> {
    const { sub, email, ...claims } = checkIdentity(identity);
    const now = this.now();
    const fresh = this.newToken(
      { sessionId: randomUUID(), sub, email: normalizeEmail(email), claims, authenticatedAt: now, expiresAt: this.sessionExpiry(now) },
      context,
      now,
    );
    await this.store.insert(fresh.record);
    return this.pairFor(fresh);
  }

  /**
   * Exchanges a refresh token for a new pair (rotation). A token presented again after its
   * rotation gets a new pair in the same session within the reuse window (a client retry);
   * after it, the whole session is revoked and the result is `refresh_reused`.
   *
   * @throws AuthStoreUnavailableError when the database fails; the token is then not consumed.
   */
  async refresh(refreshToken: unknown, context: SessionContext = {}): Promise<RefreshResult> {
    if (!isWellFormedRefreshToken(refreshToken)) return failed('refresh_invalid');
    const tokenHash = hashRefreshToken(refreshToken);
    const now = this.now();
    const current = await this.store.findByHash(tokenHash);
    if (!current) return failed('refresh_invalid');
    const unusable = this.lifetimeFailure(current, now);
    if (unusable) return failed(unusable);

    if (current.rotatedAt !== null && !this.withinReuseWindow(current.rotatedAt, now)) return this.reuseDetected(current, now);
    const successor = this.newToken(current, context, now);
    await this.store.insert(successor.record);
    if (current.rotatedAt === null && (await this.store.rotate(tokenHash, successor.record.tokenHash, now))) {
      return { status: 'ok', tokens: this.pairFor(successor) };
    }
    return this.settleConcurrentUse(tokenHash, successor, now);
  }

  /**
   * The seed's `generate_access_token`: a new pair from the refresh token of `email`.
   *
   * @throws AuthStoreUnavailableError when the database fails.
   */
  async generateAccessToken(details: { email: string; refreshToken: string }, context: SessionContext = {}): Promise<GenerateAccessTokenResult> {
    const validity = await this.isRefreshTokenValid(details?.email, details?.refreshToken);
    if (validity.status === 'invalid') return { expired: false, error: 'refresh_invalid' };
    const result = await this.refresh(details.refreshToken, context);
    if (result.status === 'failed') return { expired: result.reason === 'refresh_expired', error: result.reason };
    return { expired: false, ...result.tokens };
  }

  /** The seed's `is_jwt_token_valid`: checks an access token without touching the database. */
  isJwtTokenValid(token: unknown): AccessTokenVerification {
    return this.accessTokens.verify(token);
  }

  /** The seed's `generate_refresh_token`: a new opaque token and the expiry a session started now would have. Nothing is stored. */
  generateRefreshToken(): GeneratedRefreshToken {
    return { refreshToken: createRefreshToken(), expiresAt: this.sessionExpiry(this.now()) };
  }

  /**
   * The seed's `is_refresh_token_valid`: whether `token` is a current refresh token of `email`. Read-only.
   *
   * @throws AuthStoreUnavailableError when the database fails.
   */
  async isRefreshTokenValid(email: unknown, token: unknown): Promise<RefreshTokenValidity> {
    if (typeof email !== 'string' || !isWellFormedRefreshToken(token)) return { status: 'invalid' };
    const record = await this.store.findByHash(hashRefreshToken(token));
    if (!record || record.email !== normalizeEmail(email)) return { status: 'invalid' };
    if (record.revokedAt) return { status: 'revoked', reason: record.revokeReason ?? 'session_revoked' };
    if (this.lifetimeFailure(record, this.now())) return { status: 'expired' };
    if (record.rotatedAt) return { status: 'revoked', reason: 'rotated' };
    return { status: 'valid' };
  }

  /** The seed's `get_refresh_token_info`: the active sessions of `email`, or an error result when the database fails. */
  async getRefreshTokenInfo(email: unknown): Promise<RefreshTokenInfoResult> {
    if (typeof email !== 'string') return { status: 'ok', sessions: [] };
    try {
      return { status: 'ok', sessions: await this.sessionsOf({ email: normalizeEmail(email) }) };
    } catch (error) {
      if (error instanceof AuthStoreUnavailableError) return { status: 'error', error: 'database_unavailable' };
      throw error;
    }
  }

  /**
   * The active sessions of a user, newest first.
   *
   * @throws AuthStoreUnavailableError when the database fails.
   */
  listSessions(sub: string): Promise<SessionInfo[]> {
    return this.sessionsOf({ sub: String(sub) });
  }

  /**
   * Logout: revokes the session of a refresh token. Idempotent; false when there was nothing to revoke.
   *
   * @throws AuthStoreUnavailableError when the database fails.
   */
  async revoke(refreshToken: unknown): Promise<boolean> {
    if (!isWellFormedRefreshToken(refreshToken)) return false;
    const record = await this.store.findByHash(hashRefreshToken(refreshToken));
    if (!record) return false;
    return (await this.store.revokeSession(record.sessionId, 'logout', this.now())) > 0;
  }

  /**
   * Logout everywhere: revokes every session of a user; the number of tokens revoked.
   *
   * @throws AuthStoreUnavailableError when the database fails.
   */
  revokeAll(sub: string): Promise<number> {
    return this.store.revokeAllOf(String(sub), 'logout_all', this.now());
  }

  /**
   * Revokes one session of a user. `not_found` for an unknown id, another user's session or one already ended.
   *
   * @throws AuthStoreUnavailableError when the database fails.
   */
  async revokeSession(sub: string, sessionId: string): Promise<'revoked' | 'not_found'> {
    if (typeof sessionId !== 'string') return 'not_found';
    const revoked = await this.store.revokeSession(sessionId, 'session_revoked', this.now(), String(sub));
    return revoked > 0 ? 'revoked' : 'not_found';
  }

  // Reached when the compare-and-set lost (another request rotated the token first) or when
  // the token was already rotated within the reuse window. The successor is kept only if,
  // read after it was inserted, the session is still usable and the rotation is recent; a
  // revocation that lands later covers the successor too, since it is already stored.
  private async settleConcurrentUse(tokenHash: string, successor: NewToken, now: Date): Promise<RefreshResult> {
    const latest = await this.store.findByHash(tokenHash);
    const unusable = latest ? this.lifetimeFailure(latest, now) : 'refresh_invalid';
    const rotatedAt = latest?.rotatedAt;
    if (!unusable && rotatedAt && this.withinReuseWindow(rotatedAt, now)) return { status: 'ok', tokens: this.pairFor(successor) };
    await this.store.deleteByHash(successor.record.tokenHash);
    if (unusable || !latest || !rotatedAt) return failed(unusable ?? 'refresh_invalid');
    return this.reuseDetected(latest, now);
  }

  private async reuseDetected(record: RefreshTokenRecord, now: Date): Promise<RefreshResult> {
    await this.store.revokeSession(record.sessionId, 'reuse_detected', now);
    this.logger.warn(`refresh token reuse detected: session ${record.sessionId} of sub ${record.sub} revoked`);
    return failed('refresh_reused');
  }

  private lifetimeFailure(record: RefreshTokenRecord, now: Date): RefreshFailureReason | undefined {
    if (record.revokedAt) return 'refresh_revoked';
    if (record.expiresAt.getTime() <= now.getTime()) return 'refresh_expired';
    const idle = this.options.idleTimeoutMs;
    if (idle !== undefined && record.lastUsedAt.getTime() + idle <= now.getTime()) return 'refresh_expired';
    return undefined;
  }

  // The absolute end of a session started at `start`; rotations copy it, never extend it.
  private sessionExpiry(start: Date): Date {
    return new Date(start.getTime() + this.options.refreshTokenTtl * 1000);
  }

  private withinReuseWindow(rotatedAt: Date, now: Date): boolean {
    return this.options.reuseWindowMs > 0 && now.getTime() - rotatedAt.getTime() <= this.options.reuseWindowMs;
  }

  private newToken(
    session: Pick<RefreshTokenRecord, 'sessionId' | 'sub' | 'email' | 'claims' | 'authenticatedAt' | 'expiresAt'>,
    context: SessionContext,
    now: Date,
  ): NewToken {
    const token = createRefreshToken();
    return {
      token,
      record: {
        tokenHash: hashRefreshToken(token),
        sessionId: session.sessionId,
        sub: session.sub,
        email: session.email,
        claims: session.claims,
        createdAt: now,
        authenticatedAt: session.authenticatedAt,
        expiresAt: session.expiresAt,
        rotatedAt: null,
        replacedBy: null,
        revokedAt: null,
        revokeReason: null,
        lastUsedAt: now,
        userAgent: optionalString(context.userAgent),
        ip: optionalString(context.ip),
      },
    };
  }

  private pairFor({ token, record }: NewToken): IssuedTokens {
    const access = this.accessTokens.sign({ sub: record.sub, email: record.email, sid: record.sessionId, claims: record.claims });
    return {
      accessToken: access.token,
      refreshToken: token,
      tokenType: 'Bearer',
      expiresIn: this.options.accessTokenTtl,
      accessTokenExpiresAt: new Date(access.expiresAt * 1000),
      refreshExpiresAt: record.expiresAt,
      sessionId: record.sessionId,
    };
  }

  private async sessionsOf(owner: SessionOwner): Promise<SessionInfo[]> {
    const current = await this.store.listCurrent(owner, this.now());
    const newestPerSession = new Map<string, RefreshTokenRecord>();
    for (const record of current) if (!newestPerSession.has(record.sessionId)) newestPerSession.set(record.sessionId, record);
    return [...newestPerSession.values()].map(toSessionInfo);
  }

  private now(): Date {
    return new Date(this.options.now());
  }
}

function failed(reason: RefreshFailureReason): RefreshResult {
  return { status: 'failed', reason };
}

function checkIdentity(identity: AuthIdentity): AuthIdentity {
  if (!identity || typeof identity.sub !== 'string' || identity.sub === '') throw new InvalidIdentityError('the identity needs a non-empty string `sub`');
  if (typeof identity.email !== 'string' || identity.email.trim() === '') throw new InvalidIdentityError('the identity needs a non-empty string `email`');
  const reserved = RESERVED_CLAIMS.filter((claim) => claim !== 'sub' && claim !== 'email' && claim in identity);
  if (reserved.length > 0) throw new InvalidIdentityError(`the identity sets reserved claims (${reserved.join(', ')}); the module sets them itself`);
  return identity;
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, 512) : null;
}

function toSessionInfo(record: RefreshTokenRecord): SessionInfo {
  return {
    sessionId: record.sessionId,
    sub: record.sub,
    email: record.email,
    createdAt: record.authenticatedAt,
    lastUsedAt: record.lastUsedAt,
    expiresAt: record.expiresAt,
    userAgent: record.userAgent,
    ip: record.ip,
  };
}

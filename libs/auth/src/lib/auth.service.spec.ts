import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { AuthStoreUnavailableError, InvalidIdentityError } from './auth.errors';
import { createAuthTestingModule, TestClock, testAuthOptions } from './auth.fixtures';
import type { AuthModuleOptions } from './auth.options';
import { AuthService } from './auth.service';
import type { IssuedTokens, RefreshResult } from './auth.types';
import { RefreshTokenStore } from './refresh-token.store';
import { hashRefreshToken } from './tokens/refresh-token';

const DAY = 24 * 60 * 60;

describe('AuthService', () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  let service: AuthService;
  let clock: TestClock;
  let tokens: Collection;
  let collectionCounter = 0;

  beforeAll(async () => {
    db = await createTestDatabase('auth_service');
  });

  afterAll(async () => {
    await db.drop();
  });

  async function start(overrides: Partial<AuthModuleOptions> = {}): Promise<void> {
    await moduleRef?.close();
    clock = new TestClock();
    const collectionName = `refresh_tokens_${++collectionCounter}`;
    moduleRef = await createAuthTestingModule(db, testAuthOptions({ clock: clock.now, ...overrides }), { collectionName });
    service = moduleRef.get(AuthService);
    tokens = db.connection.collection(collectionName);
  }

  afterEach(async () => {
    await moduleRef?.close();
  });

  const alice = { sub: 'user-alice', email: 'Alice@Example.com', role: 'admin' };
  const login = (identity = alice) => service.issueTokens(identity, { userAgent: 'jest', ip: '127.0.0.1' });
  const okTokens = (result: RefreshResult): IssuedTokens => {
    if (result.status !== 'ok') throw new Error(`refresh failed: ${result.reason}`);
    return result.tokens;
  };

  describe('issueTokens (login)', () => {
    beforeEach(() => start());

    it('returns a pair whose access token carries the identity and the session', async () => {
      const pair = await login();

      expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresAt: new Date(clock.current + 10 * DAY * 1000) });
      expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const verification = service.isJwtTokenValid(pair.accessToken);
      expect(verification).toEqual({
        status: 'valid',
        claims: {
          sub: 'user-alice',
          email: 'alice@example.com',
          role: 'admin',
          sid: pair.sessionId,
          jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
          iat: clock.current / 1000,
          exp: clock.current / 1000 + 900,
          iss: 'https://auth.test',
          aud: 'test-api',
        },
      });
    });

    it('stores one document with the SHA-256 of the token and never the token itself', async () => {
      const pair = await login();

      const stored = await tokens.find({}).toArray();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        tokenHash: hashRefreshToken(pair.refreshToken),
        sessionId: pair.sessionId,
        sub: 'user-alice',
        email: 'alice@example.com',
        claims: { role: 'admin' },
        rotatedAt: null,
        revokedAt: null,
        userAgent: 'jest',
        ip: '127.0.0.1',
      });
      expect(JSON.stringify(stored)).not.toContain(pair.refreshToken);
    });

    it.each([
      [{ sub: '', email: 'a@b.c' }, 'the identity needs a non-empty string `sub`'],
      [{ sub: 'u', email: '  ' }, 'the identity needs a non-empty string `email`'],
      [{ sub: 'u', email: 'a@b.c', sid: 'forged', exp: 1 }, 'the identity sets reserved claims (sid, exp); the module sets them itself'],
    ])('refuses the identity %j', async (identity, message) => {
      await expect(service.issueTokens(identity)).rejects.toThrow(new InvalidIdentityError(message));
      expect(await tokens.countDocuments()).toBe(0);
    });
  });

  describe('isJwtTokenValid (seed: is_jwt_token_valid)', () => {
    beforeEach(() => start());

    it('is valid until exp, then expired', async () => {
      const { accessToken } = await login();
      clock.advance(899);
      expect(service.isJwtTokenValid(accessToken).status).toBe('valid');
      clock.advance(1);
      expect(service.isJwtTokenValid(accessToken)).toEqual({ status: 'expired' });
    });

    it('is invalid for anything else, with a reason', async () => {
      const { refreshToken } = await login();
      expect(service.isJwtTokenValid(refreshToken)).toEqual({ status: 'invalid', reason: 'malformed' });
      expect(service.isJwtTokenValid(undefined)).toEqual({ status: 'invalid', reason: 'malformed' });
    });
  });

  describe('generateRefreshToken (seed: generate_refresh_token)', () => {
    beforeEach(() => start());

    it('returns 256 random bits, base64url, expiring in 10 days, and stores nothing', async () => {
      const first = service.generateRefreshToken();
      const second = service.generateRefreshToken();

      expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(first.refreshToken, 'base64url')).toHaveLength(32);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(first.expiresAt).toEqual(new Date(clock.current + 10 * DAY * 1000));
      expect(await tokens.countDocuments()).toBe(0);
    });

    it('follows refreshTokenTtl', async () => {
      await start({ refreshTokenTtl: 3600 });
      expect(service.generateRefreshToken().expiresAt).toEqual(new Date(clock.current + 3600 * 1000));
    });
  });

  describe('isRefreshTokenValid (seed: is_refresh_token_valid)', () => {
    beforeEach(() => start());

    it('is valid for the current token of that email, whatever its case', async () => {
      const { refreshToken } = await login();
      expect(await service.isRefreshTokenValid('ALICE@example.com', refreshToken)).toEqual({ status: 'valid' });
    });

    it('is invalid for an unknown token, another email, a malformed token or an operator object', async () => {
      const { refreshToken } = await login();
      const unknown = service.generateRefreshToken().refreshToken;

      expect(await service.isRefreshTokenValid('alice@example.com', unknown)).toEqual({ status: 'invalid' });
      expect(await service.isRefreshTokenValid('bob@example.com', refreshToken)).toEqual({ status: 'invalid' });
      expect(await service.isRefreshTokenValid('alice@example.com', `${refreshToken}x`)).toEqual({ status: 'invalid' });
      expect(await service.isRefreshTokenValid({ $gt: '' }, refreshToken)).toEqual({ status: 'invalid' });
      expect(await service.isRefreshTokenValid('alice@example.com', { $ne: null })).toEqual({ status: 'invalid' });
    });

    it('is expired after the session lifetime', async () => {
      const { refreshToken } = await login();
      clock.advance(10 * DAY);
      expect(await service.isRefreshTokenValid(alice.email, refreshToken)).toEqual({ status: 'expired' });
    });

    it('is revoked after logout, and revoked as rotated after a refresh', async () => {
      const first = await login();
      const second = await login();
      await service.refresh(first.refreshToken);
      await service.revoke(second.refreshToken);

      expect(await service.isRefreshTokenValid(alice.email, first.refreshToken)).toEqual({ status: 'revoked', reason: 'rotated' });
      expect(await service.isRefreshTokenValid(alice.email, second.refreshToken)).toEqual({ status: 'revoked', reason: 'logout' });
    });
  });

  describe('generateAccessToken (seed: generate_access_token)', () => {
    beforeEach(() => start());

    it('returns a fresh access token and the rotated refresh token with expired: false', async () => {
      const { refreshToken } = await login();
      clock.advance(60);

      const result = await service.generateAccessToken({ email: alice.email, refreshToken });

      expect(result).toMatchObject({ expired: false, tokenType: 'Bearer', accessTokenExpiresAt: new Date(clock.current + 900 * 1000) });
      if ('error' in result) throw new Error(result.error);
      expect(result.refreshToken).not.toBe(refreshToken);
      expect(service.isJwtTokenValid(result.accessToken).status).toBe('valid');
    });

    it('fails for another email without consuming the token', async () => {
      const { refreshToken } = await login();
      expect(await service.generateAccessToken({ email: 'mallory@example.com', refreshToken })).toEqual({ expired: false, error: 'refresh_invalid' });
      expect(await service.isRefreshTokenValid(alice.email, refreshToken)).toEqual({ status: 'valid' });
    });

    it('reports expired: true after the session lifetime', async () => {
      const { refreshToken } = await login();
      clock.advance(10 * DAY);
      expect(await service.generateAccessToken({ email: alice.email, refreshToken })).toEqual({ expired: true, error: 'refresh_expired' });
    });

    it('reports a revoked token', async () => {
      const { refreshToken } = await login();
      await service.revoke(refreshToken);
      expect(await service.generateAccessToken({ email: alice.email, refreshToken })).toEqual({ expired: false, error: 'refresh_revoked' });
    });
  });

  describe('getRefreshTokenInfo (seed: get_refresh_token_info)', () => {
    beforeEach(() => start());

    it('lists the active sessions of an email, metadata only', async () => {
      const first = await login();
      clock.advance(5);
      const second = await login();
      await login({ sub: 'user-bob', email: 'bob@example.com', role: 'user' });

      const info = await service.getRefreshTokenInfo('alice@example.com');

      expect(info).toEqual({
        status: 'ok',
        sessions: [second, first].map((pair) => ({
          sessionId: pair.sessionId,
          sub: 'user-alice',
          email: 'alice@example.com',
          createdAt: expect.any(Date),
          lastUsedAt: expect.any(Date),
          expiresAt: pair.refreshExpiresAt,
          userAgent: 'jest',
          ip: '127.0.0.1',
        })),
      });
      expect(JSON.stringify(info)).not.toMatch(/tokenHash|refreshToken/);
    });

    it('is empty for an unknown email or an operator object', async () => {
      await login();
      expect(await service.getRefreshTokenInfo('nobody@example.com')).toEqual({ status: 'ok', sessions: [] });
      expect(await service.getRefreshTokenInfo({ $gt: '' })).toEqual({ status: 'ok', sessions: [] });
    });
  });

  describe('refresh (rotation)', () => {
    beforeEach(() => start());

    it('rotates with one compare-and-set and keeps the session and its absolute expiry', async () => {
      const pair = await login();
      clock.advance(3 * DAY);

      const next = okTokens(await service.refresh(pair.refreshToken));

      expect(next.sessionId).toBe(pair.sessionId);
      expect(next.refreshExpiresAt).toEqual(pair.refreshExpiresAt);
      const old = await tokens.findOne({ tokenHash: hashRefreshToken(pair.refreshToken) });
      expect(old).toMatchObject({ rotatedAt: new Date(clock.current), replacedBy: hashRefreshToken(next.refreshToken), revokedAt: null });
      const successor = await tokens.findOne({ tokenHash: hashRefreshToken(next.refreshToken) });
      expect(successor).toMatchObject({ sessionId: pair.sessionId, expiresAt: pair.refreshExpiresAt, rotatedAt: null, createdAt: new Date(clock.current) });
    });

    it('refuses unknown, malformed and non-string tokens without writing', async () => {
      await login();
      const before = await tokens.find({}).toArray();

      expect(await service.refresh(service.generateRefreshToken().refreshToken)).toEqual({ status: 'failed', reason: 'refresh_invalid' });
      expect(await service.refresh('not a token')).toEqual({ status: 'failed', reason: 'refresh_invalid' });
      expect(await service.refresh({ $ne: null })).toEqual({ status: 'failed', reason: 'refresh_invalid' });
      expect(await tokens.find({}).toArray()).toEqual(before);
    });

    it('gives a retry within the reuse window a new pair in the same session', async () => {
      const pair = await login();
      const first = okTokens(await service.refresh(pair.refreshToken));
      clock.advance(10);

      const retry = okTokens(await service.refresh(pair.refreshToken));

      expect(retry.sessionId).toBe(pair.sessionId);
      expect(retry.refreshToken).not.toBe(first.refreshToken);
      expect(await tokens.countDocuments({ sessionId: pair.sessionId, revokedAt: null, rotatedAt: null })).toBe(2);
    });

    it('revokes every token of the session on a replay after the window, leaving other sessions alone', async () => {
      const pair = await login();
      const otherSession = await login();
      const next = okTokens(await service.refresh(pair.refreshToken));
      okTokens(await service.refresh(next.refreshToken));
      clock.advance(11);

      expect(await service.refresh(pair.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_reused' });

      const session = await tokens.find({ sessionId: pair.sessionId }).toArray();
      expect(session).toHaveLength(3);
      expect(session.map((doc) => [doc['revokedAt'], doc['revokeReason']])).toEqual(Array(3).fill([new Date(clock.current), 'reuse_detected']));
      expect(await tokens.findOne({ sessionId: otherSession.sessionId })).toMatchObject({ revokedAt: null, revokeReason: null });
      expect(await service.refresh(otherSession.refreshToken)).toMatchObject({ status: 'ok' });
    });

    it('treats any replay as reuse when the window is 0', async () => {
      await start({ reuseWindowSeconds: 0 });
      const pair = await login();
      const next = okTokens(await service.refresh(pair.refreshToken));

      expect(await service.refresh(pair.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_reused' });
      expect(await service.refresh(next.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_revoked' });
    });

    it('gives every one of 50 concurrent refreshes a working pair with the default window', async () => {
      const pair = await login();

      const results = await Promise.all(Array.from({ length: 50 }, () => service.refresh(pair.refreshToken)));

      const pairs = results.map(okTokens);
      expect(new Set(pairs.map((p) => p.refreshToken)).size).toBe(50);
      expect(await tokens.countDocuments({ sessionId: pair.sessionId, revokedAt: { $ne: null } })).toBe(0);
      expect(await tokens.countDocuments({ sessionId: pair.sessionId, rotatedAt: null })).toBe(50);
      expect(await tokens.countDocuments({ tokenHash: hashRefreshToken(pair.refreshToken), rotatedAt: { $ne: null } })).toBe(1);
      for (const next of pairs) {
        expect(service.isJwtTokenValid(next.accessToken).status).toBe('valid');
        expect(await service.isRefreshTokenValid(alice.email, next.refreshToken)).toEqual({ status: 'valid' });
      }
      expect(await service.refresh(pairs[49]!.refreshToken)).toMatchObject({ status: 'ok' });
    });

    it('lets exactly one of 50 concurrent refreshes succeed and revokes the session when the window is 0', async () => {
      await start({ reuseWindowSeconds: 0 });
      const pair = await login();

      const results = await Promise.all(Array.from({ length: 50 }, () => service.refresh(pair.refreshToken)));

      expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
      // The first loser detects the reuse and revokes the session; later ones may find it revoked already.
      const reasons = results.flatMap((r) => (r.status === 'failed' ? [r.reason] : []));
      expect(reasons).toHaveLength(49);
      expect(reasons).toContain('refresh_reused');
      expect(reasons.every((reason) => reason === 'refresh_reused' || reason === 'refresh_revoked')).toBe(true);
      const session = await tokens.find({ sessionId: pair.sessionId }).toArray();
      expect(session).toHaveLength(2);
      expect(session.every((doc) => doc['revokeReason'] === 'reuse_detected')).toBe(true);
    });

    it('ends a session at its absolute lifetime even when it is refreshed', async () => {
      const pair = await login();
      clock.advance(4 * DAY);
      const day4 = okTokens(await service.refresh(pair.refreshToken));
      clock.advance(4 * DAY);
      const day8 = okTokens(await service.refresh(day4.refreshToken));
      clock.advance(2 * DAY);

      expect(await service.refresh(day8.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_expired' });
    });

    it('ends an idle session when idleTimeoutSeconds is set, and not before', async () => {
      await start({ idleTimeoutSeconds: 3600 });
      const pair = await login();
      clock.advance(3599);
      const next = okTokens(await service.refresh(pair.refreshToken));
      clock.advance(3600);

      expect(await service.refresh(next.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_expired' });
    });
  });

  describe('sessions and revocation', () => {
    beforeEach(() => start());

    it('listSessions lists one entry per active session, newest first', async () => {
      const first = await login();
      clock.advance(1);
      const second = await login();
      await service.refresh(first.refreshToken);
      await service.revoke(second.refreshToken);
      clock.advance(1);
      const third = await login();

      const sessions = await service.listSessions('user-alice');

      expect(sessions.map((s) => s.sessionId)).toEqual([third.sessionId, first.sessionId]);
    });

    it('revokeSession ends one session of its owner only', async () => {
      const pair = await login();
      const bob = await login({ sub: 'user-bob', email: 'bob@example.com', role: 'user' });

      expect(await service.revokeSession('user-bob', pair.sessionId)).toBe('not_found');
      expect(await service.revokeSession('user-alice', 'no-such-session')).toBe('not_found');
      expect(await service.revokeSession('user-alice', pair.sessionId)).toBe('revoked');
      expect(await service.revokeSession('user-alice', pair.sessionId)).toBe('not_found');
      expect(await service.refresh(pair.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_revoked' });
      expect(await service.refresh(bob.refreshToken)).toMatchObject({ status: 'ok' });
    });

    it('revoke (logout) is idempotent', async () => {
      const pair = await login();
      expect(await service.revoke(pair.refreshToken)).toBe(true);
      expect(await service.revoke(pair.refreshToken)).toBe(false);
      expect(await service.revoke('garbage')).toBe(false);
      expect(await tokens.findOne({ sessionId: pair.sessionId })).toMatchObject({ revokeReason: 'logout' });
    });

    it('revokeAll ends every session of the user and no one else', async () => {
      const one = await login();
      const two = await login();
      const bob = await login({ sub: 'user-bob', email: 'bob@example.com', role: 'user' });

      expect(await service.revokeAll('user-alice')).toBe(2);

      for (const pair of [one, two]) expect(await service.refresh(pair.refreshToken)).toEqual({ status: 'failed', reason: 'refresh_revoked' });
      expect(await service.listSessions('user-alice')).toEqual([]);
      expect(await service.listSessions('user-bob')).toHaveLength(1);
      expect(bob.sessionId).toBeDefined();
    });
  });

  describe('expired-token clean-up', () => {
    it('deletes expired sessions through the TTL index, or through the sweeper where TTL indexes are refused', async () => {
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      await start({ sweepIntervalSeconds: 0.05, refreshTokenTtl: 1000 });
      const warned = warnings.mock.calls.map(([message]) => message);
      warnings.mockRestore();
      const store = moduleRef.get(RefreshTokenStore);
      const expired = await login();
      clock.advance(1000);
      const live = await login();

      if (!store.sweeping) {
        const indexes = await tokens.indexes();
        expect(indexes.find((index) => index.name === 'expiresAt_1')).toMatchObject({ expireAfterSeconds: 0 });
        return;
      }
      expect(warned).toContainEqual(expect.stringMatching(/^the server refused the TTL index expiresAt_1 on refresh_tokens_\d+ \(.+\); expired refresh tokens will be deleted by a sweeper every 0\.05 s instead$/));
      await waitFor(async () => (await tokens.countDocuments({ sessionId: expired.sessionId })) === 0);
      expect(await tokens.countDocuments({ sessionId: live.sessionId })).toBe(1);
      await moduleRef.close();
      expect(store.sweeping).toBe(false);
    });
  });

  describe('when MongoDB fails', () => {
    it('throws AuthStoreUnavailableError, and getRefreshTokenInfo returns an error result', async () => {
      await start();
      const { refreshToken } = await login();
      const connection = moduleRef.get<Connection>(getConnectionToken());
      connection.set('bufferCommands', false);
      await connection.close();

      await expect(service.refresh(refreshToken)).rejects.toBeInstanceOf(AuthStoreUnavailableError);
      await expect(service.issueTokens(alice)).rejects.toBeInstanceOf(AuthStoreUnavailableError);
      await expect(service.isRefreshTokenValid(alice.email, refreshToken)).rejects.toBeInstanceOf(AuthStoreUnavailableError);
      expect(await service.getRefreshTokenInfo(alice.email)).toEqual({ status: 'error', error: 'database_unavailable' });
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { TEST_SECRET, TestClock, testAuthOptions } from '../auth.fixtures';
import { type AuthModuleOptions, resolveAuthOptions } from '../auth.options';
import { AccessTokenService } from './access-token';
import { publicJwks } from './jwks';
import type { AuthAlgorithm } from './signing-keys';

describe('publicJwks', () => {
  const subject = { sub: 'user-1', email: 'user@example.com', sid: 'session-1', claims: {} };
  const pairs: Record<Exclude<AuthAlgorithm, 'HS256'>, ReturnType<typeof generateKeyPairSync>> = {
    RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ES256: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    EdDSA: generateKeyPairSync('ed25519'),
  };

  it.each(Object.keys(pairs) as Array<keyof typeof pairs>)('publishes a JWK Set that jose accepts for %s tokens', async (algorithm) => {
    const options: AuthModuleOptions = testAuthOptions({
      secret: undefined,
      keys: [
        { kid: `${algorithm}-key`, algorithm, status: 'active', privateKey: pairs[algorithm].privateKey },
        { kid: 'shared-secret', algorithm: 'HS256', status: 'verify-only', secret: TEST_SECRET },
      ],
    });
    const resolved = resolveAuthOptions(options);
    const token = new AccessTokenService(resolved).sign(subject).token;

    const jwks = publicJwks(resolved.keyring);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: 'https://auth.test', audience: 'test-api', typ: 'at+jwt' });

    expect(protectedHeader).toEqual({ alg: algorithm, typ: 'at+jwt', kid: `${algorithm}-key` });
    expect(payload).toMatchObject({ sub: 'user-1', sid: 'session-1' });
    expect(jwks.keys.map((key) => [key.kid, key.alg, key.use])).toEqual([[`${algorithm}-key`, algorithm, 'sig']]);
    expect(JSON.stringify(jwks)).not.toMatch(/"(d|p|q|dp|dq|qi|k)":/);
  });

  it('publishes verify-only keys too, and nothing for HS256', () => {
    const clock = new TestClock();
    const resolved = resolveAuthOptions(
      testAuthOptions({
        clock: clock.now,
        secret: undefined,
        keys: [
          { kid: 'new', algorithm: 'ES256', status: 'active', privateKey: pairs.ES256.privateKey },
          { kid: 'old', algorithm: 'RS256', status: 'verify-only', publicKey: pairs.RS256.publicKey },
        ],
      }),
    );

    expect(publicJwks(resolved.keyring).keys.map((key) => key.kid)).toEqual(['new', 'old']);
    expect(publicJwks(resolveAuthOptions(testAuthOptions()).keyring).keys).toEqual([]);
  });
});

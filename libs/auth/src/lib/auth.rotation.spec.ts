import { generateKeyPairSync } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { createAuthTestingModule, TestClock, testAuthOptions } from './auth.fixtures';
import { AuthService } from './auth.service';
import type { AuthKeyOptions } from './tokens/signing-keys';

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;

// The procedure of libs/auth/README.md "Rotating signing keys", one deployment per step,
// all on the same sessions collection: nobody is logged out at any step.
describe('signing-key rotation', () => {
  const clock = new TestClock();
  const oldPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const newPair = generateKeyPairSync('ed25519');
  const oldKey = (status: 'active' | 'verify-only'): AuthKeyOptions => ({ kid: 'key-2026-01', algorithm: 'ES256', status, privateKey: oldPair.privateKey });
  const newKey = (status: 'active' | 'verify-only'): AuthKeyOptions =>
    status === 'active' ? { kid: 'key-2026-06', algorithm: 'EdDSA', status, privateKey: newPair.privateKey } : { kid: 'key-2026-06', algorithm: 'EdDSA', status, publicKey: newPair.publicKey };
  let db: TestDatabase;
  let deployment: TestingModule | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('rotation');
  });

  afterAll(async () => {
    await deployment?.close();
    await db.drop();
  });

  async function deploy(keys: AuthKeyOptions[]): Promise<AuthService> {
    await deployment?.close();
    deployment = await createAuthTestingModule(db, testAuthOptions({ secret: undefined, keys, clock: clock.now }), { collectionName: 'rotation_sessions' });
    return deployment.get(AuthService);
  }

  it('adds the new key verify-only, makes it active, then removes the old one after the access-token lifetime', async () => {
    let auth = await deploy([oldKey('active')]);
    const login = await auth.issueTokens({ sub: 'user-1', email: 'user@example.com' });
    expect(kidOf(login.accessToken)).toBe('key-2026-01');

    // Step 1: every instance learns the new public key before anything is signed with it.
    auth = await deploy([oldKey('active'), newKey('verify-only')]);
    expect(auth.isJwtTokenValid(login.accessToken).status).toBe('valid');
    const step1 = await auth.refresh(login.refreshToken);
    if (step1.status !== 'ok') throw new Error(step1.reason);
    expect(kidOf(step1.tokens.accessToken)).toBe('key-2026-01');
    expect(auth.getJwks().keys.map((key) => key.kid)).toEqual(['key-2026-01', 'key-2026-06']);

    // Step 2: the new key signs; tokens of the old key keep verifying.
    auth = await deploy([oldKey('verify-only'), newKey('active')]);
    expect(auth.isJwtTokenValid(step1.tokens.accessToken).status).toBe('valid');
    const step2 = await auth.refresh(step1.tokens.refreshToken);
    if (step2.status !== 'ok') throw new Error(step2.reason);
    expect(kidOf(step2.tokens.accessToken)).toBe('key-2026-06');
    const secondDevice = await auth.issueTokens({ sub: 'user-1', email: 'user@example.com' });

    // Step 3: once every token of the old key has expired, remove it.
    clock.advance(900);
    auth = await deploy([newKey('active')]);
    expect(auth.isJwtTokenValid(step1.tokens.accessToken)).toEqual({ status: 'invalid', reason: 'unknown_key' });
    expect(auth.getJwks().keys.map((key) => key.kid)).toEqual(['key-2026-06']);
    const step3 = await auth.refresh(step2.tokens.refreshToken);
    if (step3.status !== 'ok') throw new Error(step3.reason);
    expect(auth.isJwtTokenValid(step3.tokens.accessToken).status).toBe('valid');
    expect((await auth.refresh(secondDevice.refreshToken)).status).toBe('ok');
    expect(await auth.listSessions('user-1')).toHaveLength(2);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { registerAndLogin, startTestApi, type TestApi } from './api.fixtures';

describe('GET /.well-known/jwks.json (e2e)', () => {
  const keyFolder = mkdtempSync(join(tmpdir(), 'jwks-e2e-'));
  const current = generateKeyPairSync('ed25519');
  const previous = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(join(keyFolder, 'current.pem'), current.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(keyFolder, 'previous.pub.pem'), previous.publicKey.export({ type: 'spki', format: 'pem' }));
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('api_jwks', {
      JWT_ALG: 'EdDSA',
      JWT_PRIVATE_KEY_FILE: join(keyFolder, 'current.pem'),
      JWT_KEY_ID: 'ed-2026-12',
      JWT_PREVIOUS_PUBLIC_KEY_FILE: join(keyFolder, 'previous.pub.pem'),
      JWT_PREVIOUS_KEY_ID: 'es-2026-06',
      JWT_PREVIOUS_ALG: 'ES256',
    });
  });

  afterAll(async () => {
    await api.close();
    rmSync(keyFolder, { recursive: true, force: true });
  });

  it('serves the active and previous public keys, cacheable, and a standard verifier accepts the API tokens with it', async () => {
    const response = await api.http.get('/.well-known/jwks.json').expect(200);
    const { accessToken } = await registerAndLogin(api.http, 'jwks@example.com');

    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body.keys.map((key: { kid: string; alg: string; kty: string }) => [key.kid, key.alg, key.kty])).toEqual([
      ['ed-2026-12', 'EdDSA', 'OKP'],
      ['es-2026-06', 'ES256', 'EC'],
    ]);
    expect(response.text).not.toMatch(/"d":/);
    const { payload, protectedHeader } = await jwtVerify(accessToken, createLocalJWKSet(response.body), { issuer: 'nestkit-demo', audience: 'nestkit-demo-api', typ: 'at+jwt' });
    expect(protectedHeader.kid).toBe('ed-2026-12');
    expect(payload['email']).toBe('jwks@example.com');
    await api.http.get('/me').set('authorization', `Bearer ${accessToken}`).expect(200);
  });
});

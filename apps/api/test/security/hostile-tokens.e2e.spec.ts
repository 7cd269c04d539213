import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerAndLogin, startTestApi, TEST_JWT_SECRET, type TestApi } from '../api.fixtures';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const hmac = (input: string, secret: string | Buffer) => createHmac('sha256', secret).update(input).digest('base64url');

function signHs256(header: object | string, payload: object | string, secret: string | Buffer = TEST_JWT_SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${hmac(input, secret)}`;
}

// RFC 8725 (JWT BCP) and OWASP ASVS 5.0 V9.1–V9.2: every token below must be refused by the
// guard with 401 and a reason, never 5xx, never 200.
describe('hostile access tokens against a guarded route (e2e)', () => {
  let api: TestApi;
  let valid: string;
  let header: { alg: string; typ: string; kid: string };
  let claims: Record<string, unknown>;
  let keyUrlServer: Server;
  let keyUrlHits = 0;
  let keyUrl: string;

  beforeAll(async () => {
    api = await startTestApi('security_tokens');
    valid = (await registerAndLogin(api.http, 'target@example.com')).accessToken;
    const [h, p] = valid.split('.');
    header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    keyUrlServer = createServer((_request, response) => {
      keyUrlHits++;
      response.end('{"keys":[]}');
    }).listen(0, '127.0.0.1');
    await new Promise((ready) => keyUrlServer.once('listening', ready));
    keyUrl = `http://127.0.0.1:${(keyUrlServer.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    keyUrlServer.close();
    await api.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const withSignatureOf = (token: string, headerPart: string, payloadPart: string) => `${headerPart}.${payloadPart}.${token.split('.')[2]}`;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const cases: Array<[string, () => string, 'token_invalid' | 'token_expired']> = [
    ['RFC 8725 §3.1 alg "none", empty signature', () => `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`, 'token_invalid'],
    ['RFC 8725 §3.1 alg "none" with the original signature', () => withSignatureOf(valid, b64({ ...header, alg: 'none' }), b64(claims)), 'token_invalid'],
    ['RFC 8725 §3.1 alg "NONE" in capitals', () => signHs256({ ...header, alg: 'NONE' }, claims), 'token_invalid'],
    ['RFC 8725 §3.1 alg unicode-escaped to "none"', () => `${Buffer.from(`{"alg":"\\u006eone","typ":"at+jwt","kid":"${header.kid}"}`).toString('base64url')}.${b64(claims)}.`, 'token_invalid'],
    ['RFC 8725 §3.1 HS256 signed with an RSA public key as the secret (key confusion)', () => signHs256({ ...header, alg: 'HS256' }, claims, rsaPublicPem), 'token_invalid'],
    ['RFC 8725 §3.1 RS256 token under the HS256 kid', () => {
      const input = `${b64({ ...header, alg: 'RS256' })}.${b64(claims)}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(rsa.privateKey).toString('base64url')}`;
    }, 'token_invalid'],
    ['ASVS V9.1.1 signed with a wrong secret', () => signHs256(header, claims, 'a-completely-different-secret-of-32-bytes'), 'token_invalid'],
    ['ASVS V9.1.1 payload tampered (sub changed)', () => withSignatureOf(valid, b64(header), b64({ ...claims, sub: 'someone-else' })), 'token_invalid'],
    ['ASVS V9.1.1 signature truncated', () => valid.slice(0, -6), 'token_invalid'],
    ['ASVS V9.1.1 signature removed', () => valid.split('.').slice(0, 2).join('.') + '.', 'token_invalid'],
    ['ASVS V9.2.1 expired', () => signHs256(header, { ...claims, iat: now() - 2000, exp: now() - 1100 }), 'token_expired'],
    ['ASVS V9.2.1 nbf in the future', () => signHs256(header, { ...claims, nbf: now() + 600 }), 'token_invalid'],
    ['ASVS V9.2.1 exp as a string', () => signHs256(header, { ...claims, exp: String(now() + 600) }), 'token_invalid'],
    ['ASVS V9.2.1 exp far beyond the configured lifetime', () => signHs256(header, { ...claims, exp: now() + 365 * 86400 }), 'token_invalid'],
    ['ASVS V9.2.1 no exp', () => signHs256(header, { ...claims, exp: undefined }), 'token_invalid'],
    ['ASVS V9.2.3 wrong iss', () => signHs256(header, { ...claims, iss: 'https://evil.example' }), 'token_invalid'],
    ['ASVS V9.2.3 wrong aud', () => signHs256(header, { ...claims, aud: 'another-api' }), 'token_invalid'],
    ['ASVS V9.2.2 typ missing', () => signHs256({ alg: header.alg, kid: header.kid }, claims), 'token_invalid'],
    ['ASVS V9.2.2 typ "JWT" (not an access token)', () => signHs256({ ...header, typ: 'JWT' }, claims), 'token_invalid'],
    ['ASVS V9.2.2 a refresh token presented as an access token', () => 'q5n0Jx1dXk2aFv8lq1mC0Y2yZb7T3s9R4uW6eH0pLkA', 'token_invalid'],
    ['RFC 8725 §3.11 kid with path traversal', () => signHs256({ ...header, kid: '../../../../dev/null' }, claims, ''), 'token_invalid'],
    ['RFC 8725 §3.11 kid with SQL', () => signHs256({ ...header, kid: "' OR 1=1 --" }, claims), 'token_invalid'],
    ['RFC 8725 §3.11 kid as an object', () => signHs256({ ...header, kid: { $ne: null } }, claims), 'token_invalid'],
    ['RFC 8725 §3.1 a token signed by a retired key', () => signHs256({ ...header, kid: 'retired-2025' }, claims, 'the-retired-secret-of-at-least-32-bytes!'), 'token_invalid'],
    ['RFC 7515 §4.1.2 jku header pointing at an attacker key set', () => signHs256({ ...header, jku: keyUrl }, claims, 'attacker-secret-of-at-least-32-bytes!!'), 'token_invalid'],
    ['RFC 7515 §4.1.5 x5u header pointing at an attacker certificate', () => signHs256({ ...header, x5u: keyUrl }, claims, 'attacker-secret-of-at-least-32-bytes!!'), 'token_invalid'],
    ['RFC 7515 §4.1.3 embedded jwk header', () => signHs256({ ...header, jwk: { kty: 'oct', k: b64('attacker-secret-of-at-least-32-bytes!!') } }, claims, 'attacker-secret-of-at-least-32-bytes!!'), 'token_invalid'],
    ['RFC 7515 §4.1.11 crit header with an unknown extension', () => signHs256({ ...header, crit: ['exp'], exp: 1 }, claims), 'token_invalid'],
    ['RFC 8259 §4 duplicate keys in the payload (sub twice) with the original signature', () => withSignatureOf(valid, b64(header), Buffer.from(`${JSON.stringify(claims).slice(0, -1)},"sub":"admin"}`).toString('base64url')), 'token_invalid'],
    ['RFC 7515 §7.1 four segments', () => `${valid}.${b64('extra')}`, 'token_invalid'],
    ['RFC 7515 §7.1 two segments', () => valid.split('.').slice(0, 2).join('.'), 'token_invalid'],
    ['RFC 7515 §2 non-base64url characters', () => valid.replace(/^./, '+').replace(/\.(.)/, './'), 'token_invalid'],
    ['RFC 7515 §7.1 header that is not JSON', () => `${b64('not json')}.${b64(claims)}.${b64('sig')}`, 'token_invalid'],
    ['RFC 7515 §7.1 header that is a JSON array', () => signHs256('[1,2,3]', claims), 'token_invalid'],
    ['RFC 7519 §7.2 payload that is not JSON', () => signHs256(header, 'not json'), 'token_invalid'],
    ['ASVS V9.1 a 10 KB header', () => signHs256({ ...header, pad: 'x'.repeat(10 * 1024) }, claims), 'token_invalid'],
    ['ASVS V9.1 an empty token', () => '', 'token_invalid'],
  ];

  it(`has at least 30 named hostile tokens (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s → 401', async (_rule, token, reason) => {
    const response = await api.http.get('/me').set('authorization', `Bearer ${token()}`);

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', reason });
  });

  it.each([
    ['lowercase bearer with two spaces', () => `bearer  ${valid}`],
    ['the scheme twice', () => `Bearer Bearer ${valid}`],
    ['a tab instead of a space', () => `Bearer\t${valid}`],
    ['another scheme', () => `Token ${valid}`],
    ['a trailing comma and a second credential', () => `Bearer ${valid}, Basic YTpi`],
  ])('Authorization header with %s → 401 token_invalid', async (_case, authorization) => {
    const response = await api.http.get('/me').set('authorization', authorization());
    expect(response.status).toBe(401);
    expect(response.body.reason).toBe('token_invalid');
  });

  it('never fetched a jku or x5u URL', () => {
    expect(keyUrlHits).toBe(0);
  });

  it('a 100 KB Authorization header is refused by the HTTP parser with 431 before it reaches the app', async () => {
    const response = await api.http.get('/me').set('authorization', `Bearer ${'a'.repeat(100 * 1024)}`);
    expect(response.status).toBe(431);
  });

  it('the genuine token still works (the forging above is sound)', async () => {
    await api.http.get('/me').set('authorization', `Bearer ${valid}`).expect(200);
    await api.http.get('/me').set('authorization', `Bearer ${signHs256(header, claims)}`).expect(200);
  });
});

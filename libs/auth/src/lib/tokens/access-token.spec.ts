import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { TEST_SECRET, TestClock, testAuthOptions } from '../auth.fixtures';
import { type AuthModuleOptions, resolveAuthOptions } from '../auth.options';
import { AccessTokenService } from './access-token';
import { createRefreshToken } from './refresh-token';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function forgeHs256(header: object, payload: object, secret: string | Buffer = TEST_SECRET): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

describe('AccessTokenService', () => {
  let clock: TestClock;
  let service: AccessTokenService;
  let kid: string;

  function build(overrides: Partial<AuthModuleOptions> = {}): AccessTokenService {
    return new AccessTokenService(resolveAuthOptions(testAuthOptions({ clock: clock.now, ...overrides })));
  }

  const subject = { sub: 'user-1', email: 'user@example.com', sid: 'session-1', claims: { role: 'admin' } };
  const nowSeconds = () => clock.current / 1000;
  const validPayload = () => ({ sub: 'user-1', email: 'user@example.com', sid: 'session-1', jti: 'jti-1', iat: nowSeconds(), exp: nowSeconds() + 900, iss: 'https://auth.test', aud: 'test-api' });
  const validHeader = () => ({ alg: 'HS256', typ: 'at+jwt', kid });

  beforeEach(() => {
    clock = new TestClock();
    service = build();
    const [header] = service.sign(subject).token.split('.');
    kid = JSON.parse(Buffer.from(header!, 'base64url').toString()).kid;
  });

  it('signs with typ at+jwt, the key id and the pinned algorithm, and verifies its own tokens', () => {
    const { token, expiresAt } = service.sign(subject);
    const [header] = token.split('.');

    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: expect.stringMatching(/^hs256-[0-9a-f]{12}$/) });
    expect(expiresAt).toBe(nowSeconds() + 900);
    expect(service.verify(token)).toEqual({ status: 'valid', claims: expect.objectContaining({ ...subject.claims, sub: 'user-1', sid: 'session-1' }) });
  });

  it('checks the signature and claims of every token, also when its header was seen before', () => {
    const genuine = forgeHs256(validHeader(), validPayload());
    const [header, payload] = genuine.split('.');
    expect(service.verify(genuine).status).toBe('valid');

    expect(service.verify(`${header}.${payload}.${'A'.repeat(43)}`)).toEqual({ status: 'invalid', reason: 'bad_signature' });
    expect(service.verify(`${header}.${b64({ ...validPayload(), sub: 'admin' })}.${genuine.split('.')[2]}`)).toEqual({ status: 'invalid', reason: 'bad_signature' });
    expect(service.verify(forgeHs256(validHeader(), { ...validPayload(), exp: nowSeconds() - 1 }))).toEqual({ status: 'expired' });
    const unknownKid = forgeHs256({ ...validHeader(), kid: 'nope' }, validPayload());
    expect(service.verify(unknownKid)).toEqual({ status: 'invalid', reason: 'unknown_key' });
    expect(service.verify(unknownKid)).toEqual({ status: 'invalid', reason: 'unknown_key' });
  });

  it('accepts a hand-made token that follows every rule (the forging below is sound)', () => {
    expect(service.verify(forgeHs256(validHeader(), validPayload())).status).toBe('valid');
  });

  describe('rejects hostile tokens with the right reason', () => {
    const cases: Array<[string, () => string, string]> = [
      ['alg none without a signature', () => `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(validPayload())}.`, 'malformed'],
      ['alg none with a signature', () => forgeHs256({ alg: 'none', typ: 'at+jwt', kid }, validPayload()), 'algorithm_mismatch'],
      ['a wrong secret', () => forgeHs256(validHeader(), validPayload(), 'another-secret-of-at-least-32-bytes!!'), 'bad_signature'],
      ['a tampered payload', () => {
        const [header, , signature] = forgeHs256(validHeader(), validPayload()).split('.');
        return `${header}.${b64({ ...validPayload(), sub: 'admin' })}.${signature}`;
      }, 'bad_signature'],
      ['nbf in the future', () => forgeHs256(validHeader(), { ...validPayload(), nbf: nowSeconds() + 60 }), 'not_yet_valid'],
      ['a wrong iss', () => forgeHs256(validHeader(), { ...validPayload(), iss: 'https://evil.test' }), 'wrong_issuer'],
      ['a wrong aud', () => forgeHs256(validHeader(), { ...validPayload(), aud: 'other-api' }), 'wrong_audience'],
      ['typ missing', () => forgeHs256({ alg: 'HS256', kid }, validPayload()), 'wrong_type'],
      ['typ JWT', () => forgeHs256({ ...validHeader(), typ: 'JWT' }, validPayload()), 'wrong_type'],
      ['a refresh token', () => createRefreshToken(), 'malformed'],
      ['a truncated signature', () => forgeHs256(validHeader(), validPayload()).slice(0, -4), 'bad_signature'],
      ['a token cut to two segments', () => forgeHs256(validHeader(), validPayload()).split('.').slice(0, 2).join('.'), 'malformed'],
      ['non-base64url characters', () => forgeHs256(validHeader(), validPayload()).replace(/^./, '+'), 'malformed'],
      ['four segments', () => `${forgeHs256(validHeader(), validPayload())}.${b64('x')}`, 'malformed'],
      ['an empty string', () => '', 'malformed'],
      ['a 10 KB header', () => forgeHs256({ ...validHeader(), pad: 'x'.repeat(10 * 1024) }, validPayload()), 'too_large'],
      ['a header that is not JSON', () => `${b64('not json')}.${b64(validPayload())}.${b64('sig')}`, 'malformed'],
      ['an unknown kid', () => forgeHs256({ ...validHeader(), kid: '../../etc/passwd' }, validPayload()), 'unknown_key'],
      ['a crit header', () => forgeHs256({ ...validHeader(), crit: ['exp'] }, validPayload()), 'unsupported_header'],
      ['exp as a string', () => forgeHs256(validHeader(), { ...validPayload(), exp: String(nowSeconds() + 900) }), 'invalid_claims'],
      ['exp far beyond the access-token lifetime', () => forgeHs256(validHeader(), { ...validPayload(), exp: nowSeconds() + 365 * 86400 }), 'invalid_claims'],
      ['no sid', () => forgeHs256(validHeader(), { ...validPayload(), sid: undefined }), 'invalid_claims'],
      ['iat in the future', () => forgeHs256(validHeader(), { ...validPayload(), iat: nowSeconds() + 120, exp: nowSeconds() + 600 }), 'invalid_claims'],
    ];

    it.each(cases)('%s', (_name, token, reason) => {
      expect(service.verify(token())).toEqual({ status: 'invalid', reason });
    });

    it('a token expired beyond the leeway is expired; one just inside it is valid', () => {
      service = build({ clockToleranceSeconds: 30 });
      const token = service.sign(subject).token;

      clock.advance(900 + 29);
      expect(service.verify(token).status).toBe('valid');
      clock.advance(1);
      expect(service.verify(token)).toEqual({ status: 'expired' });
    });

    it('non-string input', () => {
      expect(service.verify(42)).toEqual({ status: 'invalid', reason: 'malformed' });
      expect(service.verify({ token: 'x' })).toEqual({ status: 'invalid', reason: 'malformed' });
    });
  });

  describe('with an RS256 key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

    beforeEach(() => {
      service = build({ secret: undefined, keys: [{ kid: 'rsa-1', algorithm: 'RS256', privateKey }] });
    });

    it('signs and verifies RS256', () => {
      const token = service.sign(subject).token;
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'rsa-1' });
      expect(service.verify(token).status).toBe('valid');
    });

    it('rejects an HS256 token signed with the public key as the HMAC secret (key confusion)', () => {
      const confused = forgeHs256({ alg: 'HS256', typ: 'at+jwt', kid: 'rsa-1' }, validPayload(), publicPem);
      expect(service.verify(confused)).toEqual({ status: 'invalid', reason: 'algorithm_mismatch' });
    });

    it('rejects an RS256 token signed by another key under the same kid', () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const signingInput = `${b64({ alg: 'RS256', typ: 'at+jwt', kid: 'rsa-1' })}.${b64(validPayload())}`;
      const signature = createSign('RSA-SHA256').update(signingInput).sign(other).toString('base64url');
      expect(service.verify(`${signingInput}.${signature}`)).toEqual({ status: 'invalid', reason: 'bad_signature' });
    });
  });

  it('signs and verifies ES256 (JWS P1363 signatures), and rejects a flipped signature byte', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    service = build({ secret: undefined, keys: [{ kid: 'ec-1', algorithm: 'ES256', privateKey }] });
    const token = service.sign(subject).token;
    const signature = Buffer.from(token.split('.')[2]!, 'base64url');

    expect(signature).toHaveLength(64);
    expect(service.verify(token).status).toBe('valid');
    signature[10] ^= 1;
    expect(service.verify(`${token.split('.').slice(0, 2).join('.')}.${signature.toString('base64url')}`)).toEqual({ status: 'invalid', reason: 'bad_signature' });
  });

  it('signs EdDSA (Ed25519) with node:crypto and verifies it; another Ed25519 key under the same kid fails', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    service = build({ secret: undefined, keys: [{ kid: 'ed-1', algorithm: 'EdDSA', privateKey }] });
    const token = service.sign(subject).token;

    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: 'ed-1' });
    expect(service.verify(token)).toEqual({ status: 'valid', claims: expect.objectContaining({ sub: 'user-1', iss: 'https://auth.test', aud: 'test-api' }) });
    const impostor = build({ secret: undefined, keys: [{ kid: 'ed-1', algorithm: 'EdDSA', privateKey: generateKeyPairSync('ed25519').privateKey }] }).sign(subject).token;
    expect(service.verify(impostor)).toEqual({ status: 'invalid', reason: 'bad_signature' });
  });

  it('accepts an aud array that contains the audience, and nothing else', () => {
    expect(service.verify(forgeHs256(validHeader(), { ...validPayload(), aud: ['other', 'test-api'] })).status).toBe('valid');
    expect(service.verify(forgeHs256(validHeader(), { ...validPayload(), aud: ['other'] }))).toEqual({ status: 'invalid', reason: 'wrong_audience' });
    expect(service.verify(forgeHs256(validHeader(), { ...validPayload(), aud: undefined }))).toEqual({ status: 'invalid', reason: 'wrong_audience' });
  });

  describe.each([
    ['HS256', { secret: TEST_SECRET }],
    ['RS256', { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }],
    ['ES256', { privateKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey }],
    ['EdDSA', { privateKey: generateKeyPairSync('ed25519').privateKey }],
  ] as const)('%s', (algorithm, material) => {
    const keyed = () => build({ secret: undefined, keys: [{ kid: `${algorithm}-kid`, algorithm, ...material }] });
    const otherAlgorithm = algorithm === 'HS256' ? 'RS256' : 'HS256';

    it('sign -> verify; an unknown kid and another alg under the kid are invalid', () => {
      const own = keyed();
      const token = own.sign(subject).token;
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const decoded = JSON.parse(Buffer.from(header, 'base64url').toString());

      expect(own.verify(token).status).toBe('valid');
      expect(own.verify(`${b64({ ...decoded, kid: 'unknown' })}.${payload}.${signature}`)).toEqual({ status: 'invalid', reason: 'unknown_key' });
      expect(own.verify(`${b64({ ...decoded, alg: otherAlgorithm })}.${payload}.${signature}`)).toEqual({ status: 'invalid', reason: 'algorithm_mismatch' });
      expect(build().verify(token)).toEqual({ status: 'invalid', reason: 'unknown_key' });
    });
  });

  it('verifies tokens of a verify-only key and signs with the active one', () => {
    const oldKey = { kid: 'old', algorithm: 'HS256' as const, secret: TEST_SECRET };
    const before = build({ secret: undefined, keys: [oldKey] }).sign(subject).token;
    service = build({ secret: undefined, keys: [{ ...oldKey, status: 'verify-only' }, { kid: 'new', algorithm: 'HS256', status: 'active', secret: 'n'.repeat(32) }] });

    expect(service.verify(before).status).toBe('valid');
    expect(JSON.parse(Buffer.from(service.sign(subject).token.split('.')[0]!, 'base64url').toString()).kid).toBe('new');
  });
});

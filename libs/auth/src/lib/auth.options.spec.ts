import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SECRET, testAuthOptions } from './auth.fixtures';
import { type AuthModuleOptions, resolveAuthOptions } from './auth.options';

const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ecP384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const ed25519 = generateKeyPairSync('ed25519');
const keyFolder = mkdtempSync(join(tmpdir(), 'auth-keys-'));
const privatePemFile = join(keyFolder, 'private.pem');
const publicPemFile = join(keyFolder, 'public.pem');
writeFileSync(privatePemFile, ed25519.privateKey.export({ type: 'pkcs8', format: 'pem' }));
writeFileSync(publicPemFile, ed25519.publicKey.export({ type: 'spki', format: 'pem' }));
afterAll(() => rmSync(keyFolder, { recursive: true, force: true }));
const generateHint = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

describe('resolveAuthOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveAuthOptions(testAuthOptions());

    expect(resolved).toMatchObject({
      issuer: 'https://auth.test',
      audience: 'test-api',
      accessTokenTtl: 900,
      refreshTokenTtl: 864_000,
      clockToleranceSeconds: 0,
      reuseWindowMs: 10_000,
      idleTimeoutMs: undefined,
      sweepIntervalMs: 600_000,
    });
    expect(resolved.keyring.signing).toMatchObject({ algorithm: 'HS256', kid: expect.stringMatching(/^hs256-/) });
    expect(resolved.keyring.signing.signKey.type).toBe('secret');
  });

  it('loads asymmetric keys from PEM and derives the public key', () => {
    const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const resolved = resolveAuthOptions(testAuthOptions({ secret: undefined, keys: [{ kid: 'ec', algorithm: 'ES256', privateKey: pem }] }));

    expect(resolved.keyring.byKid.get('ec')?.verifyKey.type).toBe('public');
  });

  it('loads keys from PEM files and from JWKs', () => {
    const fromFiles = resolveAuthOptions(
      testAuthOptions({
        secret: undefined,
        keys: [
          { kid: 'file', algorithm: 'EdDSA', status: 'active', privateKeyFile: privatePemFile },
          { kid: 'public-file', algorithm: 'EdDSA', status: 'verify-only', publicKeyFile: publicPemFile },
          { kid: 'jwk', algorithm: 'ES256', status: 'verify-only', publicKey: ec.publicKey.export({ format: 'jwk' }) },
        ],
      }),
    );

    expect(fromFiles.keyring.signing.kid).toBe('file');
    expect(fromFiles.keyring.byKid.get('public-file')?.verifyKey.equals(ed25519.publicKey)).toBe(true);
    expect(fromFiles.keyring.byKid.get('jwk')?.verifyKey.equals(ec.publicKey)).toBe(true);
  });

  const invalid: Array<[string, Partial<AuthModuleOptions> | null, string]> = [
    ['no options', null, 'AuthModule: options are missing; pass at least `issuer`, `audience` and `secret`'],
    ['no issuer', { issuer: '' }, "AuthModule: `issuer` must be a non-empty string (e.g. issuer: 'https://api.example.com')"],
    ['no audience', { audience: undefined }, "AuthModule: `audience` must be a non-empty string (e.g. audience: 'my-api')"],
    ['no key', { secret: undefined }, `AuthModule: no signing key: set \`secret\` (an HS256 secret of at least 32 bytes, e.g. from ${generateHint}) or \`keys\``],
    ['secret and keys', { keys: [] }, 'AuthModule: set either `secret` or `keys`, not both'],
    ['a zero access-token lifetime', { accessTokenTtl: 0 }, 'AuthModule: `accessTokenTtl` must be a positive number of seconds (got 0)'],
    ['a refresh lifetime shorter than the access one', { refreshTokenTtl: 60 }, 'AuthModule: `refreshTokenTtl` (60 s) must be longer than `accessTokenTtl` (900 s)'],
    ['a leeway over 60 s', { clockToleranceSeconds: 61 }, 'AuthModule: `clockToleranceSeconds` must be a number of seconds from 0 to 60 (got 61)'],
    ['a negative reuse window', { reuseWindowSeconds: -1 }, 'AuthModule: `reuseWindowSeconds` must be a number of seconds from 0 to 900 (got -1)'],
    ['a non-numeric idle timeout', { idleTimeoutSeconds: '3600' as unknown as number }, 'AuthModule: `idleTimeoutSeconds` must be a positive number of seconds (got "3600")'],
    ['a zero sweep interval', { sweepIntervalSeconds: 0 }, 'AuthModule: `sweepIntervalSeconds` must be a positive number of seconds (got 0)'],
  ];

  it.each(invalid)('refuses %s', (_case, overrides, message) => {
    const options = overrides === null ? (null as unknown as AuthModuleOptions) : testAuthOptions(overrides);
    expect(() => resolveAuthOptions(options)).toThrow(message);
  });

  it('says how to generate an HS256 secret that is long enough', () => {
    expect(() => resolveAuthOptions(testAuthOptions({ secret: 'short-secret' }))).toThrow(
      `AuthModule: \`secret\`: the HS256 secret must be at least 32 bytes (got 12). Generate one with: ${generateHint}`,
    );
    expect(() => resolveAuthOptions(testAuthOptions({ secret: undefined, keys: [{ kid: 'k', algorithm: 'HS256', secret: Buffer.alloc(31) }] }))).toThrow(
      `AuthModule: key "k": the HS256 secret must be at least 32 bytes (got 31). Generate one with: ${generateHint}`,
    );
  });

  const keyring: Array<[string, AuthModuleOptions['keys'], string]> = [
    ['an empty kid', [{ kid: '', algorithm: 'HS256', secret: TEST_SECRET }], 'AuthModule: every key needs a non-empty string `kid`'],
    ['duplicate kids', [{ kid: 'a', algorithm: 'HS256', secret: TEST_SECRET, status: 'active' }, { kid: 'a', algorithm: 'HS256', secret: TEST_SECRET, status: 'verify-only' }], 'AuthModule: two keys have the kid "a"; kids must be unique'],
    ['two active keys', [{ kid: 'a', algorithm: 'HS256', secret: TEST_SECRET, status: 'active' }, { kid: 'b', algorithm: 'HS256', secret: TEST_SECRET, status: 'active' }], "AuthModule: exactly one key must have status 'active' (found 2: a, b)"],
    ['no active key', [{ kid: 'a', algorithm: 'HS256', secret: TEST_SECRET, status: 'verify-only' }], "AuthModule: exactly one key must have status 'active' (found 0: none)"],
    ['no status among several keys', [{ kid: 'a', algorithm: 'HS256', secret: TEST_SECRET }, { kid: 'b', algorithm: 'HS256', secret: TEST_SECRET, status: 'active' }], `AuthModule: key "a": status must be 'active' or 'verify-only' (required when there are several keys)`],
    ['an unknown algorithm', [{ kid: 'a', algorithm: 'none' as 'HS256', secret: TEST_SECRET }], 'AuthModule: key "a": unsupported algorithm "none"; use HS256, RS256, ES256 or EdDSA'],
    ['HS256 with a key pair', [{ kid: 'a', algorithm: 'HS256', privateKey: rsa2048.privateKey }], 'AuthModule: key "a": HS256 takes a `secret`, not a public or private key'],
    ['RS256 with a secret', [{ kid: 'a', algorithm: 'RS256', secret: TEST_SECRET }], 'AuthModule: key "a": RS256 takes a key pair, not a `secret`'],
    ['an active RS256 key without its private key', [{ kid: 'a', algorithm: 'RS256', publicKey: rsa2048.publicKey }], 'AuthModule: key "a": the active RS256 key needs its `privateKey` to sign'],
    ['a 1024-bit RSA key', [{ kid: 'a', algorithm: 'RS256', privateKey: rsa1024.privateKey }], 'AuthModule: key "a": RS256 keys must be at least 2048 bits (got 1024)'],
    ['RS256 with an EC key', [{ kid: 'a', algorithm: 'RS256', privateKey: ec.privateKey }], 'AuthModule: key "a": RS256 needs an RSA key, got ec'],
    ['ES256 with a P-384 key', [{ kid: 'a', algorithm: 'ES256', privateKey: ecP384.privateKey }], 'AuthModule: key "a": ES256 needs an EC key on the P-256 curve'],
    ['a public key given as the private key', [{ kid: 'a', algorithm: 'ES256', privateKey: ec.publicKey }], 'AuthModule: key "a": `privateKey` is a public key'],
    ['EdDSA with an RSA key', [{ kid: 'a', algorithm: 'EdDSA', privateKey: rsa2048.privateKey }], 'AuthModule: key "a": EdDSA needs an Ed25519 key, got rsa'],
    ['a missing key file', [{ kid: 'a', algorithm: 'EdDSA', privateKeyFile: '/nonexistent/key.pem' }], 'AuthModule: key "a": cannot read `privateKeyFile` /nonexistent/key.pem (ENOENT)'],
    ['a key given inline and as a file', [{ kid: 'a', algorithm: 'EdDSA', privateKey: ed25519.privateKey, privateKeyFile: privatePemFile }], 'AuthModule: key "a": set either `privateKey` or `privateKeyFile`, not both'],
    ['HS256 with a key file', [{ kid: 'a', algorithm: 'HS256', secret: TEST_SECRET, publicKeyFile: publicPemFile }], 'AuthModule: key "a": HS256 takes a `secret`, not a public or private key'],
    ['an unreadable PEM', [{ kid: 'a', algorithm: 'ES256', privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' }], 'AuthModule: key "a": `privateKey` is not a readable PEM or JWK private key'],
  ];

  it.each(keyring)('refuses a keyring with %s', (_case, keys, message) => {
    expect(() => resolveAuthOptions(testAuthOptions({ secret: undefined, keys }))).toThrow(message);
  });
});

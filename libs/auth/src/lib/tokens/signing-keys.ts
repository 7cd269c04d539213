import { createHash, createPrivateKey, createPublicKey, createSecretKey, type JsonWebKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuthConfigurationError } from '../auth.errors';

/**
 * Signature algorithms of access tokens.
 *
 * @publicApi
 */
export type AuthAlgorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

/** Key material: PEM text, a KeyObject, or a JWK. */
export type KeyMaterial = string | KeyObject | JsonWebKey;

/**
 * One key of the keyring. `active` signs and verifies; `verify-only` only verifies, so a
 * new key can be rolled out, or an old one kept until its tokens expire.
 *
 * @publicApi
 */
export interface AuthKeyOptions {
  /** Key id, written to the `kid` header of the tokens this key signs. */
  kid: string;
  /** The algorithm this key is used with; tokens naming another are rejected. */
  algorithm: AuthAlgorithm;
  /** `active` (default when there is one key) or `verify-only`. */
  status?: 'active' | 'verify-only';
  /** HS256: the shared secret, at least 32 bytes. */
  secret?: string | Buffer;
  /** RS256 / ES256 / EdDSA: the private key (PEM, KeyObject or JWK); needed by the active key. */
  privateKey?: KeyMaterial;
  /** Like `privateKey`, read from a PEM file at start-up. */
  privateKeyFile?: string;
  /** RS256 / ES256 / EdDSA: the public key (PEM, KeyObject or JWK); derived from the private key when omitted. */
  publicKey?: KeyMaterial;
  /** Like `publicKey`, read from a PEM file at start-up. */
  publicKeyFile?: string;
}

/** A key ready for use: KeyObjects built once at start-up. */
export interface LoadedKey {
  readonly kid: string;
  readonly algorithm: AuthAlgorithm;
  /** Present on the active key only. */
  readonly signKey?: KeyObject;
  readonly verifyKey: KeyObject;
}

/** The keyring: one signing key and every key that verifies, by `kid`. */
export interface Keyring {
  readonly signing: LoadedKey & { readonly signKey: KeyObject };
  readonly byKid: ReadonlyMap<string, LoadedKey>;
}

const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;
const GENERATE_SECRET_HINT = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

/**
 * Builds the keyring from the `secret` shorthand or the `keys` list, checking every key.
 *
 * @throws AuthConfigurationError saying what is wrong with which key and how to fix it.
 */
export function loadKeyring(secret: string | Buffer | undefined, keys: AuthKeyOptions[] | undefined): Keyring {
  if (secret !== undefined && keys !== undefined) throw new AuthConfigurationError('set either `secret` or `keys`, not both');
  const configured = keys ?? (secret !== undefined ? [{ kid: secretKid(secret), algorithm: 'HS256' as const, secret }] : []);
  if (configured.length === 0) {
    throw new AuthConfigurationError(`no signing key: set \`secret\` (an HS256 secret of at least 32 bytes, e.g. from ${GENERATE_SECRET_HINT}) or \`keys\``);
  }

  const byKid = new Map<string, LoadedKey>();
  for (const key of configured) {
    if (typeof key.kid !== 'string' || key.kid === '') throw new AuthConfigurationError('every key needs a non-empty string `kid`');
    if (byKid.has(key.kid)) throw new AuthConfigurationError(`two keys have the kid "${key.kid}"; kids must be unique`);
    byKid.set(key.kid, loadKey(key, configured.length === 1, keys ? `key "${key.kid}"` : '`secret`'));
  }

  const active = [...byKid.values()].filter((key) => key.signKey !== undefined);
  if (active.length !== 1) {
    throw new AuthConfigurationError(`exactly one key must have status 'active' (found ${active.length}: ${active.map((key) => key.kid).join(', ') || 'none'})`);
  }
  return { signing: active[0] as Keyring['signing'], byKid };
}

function loadKey(key: AuthKeyOptions, onlyKey: boolean, label: string): LoadedKey {
  const status = key.status ?? (onlyKey ? 'active' : undefined);
  if (status !== 'active' && status !== 'verify-only') {
    throw new AuthConfigurationError(`key "${key.kid}": status must be 'active' or 'verify-only' (required when there are several keys)`);
  }
  switch (key.algorithm) {
    case 'HS256':
      return loadSecretKey(key, status, label);
    case 'RS256':
    case 'ES256':
    case 'EdDSA':
      return loadKeyPair(key, status);
    default:
      throw new AuthConfigurationError(`key "${key.kid}": unsupported algorithm "${String(key.algorithm)}"; use HS256, RS256, ES256 or EdDSA`);
  }
}

function loadSecretKey(key: AuthKeyOptions, status: 'active' | 'verify-only', label: string): LoadedKey {
  if ([key.privateKey, key.publicKey, key.privateKeyFile, key.publicKeyFile].some((material) => material !== undefined)) {
    throw new AuthConfigurationError(`key "${key.kid}": HS256 takes a \`secret\`, not a public or private key`);
  }
  const bytes = typeof key.secret === 'string' ? Buffer.from(key.secret, 'utf8') : key.secret;
  if (!Buffer.isBuffer(bytes) || bytes.length < MIN_SECRET_BYTES) {
    throw new AuthConfigurationError(
      `${label}: the HS256 secret must be at least ${MIN_SECRET_BYTES} bytes (got ${bytes?.length ?? 0}). Generate one with: ${GENERATE_SECRET_HINT}`,
    );
  }
  const secretKey = createSecretKey(bytes);
  return { kid: key.kid, algorithm: 'HS256', signKey: status === 'active' ? secretKey : undefined, verifyKey: secretKey };
}

function loadKeyPair(key: AuthKeyOptions, status: 'active' | 'verify-only'): LoadedKey {
  if (key.secret !== undefined) throw new AuthConfigurationError(`key "${key.kid}": ${key.algorithm} takes a key pair, not a \`secret\``);
  const privateMaterial = material(key, 'private');
  const publicMaterial = material(key, 'public');
  if (status === 'active' && privateMaterial === undefined) {
    throw new AuthConfigurationError(`key "${key.kid}": the active ${key.algorithm} key needs its \`privateKey\` to sign`);
  }
  const privateKey = privateMaterial === undefined ? undefined : asKeyObject(key, 'private', privateMaterial);
  const publicKey = publicMaterial !== undefined ? asKeyObject(key, 'public', publicMaterial) : privateKey && createPublicKey(privateKey);
  if (!publicKey) throw new AuthConfigurationError(`key "${key.kid}": a verify-only ${key.algorithm} key needs its \`publicKey\``);
  for (const keyObject of [privateKey, publicKey]) if (keyObject) checkKeyFitsAlgorithm(key, keyObject);
  return { kid: key.kid, algorithm: key.algorithm, signKey: status === 'active' ? privateKey : undefined, verifyKey: publicKey };
}

function material(key: AuthKeyOptions, type: 'private' | 'public'): KeyMaterial | undefined {
  const inline = type === 'private' ? key.privateKey : key.publicKey;
  const file = type === 'private' ? key.privateKeyFile : key.publicKeyFile;
  if (inline !== undefined && file !== undefined) throw new AuthConfigurationError(`key "${key.kid}": set either \`${type}Key\` or \`${type}KeyFile\`, not both`);
  if (file === undefined) return inline;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new AuthConfigurationError(`key "${key.kid}": cannot read \`${type}KeyFile\` ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function asKeyObject(key: AuthKeyOptions, type: 'private' | 'public', keyMaterial: KeyMaterial): KeyObject {
  if (keyMaterial instanceof KeyObject) {
    if (keyMaterial.type !== type) throw new AuthConfigurationError(`key "${key.kid}": \`${type}Key\` is a ${keyMaterial.type} key`);
    return keyMaterial;
  }
  const input = typeof keyMaterial === 'string' ? keyMaterial : { key: keyMaterial, format: 'jwk' as const };
  try {
    return type === 'private' ? createPrivateKey(input) : createPublicKey(input);
  } catch {
    throw new AuthConfigurationError(`key "${key.kid}": \`${type}Key\` is not a readable PEM or JWK ${type} key`);
  }
}

function checkKeyFitsAlgorithm(key: AuthKeyOptions, keyObject: KeyObject): void {
  const details = keyObject.asymmetricKeyDetails;
  if (key.algorithm === 'RS256') {
    if (keyObject.asymmetricKeyType !== 'rsa') {
      throw new AuthConfigurationError(`key "${key.kid}": RS256 needs an RSA key, got ${keyObject.asymmetricKeyType}`);
    }
    if ((details?.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new AuthConfigurationError(`key "${key.kid}": RS256 keys must be at least ${MIN_RSA_BITS} bits (got ${details?.modulusLength})`);
    }
  }
  if (key.algorithm === 'ES256' && (keyObject.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1')) {
    throw new AuthConfigurationError(`key "${key.kid}": ES256 needs an EC key on the P-256 curve`);
  }
  if (key.algorithm === 'EdDSA' && keyObject.asymmetricKeyType !== 'ed25519') {
    throw new AuthConfigurationError(`key "${key.kid}": EdDSA needs an Ed25519 key, got ${keyObject.asymmetricKeyType}`);
  }
}

function secretKid(secret: string | Buffer): string {
  if (typeof secret !== 'string' && !Buffer.isBuffer(secret)) return 'hs256';
  return `hs256-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

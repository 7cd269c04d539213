import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import type { LoadedKey } from './signing-keys';

/**
 * Whether `signature` (base64url) is the key's signature of `signingInput` (the
 * `header.payload` of a compact JWS), with node:crypto and the key's KeyObject: HMAC-SHA256
 * compared in constant time, RSASSA-PKCS1-v1_5 SHA-256, ECDSA P-256 SHA-256 in the JWS
 * (IEEE P1363) encoding, or Ed25519. The caller has already checked that the token's `alg` is the key's.
 */
export function isValidSignature(key: LoadedKey, signingInput: string, signature: string): boolean {
  const given = Buffer.from(signature, 'base64url');
  switch (key.algorithm) {
    case 'HS256': {
      const expected = createHmac('sha256', key.verifyKey).update(signingInput).digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    case 'RS256':
      return verify('sha256', Buffer.from(signingInput), key.verifyKey, given);
    case 'ES256':
      return verify('sha256', Buffer.from(signingInput), { key: key.verifyKey, dsaEncoding: 'ieee-p1363' }, given);
    case 'EdDSA':
      return verify(null, Buffer.from(signingInput), key.verifyKey, given);
  }
}

/**
 * A compact JWS signed with an Ed25519 key. jsonwebtoken, under `@nestjs/jwt`, cannot sign
 * EdDSA ("Unknown key type ed25519"), so EdDSA tokens are signed here; the other algorithms
 * are signed through `@nestjs/jwt`.
 */
export function signEdDsa(signKey: KeyObject, header: object, payload: object): string {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), signKey).toString('base64url')}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

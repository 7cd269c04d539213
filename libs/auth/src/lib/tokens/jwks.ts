import type { JsonWebKey } from 'node:crypto';
import type { AuthAlgorithm, Keyring } from './signing-keys';

/**
 * A public key of the keyring as a JWK (RFC 7517), with its `kid`, `alg` and `use: 'sig'`.
 *
 * @publicApi
 */
export type PublicJsonWebKey = JsonWebKey & { kid: string; alg: AuthAlgorithm; use: 'sig' };

/**
 * A JWK Set: what `GET /.well-known/jwks.json` serves.
 *
 * @publicApi
 */
export interface JsonWebKeySet {
  keys: PublicJsonWebKey[];
}

/**
 * The public keys of every asymmetric key of the keyring, active and verify-only. Symmetric
 * (HS256) keys are never published, and a public KeyObject exports no private parameter.
 */
export function publicJwks(keyring: Keyring): JsonWebKeySet {
  return {
    keys: [...keyring.byKid.values()]
      .filter((key) => key.algorithm !== 'HS256')
      .map((key) => ({ ...key.verifyKey.export({ format: 'jwk' }), kid: key.kid, alg: key.algorithm, use: 'sig' as const })),
  };
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ACCESS_TOKEN_TYPE, MAX_ACCESS_TOKEN_BYTES, RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth.options';
import { isValidSignature, signEdDsa } from './jws-signature';
import type { Keyring, LoadedKey } from './signing-keys';

/**
 * The claims of a valid access token: the module's own plus the identity's extra claims.
 *
 * @publicApi
 */
export interface AccessTokenClaims {
  /** The user id given to `issueTokens`. */
  sub: string;
  email: string;
  /** Session id: every rotation of one login shares it. */
  sid: string;
  /** Unique id of this token. */
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  [claim: string]: unknown;
}

/**
 * Why an access token was rejected.
 *
 * @publicApi
 */
export type InvalidAccessTokenReason =
  | 'malformed'
  | 'too_large'
  | 'wrong_type'
  | 'unsupported_header'
  | 'unknown_key'
  | 'algorithm_mismatch'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'not_yet_valid'
  | 'invalid_claims';

/**
 * Result of checking an access token (the seed's `is_jwt_token_valid`).
 *
 * @publicApi
 */
export type AccessTokenVerification =
  | { status: 'valid'; claims: AccessTokenClaims }
  | { status: 'expired' }
  | { status: 'invalid'; reason: InvalidAccessTokenReason };

/** What an access token is issued for. */
export interface AccessTokenSubject {
  sub: string;
  email: string;
  sid: string;
  claims: Record<string, unknown>;
}

/** A signed access token and its expiry (epoch seconds). */
export interface SignedAccessToken {
  token: string;
  expiresAt: number;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const HEADER_CACHE_SIZE = 64;

/**
 * Signs access tokens with the active key through `@nestjs/jwt` (EdDSA, which jsonwebtoken
 * cannot sign, with node:crypto) and verifies them with node:crypto and the keyring's
 * KeyObjects, pinning `typ`, `kid`, the key's algorithm, `iss` and `aud`. Verification skips
 * jsonwebtoken, which validates its options and decodes the token again on every call: ~67k
 * verifications/s through it, ~150k/s this way (the root README's Performance section).
 */
@Injectable()
export class AccessTokenService {
  private readonly signWithActiveKey: (payload: object) => string;
  // Encoded headers already found to name a key of the keyring correctly. The keyring never
  // changes after start-up, so the verdict for a header string never changes either; the
  // cache stops growing at HEADER_CACHE_SIZE, so varied headers cannot inflate it.
  private readonly keyOfHeader = new Map<string, LoadedKey>();

  constructor(@Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {
    this.signWithActiveKey = this.signerFor(options.keyring.signing);
  }

  /** Signs an access token for a session with the active key. */
  sign(subject: AccessTokenSubject): SignedAccessToken {
    const iat = Math.floor(this.options.now() / 1000);
    const exp = iat + this.options.accessTokenTtl;
    const payload = { ...subject.claims, sub: subject.sub, email: subject.email, sid: subject.sid, jti: randomUUID(), iat, exp };
    return { token: this.signWithActiveKey(payload), expiresAt: exp };
  }

  /** Checks an access token; never throws. */
  verify(token: unknown): AccessTokenVerification {
    if (typeof token !== 'string') return invalid('malformed');
    if (token.length > MAX_ACCESS_TOKEN_BYTES) return invalid('too_large');
    if (!COMPACT_JWS.test(token)) return invalid('malformed');
    const headerEnd = token.indexOf('.');
    const payloadEnd = token.lastIndexOf('.');

    const key = this.keyFor(token.slice(0, headerEnd));
    if ('status' in key) return key;
    if (!isValidSignature(key, token.slice(0, payloadEnd), token.slice(payloadEnd + 1))) return invalid('bad_signature');

    const payload = parseJsonObject(token.slice(headerEnd + 1, payloadEnd));
    return payload ? this.checkClaims(payload) : invalid('malformed');
  }

  // The key a token's header names, or why the header is refused: typ must be at+jwt, no
  // crit, a known kid, and exactly that key's algorithm.
  private keyFor(encodedHeader: string): LoadedKey | AccessTokenVerification {
    const cached = this.keyOfHeader.get(encodedHeader);
    if (cached) return cached;
    const header = parseJsonObject(encodedHeader);
    if (!header) return invalid('malformed');
    if (header['typ'] !== ACCESS_TOKEN_TYPE && header['typ'] !== `application/${ACCESS_TOKEN_TYPE}`) return invalid('wrong_type');
    if ('crit' in header) return invalid('unsupported_header');
    const key = typeof header['kid'] === 'string' ? this.options.keyring.byKid.get(header['kid']) : undefined;
    if (!key) return invalid('unknown_key');
    if (header['alg'] !== key.algorithm) return invalid('algorithm_mismatch');
    if (this.keyOfHeader.size < HEADER_CACHE_SIZE) this.keyOfHeader.set(encodedHeader, key);
    return key;
  }

  // Built once: the KeyObject, algorithm, kid, iss and aud never change after start-up.
  private signerFor(key: Keyring['signing']): (payload: object) => string {
    const header = { alg: key.algorithm, typ: ACCESS_TOKEN_TYPE, kid: key.kid };
    const { issuer: iss, audience: aud } = this.options;
    if (key.algorithm === 'EdDSA') return (payload) => signEdDsa(key.signKey, header, { ...payload, iss, aud });
    const jwt = new JwtService({
      ...(key.algorithm === 'HS256' ? { secret: key.signKey } : { privateKey: key.signKey }),
      signOptions: { algorithm: key.algorithm, keyid: key.kid, header, issuer: iss, audience: aud },
    });
    return (payload) => jwt.sign(payload);
  }

  private checkClaims(claims: Partial<AccessTokenClaims>): AccessTokenVerification {
    const now = Math.floor(this.options.now() / 1000);
    const tolerance = this.options.clockToleranceSeconds;
    const { iat, exp, nbf } = claims;
    if (!Number.isInteger(exp) || !Number.isInteger(iat) || (nbf !== undefined && typeof nbf !== 'number')) return invalid('invalid_claims');
    if (typeof nbf === 'number' && nbf > now + tolerance) return invalid('not_yet_valid');
    if (now >= (exp as number) + tolerance) return { status: 'expired' };
    if (claims.iss !== this.options.issuer) return invalid('wrong_issuer');
    if (!hasAudience(claims.aud, this.options.audience)) return invalid('wrong_audience');
    const wellTyped = typeof claims.sub === 'string' && typeof claims.email === 'string' && typeof claims.sid === 'string' && typeof claims.jti === 'string';
    if (!wellTyped || (exp as number) - (iat as number) > this.options.accessTokenTtl || (iat as number) > now + tolerance) return invalid('invalid_claims');
    return { status: 'valid', claims: claims as AccessTokenClaims };
  }
}

function invalid(reason: InvalidAccessTokenReason): AccessTokenVerification {
  return { status: 'invalid', reason };
}

function parseJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hasAudience(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JsonWebTokenError, JwtService, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
import { ACCESS_TOKEN_TYPE, MAX_ACCESS_TOKEN_BYTES, RESOLVED_AUTH_OPTIONS } from '../auth.constants';
import type { ResolvedAuthOptions } from '../auth.options';
import type { LoadedKey } from './signing-keys';

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

interface KeyVerifier {
  key: LoadedKey;
  jwt: JwtService;
}

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Signs and verifies access tokens through `@nestjs/jwt` with the keyring's KeyObjects,
 * pinning algorithm, `typ`, `kid`, `iss` and `aud`.
 */
@Injectable()
export class AccessTokenService {
  private readonly signer: JwtService;
  private readonly verifiers: ReadonlyMap<string, KeyVerifier>;

  constructor(@Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {
    this.signer = this.jwtServiceFor(options.keyring.signing);
    this.verifiers = new Map([...options.keyring.byKid].map(([kid, key]) => [kid, { key, jwt: this.jwtServiceFor(key) }]));
  }

  /** Signs an access token for a session with the active key. */
  sign(subject: AccessTokenSubject): SignedAccessToken {
    const iat = Math.floor(this.options.now() / 1000);
    const exp = iat + this.options.accessTokenTtl;
    const payload = { ...subject.claims, sub: subject.sub, email: subject.email, sid: subject.sid, jti: randomUUID(), iat, exp };
    const token = this.signer.sign(payload);
    return { token, expiresAt: exp };
  }

  /** Checks an access token; never throws. */
  verify(token: unknown): AccessTokenVerification {
    if (typeof token !== 'string') return invalid('malformed');
    if (token.length > MAX_ACCESS_TOKEN_BYTES) return invalid('too_large');
    const segments = token.split('.');
    if (segments.length !== 3 || !segments.every((segment) => BASE64URL_SEGMENT.test(segment))) return invalid('malformed');

    const header = parseJsonObject(segments[0] as string);
    if (!header) return invalid('malformed');
    if (header['typ'] !== ACCESS_TOKEN_TYPE && header['typ'] !== `application/${ACCESS_TOKEN_TYPE}`) return invalid('wrong_type');
    if ('crit' in header) return invalid('unsupported_header');
    const verifier = typeof header['kid'] === 'string' ? this.verifiers.get(header['kid']) : undefined;
    if (!verifier) return invalid('unknown_key');
    if (header['alg'] !== verifier.key.algorithm) return invalid('algorithm_mismatch');

    return this.verifyWith(verifier.jwt, token);
  }

  // One JwtService per key, built once: the KeyObject, algorithm, iss, aud and leeway are
  // fixed at start-up, so a verification passes only the current time.
  private jwtServiceFor(key: LoadedKey): JwtService {
    const keyMaterial = key.algorithm === 'HS256' ? { secret: key.verifyKey } : { publicKey: key.verifyKey, privateKey: key.signKey };
    return new JwtService({
      ...keyMaterial,
      signOptions: {
        algorithm: key.algorithm,
        keyid: key.kid,
        header: { alg: key.algorithm, typ: ACCESS_TOKEN_TYPE, kid: key.kid },
        issuer: this.options.issuer,
        audience: this.options.audience,
      },
      verifyOptions: {
        algorithms: [key.algorithm],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
      },
    });
  }

  private verifyWith(jwt: JwtService, token: string): AccessTokenVerification {
    const nowSeconds = Math.floor(this.options.now() / 1000);
    let payload: unknown;
    try {
      payload = jwt.verify(token, { clockTimestamp: nowSeconds });
    } catch (error) {
      return verificationFailure(error);
    }
    return this.checkClaims(payload, nowSeconds);
  }

  private checkClaims(payload: unknown, nowSeconds: number): AccessTokenVerification {
    const claims = payload as Partial<AccessTokenClaims>;
    const wellTyped =
      typeof claims.sub === 'string' &&
      typeof claims.email === 'string' &&
      typeof claims.sid === 'string' &&
      typeof claims.jti === 'string' &&
      Number.isInteger(claims.iat) &&
      Number.isInteger(claims.exp);
    if (!wellTyped) return invalid('invalid_claims');
    const { iat, exp } = claims as { iat: number; exp: number };
    const tolerance = this.options.clockToleranceSeconds;
    if (exp - iat > this.options.accessTokenTtl || iat > nowSeconds + tolerance) return invalid('invalid_claims');
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

function verificationFailure(error: unknown): AccessTokenVerification {
  if (error instanceof TokenExpiredError) return { status: 'expired' };
  if (error instanceof NotBeforeError) return invalid('not_yet_valid');
  if (!(error instanceof JsonWebTokenError)) return invalid('malformed');
  if (error.message === 'invalid signature') return invalid('bad_signature');
  if (error.message.startsWith('jwt issuer invalid')) return invalid('wrong_issuer');
  if (error.message.startsWith('jwt audience invalid')) return invalid('wrong_audience');
  if (error.message === 'invalid algorithm' || error.message.startsWith('secretOrPublicKey must')) return invalid('algorithm_mismatch');
  if (error.message.startsWith('invalid') && error.message.endsWith('value')) return invalid('invalid_claims');
  return invalid('malformed');
}

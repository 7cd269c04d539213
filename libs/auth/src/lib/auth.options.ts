import { AUTH_DEFAULTS, MAX_CLOCK_TOLERANCE_SECONDS } from './auth.constants';
import { AuthConfigurationError } from './auth.errors';
import { type AuthKeyOptions, type Keyring, loadKeyring } from './tokens/signing-keys';

/**
 * Options of `AuthModule.forRoot` / `forRootAsync`. Durations are in seconds.
 *
 * @publicApi
 */
export interface AuthModuleOptions {
  /** The `iss` claim written to and required of access tokens, e.g. `https://api.example.com`. */
  issuer: string;
  /** The `aud` claim written to and required of access tokens. */
  audience: string;
  /** HS256 shorthand: one shared secret of at least 32 bytes. Use either this or `keys`. */
  secret?: string | Buffer;
  /** The keyring: exactly one `active` key signs, `verify-only` keys still verify. */
  keys?: AuthKeyOptions[];
  /** Access-token lifetime. Default 900 (15 minutes). */
  accessTokenTtl?: number;
  /** Absolute lifetime of a session (a login and all its rotations). Default 864000 (10 days). */
  refreshTokenTtl?: number;
  /** Leeway for `exp`, `nbf` and `iat` checks, 0 to 60. Default 0. */
  clockToleranceSeconds?: number;
  /**
   * How long after a rotation the old refresh token still gets a new pair in the same
   * session (a client retrying a request whose response it lost). After it, presenting the
   * old token revokes the whole session. 0 makes every reuse fatal. Default 10.
   */
  reuseWindowSeconds?: number;
  /** Ends a session that was not refreshed for this long. Off by default. */
  idleTimeoutSeconds?: number;
  /** How often expired sessions are deleted when the server refuses TTL indexes. Default 600. */
  sweepIntervalSeconds?: number;
  /** Current time in epoch milliseconds; for tests. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Options after defaults and validation, with keys loaded as KeyObjects.
 */
export interface ResolvedAuthOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly keyring: Keyring;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly clockToleranceSeconds: number;
  readonly reuseWindowMs: number;
  readonly idleTimeoutMs: number | undefined;
  readonly sweepIntervalMs: number;
  readonly now: () => number;
}

/**
 * Applies defaults and checks every option once, at start-up.
 *
 * @throws AuthConfigurationError naming the option and how to fix it.
 */
export function resolveAuthOptions(options: AuthModuleOptions): ResolvedAuthOptions {
  if (!options || typeof options !== 'object') throw new AuthConfigurationError('options are missing; pass at least `issuer`, `audience` and `secret`');
  const accessTokenTtl = positiveSeconds(options, 'accessTokenTtl', AUTH_DEFAULTS.accessTokenTtl);
  const refreshTokenTtl = positiveSeconds(options, 'refreshTokenTtl', AUTH_DEFAULTS.refreshTokenTtl);
  if (refreshTokenTtl <= accessTokenTtl) {
    throw new AuthConfigurationError(`\`refreshTokenTtl\` (${refreshTokenTtl} s) must be longer than \`accessTokenTtl\` (${accessTokenTtl} s)`);
  }
  const clockToleranceSeconds = secondsInRange(options, 'clockToleranceSeconds', AUTH_DEFAULTS.clockToleranceSeconds, MAX_CLOCK_TOLERANCE_SECONDS);
  const reuseWindowSeconds = secondsInRange(options, 'reuseWindowSeconds', AUTH_DEFAULTS.reuseWindowSeconds, accessTokenTtl);
  const idleTimeoutSeconds = options.idleTimeoutSeconds === undefined ? undefined : positiveSeconds(options, 'idleTimeoutSeconds', 0);

  return {
    issuer: nonEmptyString(options, 'issuer', "e.g. issuer: 'https://api.example.com'"),
    audience: nonEmptyString(options, 'audience', "e.g. audience: 'my-api'"),
    keyring: loadKeyring(options.secret, options.keys),
    accessTokenTtl,
    refreshTokenTtl,
    clockToleranceSeconds,
    reuseWindowMs: reuseWindowSeconds * 1000,
    idleTimeoutMs: idleTimeoutSeconds === undefined ? undefined : idleTimeoutSeconds * 1000,
    sweepIntervalMs: positiveSeconds(options, 'sweepIntervalSeconds', AUTH_DEFAULTS.sweepIntervalSeconds) * 1000,
    now: options.clock ?? Date.now,
  };
}

type NumericOption = 'accessTokenTtl' | 'refreshTokenTtl' | 'clockToleranceSeconds' | 'reuseWindowSeconds' | 'idleTimeoutSeconds' | 'sweepIntervalSeconds';

function positiveSeconds(options: AuthModuleOptions, name: NumericOption, fallback: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new AuthConfigurationError(`\`${name}\` must be a positive number of seconds (got ${JSON.stringify(options[name])})`);
  }
  return value;
}

function secondsInRange(options: AuthModuleOptions, name: NumericOption, fallback: number, max: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new AuthConfigurationError(`\`${name}\` must be a number of seconds from 0 to ${max} (got ${JSON.stringify(options[name])})`);
  }
  return value;
}

function nonEmptyString(options: AuthModuleOptions, name: 'issuer' | 'audience', example: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new AuthConfigurationError(`\`${name}\` must be a non-empty string (${example})`);
  return value;
}

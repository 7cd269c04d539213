import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Environment } from '../config/environment';

/** Throttler of `POST /auth/login`: per IP and email. */
export const LOGIN_THROTTLER = 'login';
/** Throttler of `POST /auth/register` and `POST /auth/refresh`: per IP. */
export const AUTH_THROTTLER = 'auth';

const ONE_MINUTE_MS = 60_000;

/**
 * The two throttlers of the auth routes, with limits from the environment.
 */
export function authThrottlers(config: ConfigService<Environment, true>): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: LOGIN_THROTTLER, ttl: ONE_MINUTE_MS, limit: config.get('LOGIN_THROTTLE_LIMIT', { infer: true }), getTracker: byIpAndEmail },
      { name: AUTH_THROTTLER, ttl: ONE_MINUTE_MS, limit: config.get('AUTH_THROTTLE_LIMIT', { infer: true }) },
    ],
  };
}

function byIpAndEmail(request: { ip?: string; body?: { email?: unknown } }): string {
  const email = request.body?.email;
  return `${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
}

/**
 * `ThrottlerGuard` that also sets the standard `Retry-After` header on a 429 (the library
 * writes only `Retry-After-<throttler>` for named throttlers).
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, detail.timeToBlockExpire));
    await super.throwThrottlingException(context, detail);
  }
}

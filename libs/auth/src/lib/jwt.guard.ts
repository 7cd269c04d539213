import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTH_REQUEST_PROPERTY, IS_PUBLIC_KEY, MAX_ACCESS_TOKEN_BYTES } from './auth.constants';
import { AuthService } from './auth.service';

/**
 * Why `JwtGuard` refused a request; the `reason` of its 401 body.
 *
 * @publicApi
 */
export type AuthenticationFailureReason = 'token_missing' | 'token_invalid' | 'token_expired';

/**
 * The 401 of `JwtGuard`: `{ statusCode: 401, error: 'Unauthorized', reason }`.
 *
 * @publicApi
 */
export class AuthenticationException extends HttpException {
  constructor(readonly reason: AuthenticationFailureReason) {
    super({ statusCode: HttpStatus.UNAUTHORIZED, error: 'Unauthorized', reason }, HttpStatus.UNAUTHORIZED);
  }
}

// The scheme is case-insensitive; exactly one space, then one token68 (RFC 6750 §2.1).
const BEARER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Requires a valid access token in `Authorization: Bearer <token>` and sets the verified
 * claims on `request.user` (see `@CurrentUser()`). Routes marked `@Public()` pass.
 * Use it per route (`@UseGuards(JwtGuard)`) or for the whole app (`{ provide: APP_GUARD, useClass: JwtGuard }`).
 * On failure: 401 with a `reason` and an RFC 6750 `WWW-Authenticate` header.
 *
 * Subclass it to adapt it: `getRequest` (GraphQL, WebSocket), `extractToken`, `isPublic`, `challenge`.
 *
 * @publicApi
 */
@Injectable()
export class JwtGuard implements CanActivate {
  constructor(
    protected readonly authService: AuthService,
    protected readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.isPublic(context)) return true;
    const request = this.getRequest(context);
    const token = this.extractToken(request);
    if (token === undefined) this.challenge(context, 'token_missing');

    const verification = this.authService.isJwtTokenValid(token);
    if (verification.status === 'expired') this.challenge(context, 'token_expired');
    if (verification.status !== 'valid') this.challenge(context, 'token_invalid');
    request[AUTH_REQUEST_PROPERTY] = verification.claims;
    return true;
  }

  /** Whether the handler or its class is marked `@Public()`. */
  protected isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]) === true;
  }

  /** The object carrying headers and receiving the claims; the HTTP request by default. */
  protected getRequest(context: ExecutionContext): Record<string, unknown> & { headers?: Record<string, unknown> } {
    return context.switchToHttp().getRequest();
  }

  /**
   * The bearer token, `undefined` when there is no `Authorization` header, or `null` when
   * the header is present but unusable (another scheme, several tokens, over 8 KB).
   */
  protected extractToken(request: { headers?: Record<string, unknown> }): string | null | undefined {
    const header = request.headers?.['authorization'];
    if (header === undefined || header === '') return undefined;
    if (typeof header !== 'string' || header.length > MAX_ACCESS_TOKEN_BYTES) return null;
    return BEARER.exec(header)?.[1] ?? null;
  }

  /** Sets `WWW-Authenticate` (RFC 6750 §3) when there is an HTTP response, and throws the 401. */
  protected challenge(context: ExecutionContext, reason: AuthenticationFailureReason): never {
    const response = context.getType() === 'http' ? context.switchToHttp().getResponse() : undefined;
    const value = reason === 'token_missing' ? 'Bearer' : `Bearer error="invalid_token"`;
    if (typeof response?.setHeader === 'function') response.setHeader('WWW-Authenticate', value);
    else if (typeof response?.header === 'function') response.header('WWW-Authenticate', value);
    throw new AuthenticationException(reason);
  }
}

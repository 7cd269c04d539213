import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AUTH_REQUEST_PROPERTY } from '../auth.constants';
import type { AccessTokenClaims } from '../tokens/access-token';

/**
 * The verified access-token claims of the request, or one of them, as set by `JwtGuard`.
 * HTTP requests only; for other contexts read the property the guard's `getRequest` returns.
 *
 * @example
 * @Get('me')
 * me(@CurrentUser() user: AccessTokenClaims) {}
 * profile(@CurrentUser('sub') userId: string) {}
 *
 * @publicApi
 */
export const CurrentUser = createParamDecorator((claim: keyof AccessTokenClaims | undefined, context: ExecutionContext) => {
  const claims = context.switchToHttp().getRequest()[AUTH_REQUEST_PROPERTY] as AccessTokenClaims | undefined;
  return claim === undefined ? claims : claims?.[claim];
});

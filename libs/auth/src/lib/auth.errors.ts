/**
 * Thrown at start-up when `AuthModule` options are invalid; the message says how to fix them.
 *
 * @publicApi
 */
export class AuthConfigurationError extends Error {
  constructor(message: string) {
    super(`AuthModule: ${message}`);
    this.name = 'AuthConfigurationError';
  }
}

/**
 * Thrown when the refresh-token store (MongoDB) cannot be reached or fails. Map it to
 * HTTP 503: the request may succeed later and nothing was consumed by the failed call.
 *
 * @publicApi
 */
export class AuthStoreUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`The refresh-token store failed during ${operation}: ${describeCause(cause)}`, { cause });
    this.name = 'AuthStoreUnavailableError';
  }
}

/**
 * Thrown by `issueTokens` when an identity is unusable: no `sub`, no `email`, or a claim
 * whose name the module reserves for itself.
 *
 * @publicApi
 */
export class InvalidIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdentityError';
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}` : 'unknown error';
}

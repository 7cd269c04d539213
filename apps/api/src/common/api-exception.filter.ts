import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AuthStoreUnavailableError } from '@nestkit/auth';
import type { Response } from 'express';
import { httpErrorName } from './http-error-name';

interface ErrorResponse {
  status: number;
  body: object;
}

const DATABASE_UNAVAILABLE = /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|Timeout)Error$/;

/**
 * Uniform JSON errors: HTTP exceptions with their own bodies (all written by this app, Nest
 * or its modules), throttling as 429 `rate_limited`, MongoDB outages as 503
 * `database_unavailable`, and anything else as a bare 500, logged by name and message
 * only. Bodies never carry a stack or an internal message.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = this.toResponse(exception);
    host.switchToHttp().getResponse<Response>().status(status).json(body);
  }

  private toResponse(exception: unknown): ErrorResponse {
    if (exception instanceof ThrottlerException) return reasoned(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited');
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (isDatabaseUnavailable(exception)) return reasoned(HttpStatus.SERVICE_UNAVAILABLE, 'database_unavailable');
    const { name, message, stack } = exception instanceof Error ? exception : new Error(typeof exception);
    this.logger.error(`unhandled ${name}: ${message}`, stack);
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: httpErrorName(HttpStatus.INTERNAL_SERVER_ERROR) } };
  }
}

function reasoned(status: number, reason: string): ErrorResponse {
  return { status, body: { statusCode: status, error: httpErrorName(status), reason } };
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  return { status, body: typeof response === 'string' ? { statusCode: status, error: httpErrorName(status), message: response } : response };
}

function isDatabaseUnavailable(exception: unknown): boolean {
  if (exception instanceof AuthStoreUnavailableError) return true;
  return exception instanceof Error && DATABASE_UNAVAILABLE.test(exception.name);
}

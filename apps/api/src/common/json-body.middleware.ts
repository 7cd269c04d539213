import { HttpStatus } from '@nestjs/common';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { httpErrorName } from './http-error-name';

const PARSER_FAILURES: Record<string, { statusCode: number; reason: string }> = {
  'entity.parse.failed': { statusCode: HttpStatus.BAD_REQUEST, reason: 'invalid_json' },
  'entity.too.large': { statusCode: HttpStatus.PAYLOAD_TOO_LARGE, reason: 'body_too_large' },
  'encoding.unsupported': { statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE, reason: 'unsupported_encoding' },
  'charset.unsupported': { statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE, reason: 'unsupported_charset' },
  'request.aborted': { statusCode: HttpStatus.BAD_REQUEST, reason: 'request_aborted' },
};

/**
 * A JSON body parser with its own error handler. Nest's built-in one turns a parse failure
 * into a 400 whose message is V8's, which quotes the start of the body (a password, say).
 */
export function jsonBody(limit: string): [RequestHandler, ErrorRequestHandler] {
  const rejectUnparsable: ErrorRequestHandler = (error, _request, response, next) => {
    const failure = PARSER_FAILURES[(error as { type?: string }).type ?? ''];
    if (!failure) return next(error);
    response.status(failure.statusCode).json({ statusCode: failure.statusCode, error: httpErrorName(failure.statusCode), reason: failure.reason });
  };
  return [express.json({ limit }), rejectUnparsable];
}

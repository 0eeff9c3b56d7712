/**
 * Every error leaves as `{ error: { code, message, … } }` with its status (api-error.ts). Server
 * errors are logged with their cause; client errors are not (they are the caller's answer).
 */
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from '../observability/logger.js';
import { ApiError, toApiError } from './api-error.js';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Nest's own HttpExceptions (unknown route, …) in the service's error shape. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return new ApiError(status, { code: STATUS_CODES[status] ?? 'HTTP_ERROR', message: error.message });
  }
  return toApiError(error);
}

export function sendError(reply: Reply, error: unknown, logger: Logger): void {
  const api = apiErrorOf(error);
  if (api.status >= 500) logger.error({ err: api.cause ?? error, code: api.body.code }, api.body.message);
  if (api.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="subsidies"');
  reply.status(api.status).send({ error: api.body });
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<Reply>(), error, this.logger);
  }
}

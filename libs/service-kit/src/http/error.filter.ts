/**
 * Every error leaves as `{ error: { code, message, … } }` with its status (error-mapping.ts):
 * errors thrown by routes (the Nest filter) and errors before a route runs (fastify's error
 * handler: body too large, bad JSON). Server errors are logged with their cause; client errors
 * are not (they are the caller's answer).
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ErrorMapping } from './error-mapping.js';

export interface ErrorReply {
  status(code: number): ErrorReply;
  header(name: string, value: string): ErrorReply;
  send(body: unknown): unknown;
}

export function sendError(
  reply: ErrorReply,
  error: unknown,
  mapping: ErrorMapping,
  logger: Logger,
  realm: string,
): void {
  const api = mapping(error);
  if (api.status >= 500) logger.error({ err: api.cause ?? error, code: api.body.code }, api.body.message);
  if (api.status === 401) reply.header('WWW-Authenticate', `Bearer realm="${realm}"`);
  for (const [name, value] of Object.entries(api.headers)) reply.header(name, value);
  reply.status(api.status).send({ error: api.body });
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly mapping: ErrorMapping,
    private readonly logger: Logger,
    private readonly realm: string,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<ErrorReply>(), error, this.mapping, this.logger, this.realm);
  }
}

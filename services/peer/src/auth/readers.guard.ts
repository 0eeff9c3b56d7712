/**
 * `@UseGuards(ReadersGuard)`: the route answers only callers ReaderAccess admits. A refusal is
 * the peer's error body `{error: {code, reason}}` with 401 (and `WWW-Authenticate: Bearer`,
 * RFC 6750), 403 or 503.
 */
import { HttpException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from '../query/query.controller.js';
import { ReaderAccess } from './reader-access.service.js';

/** The realm named in WWW-Authenticate. */
export const PEER_REALM = 'civic-peer';

@Injectable()
export class ReadersGuard implements CanActivate {
  constructor(@Inject(ReaderAccess) private readonly access: ReaderAccess) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.access.enabled) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const decision = this.access.decide(request.headers.authorization);
    if (decision.ok) return true;
    if (decision.status === 401) {
      const error = decision.tokenGiven ? ', error="invalid_token"' : '';
      http.getResponse<FastifyReply>().header('WWW-Authenticate', `Bearer realm="${PEER_REALM}"${error}`);
    }
    throw new HttpException({ error: { code: decision.code, reason: decision.reason } }, decision.status);
  }
}

/**
 * The global interceptor of the `minBlock` token (ledger/min-block.ts): after the guards (so an
 * unauthenticated request is never held), before the route, on every route that needs a token.
 * Public routes (the ops endpoints) ignore it.
 */
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, switchMap, type Observable } from 'rxjs';
import { ACCESS_RULE, type AccessSpec } from '../auth/access.js';
import { MinBlockService, requestedMinBlock } from '../ledger/min-block.js';

interface RequestLike {
  readonly query?: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

@Injectable()
export class MinBlockInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(MinBlockService) private readonly minBlock: MinBlockService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const access = this.reflector.getAllAndOverride<AccessSpec | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public' || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RequestLike>();
    const block = requestedMinBlock(request.query, request.headers);
    if (block === null) return next.handle();
    return from(this.minBlock.waitFor(block)).pipe(switchMap(() => next.handle()));
  }
}

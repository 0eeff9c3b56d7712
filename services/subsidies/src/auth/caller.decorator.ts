import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import type { AuthenticatedRequest } from './auth.guard.js';

/** The verified caller of the request (set by AuthGuard). */
export const CallerOf = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller | undefined => {
    return context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  },
);

/**
 * The global guard: every route needs a valid token of the service's audience and a caller its
 * `@Access` rule allows (OWN_ORG_WRITE when it has none), except `public` and `self` routes.
 * The verified caller is attached to the request for `@CallerOf()`.
 */
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Caller } from '@civic/gateway';
import { ACCESS_RULE, OWN_ORG_WRITE, type AccessSpec } from './access.js';
import { bearerToken, TokenVerifier } from './token-verifier.js';

/** The request as the guard leaves it: the verified caller attached. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec =
      this.reflector.getAllAndOverride<AccessSpec | undefined>(ACCESS_RULE, [
        context.getHandler(),
        context.getClass(),
      ]) ??
      this.verifier.options.defaultRule ??
      OWN_ORG_WRITE;
    if (spec === 'public' || spec === 'self') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(
      request.headers.authorization,
      `civic token --user <name> --audience ${this.verifier.options.audience}`,
    );
    const caller = await this.verifier.verify(token);
    this.verifier.authorize(caller, spec);
    request.caller = caller;
    return true;
  }
}

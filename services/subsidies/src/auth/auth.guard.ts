/**
 * Authentication and route access. A caller proves its organisation with a short-lived EdDSA
 * token carrying a certificate issued by that organisation's CA (gateway's verifyToken against
 * the channel config the own peer has committed, at the current time): without a valid one the
 * answer is 401. The route's rule (organisation relative to this instance, role) gives 403.
 */
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { accessDenied, verifyToken, type AccessRule, type Caller, type Gateway } from '@civic/gateway';
import type { ServiceConfig } from '../config/service-config.js';
import { ApiError } from '../http/api-error.js';
import { CLOCK, GATEWAY, SERVICE_CONFIG } from '../ledger/tokens.js';
import { ACCESS_RULE, OWN_ORG_WRITE } from './access.decorator.js';

/** The audience a token must name to be accepted here. */
export const SUBSIDIES_AUDIENCE = 'subsidies';

/** The request as the guard leaves it: the verified caller attached. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(GATEWAY) private readonly gateway: Gateway,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule =
      this.reflector.getAllAndOverride<AccessRule | 'public' | undefined>(ACCESS_RULE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? OWN_ORG_WRITE;
    if (rule === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header) : null;
    if (match === null)
      throw unauthenticated(
        'an Authorization: Bearer <token> header is required (civic token --user <name>)',
      );
    const verified = verifyToken(match[1], {
      config: await this.gateway.config.current(),
      audience: SUBSIDIES_AUDIENCE,
      nowMs: this.clock(),
    });
    if (!verified.ok) throw unauthenticated(`invalid token: ${verified.reason}`);
    const denied = accessDenied(verified.caller, rule, this.config.mspId);
    if (denied !== null) throw new ApiError(403, { code: 'FORBIDDEN', message: denied });
    request.caller = verified.caller;
    return true;
  }
}

function unauthenticated(message: string): ApiError {
  return new ApiError(401, { code: 'UNAUTHENTICATED', message });
}

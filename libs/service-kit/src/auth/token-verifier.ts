/**
 * Authentication of REST callers: a short-lived EdDSA bearer token carrying a certificate issued
 * by the caller's organisation (identity's `verifyToken`, through the gateway), checked against
 * the channel config the own peer has committed, at the current time. Without a valid one the
 * answer is 401; the route's access rule gives 403 (gateway's `accessDenied`).
 */
import { Inject, Injectable } from '@nestjs/common';
import { accessDenied, verifyToken, type AccessRule, type Caller, type ConfigSource } from '@civic/gateway';
import { bearerTokenOf } from '@civic/identity';
import { ApiError, forbidden, unauthenticated } from '../http/api-error.js';
import { AUTH_OPTIONS, CLOCK, CONFIG_SOURCE } from '../tokens.js';

export interface AuthOptions {
  /** The audience tokens must name (the service's name). */
  readonly audience: string;
  /** The organisation this instance acts for (`own` in access rules). */
  readonly mspId: string;
  /** The rule of routes without `@Access` (default OWN_ORG_WRITE): closed unless opened. */
  readonly defaultRule?: AccessRule;
}

/** The bearer token of an Authorization header, or a 401. */
export function bearerToken(header: string | string[] | undefined, hint: string): string {
  const token = bearerTokenOf(header);
  if (token === null) throw unauthenticated(`an Authorization: Bearer <token> header is required (${hint})`);
  return token;
}

@Injectable()
export class TokenVerifier {
  constructor(
    @Inject(AUTH_OPTIONS) readonly options: AuthOptions,
    @Inject(CONFIG_SOURCE) private readonly config: ConfigSource,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  /** The verified caller of a token for `audience` (default the service's), or a 401 ApiError. */
  async verify(token: string, audience: string = this.options.audience): Promise<Caller> {
    let config;
    try {
      config = await this.config.current();
    } catch (error) {
      throw new ApiError(
        503,
        { code: 'NOT_READY', message: `cannot check tokens yet: ${(error as Error).message}` },
        { cause: error },
      );
    }
    const verified = verifyToken(token, { config, audience, nowMs: this.clock() });
    if (!verified.ok) throw unauthenticated(`invalid token: ${verified.reason}`);
    return verified.caller;
  }

  /** Throws 403 when `rule` does not let `caller` in. */
  authorize(caller: Caller, rule: AccessRule): void {
    const denied = accessDenied(caller, rule, this.options.mspId);
    if (denied !== null) throw forbidden(denied);
  }
}

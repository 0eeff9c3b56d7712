/**
 * Who may call a route. `@Access(rule)` on a handler or controller; the global AuthGuard reads
 * it. The organisation part is relative to the service instance (gateway's `AccessRule`: `own`,
 * `any` or a list of mspIds); roles are certificate OUs.
 */
import { SetMetadata } from '@nestjs/common';
import type { AccessRule } from '@civic/gateway';

/** Metadata key of a route's access spec. */
export const ACCESS_RULE = 'civic:access-rule';

/**
 * - an AccessRule: a valid token of the service's audience whose caller the rule allows;
 * - `public`: no token (ops endpoints);
 * - `self`: the route's own guard authenticates (e.g. citizen tokens); the global guard lets
 *   the request through untouched. Use only together with `@UseGuards(…)`.
 */
export type AccessSpec = AccessRule | 'public' | 'self';

export const Access = (spec: AccessSpec) => SetMetadata(ACCESS_RULE, spec);

/** Writes: a client or admin of the organisation this instance acts for. */
export const OWN_ORG_WRITE: AccessRule = { orgs: 'own', roles: ['client', 'admin'] };
/** Reads: any member of any organisation of the channel. */
export const ANY_MEMBER_READ: AccessRule = { orgs: 'any', roles: [] };

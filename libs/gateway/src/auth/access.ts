/**
 * Who may call a route: the caller's organisation and role, from its verified certificate. The
 * organisation rule is relative to the service instance (one instance serves one organisation):
 * `own` lets only that organisation's members act through it, so a member of one municipality
 * cannot decide through another's service. Rules about the data (only a scheme's own authority
 * decides under it) are the domain's.
 */
import type { Caller } from '@civic/identity';

export interface AccessRule {
  /** `own`: the service's organisation only; `any`: any organisation of the channel; or a list. */
  readonly orgs: 'own' | 'any' | readonly string[];
  /** Roles allowed (certificate OU); empty = any role. */
  readonly roles: readonly string[];
}

/** Null when allowed, else the reason for the 403. */
export function accessDenied(caller: Caller, rule: AccessRule, ownMspId: string): string | null {
  if (rule.orgs === 'own' && caller.mspId !== ownMspId) {
    return `${caller.subject} is a member of ${caller.mspId}; this service acts for ${ownMspId} only`;
  }
  if (Array.isArray(rule.orgs) && !rule.orgs.includes(caller.mspId)) {
    return `${caller.mspId} may not call this route (allowed: ${rule.orgs.join(', ')})`;
  }
  if (rule.roles.length > 0 && !rule.roles.includes(caller.role)) {
    return `role ${caller.role} may not call this route (allowed: ${rule.roles.join(', ')})`;
  }
  return null;
}

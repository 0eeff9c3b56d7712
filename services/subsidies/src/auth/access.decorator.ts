import { SetMetadata } from '@nestjs/common';
import type { AccessRule } from '@civic/gateway';

/** Metadata key of a route's access rule. */
export const ACCESS_RULE = 'civic:access-rule';

/** Who may call a route (organisation relative to this instance, roles); see AuthGuard. */
export const Access = (rule: AccessRule | 'public') => SetMetadata(ACCESS_RULE, rule);

/** Writes: a client or admin of the organisation this instance acts for. */
export const OWN_ORG_WRITE: AccessRule = { orgs: 'own', roles: ['client', 'admin'] };
/** Reads: any member of any organisation of the channel (the de minimis register is public, Art. 6). */
export const ANY_MEMBER_READ: AccessRule = { orgs: 'any', roles: [] };

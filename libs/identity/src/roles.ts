/**
 * Roles, carried in the OU of a certificate's subject. A role says what an identity may do:
 * admins sign config updates, clients create and endorse transactions, peers keep the ledger,
 * orderers cut and sign blocks. `member` is not a role of a certificate: in a policy it
 * matches any role of the organisation.
 */
export const Role = {
  ADMIN: 'admin',
  CLIENT: 'client',
  PEER: 'peer',
  ORDERER: 'orderer',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ROLES: readonly Role[] = Object.values(Role);

/** What a policy principal may name: a role, or `member` for any role. */
export const MEMBER = 'member';
export type PrincipalRole = Role | typeof MEMBER;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPrincipalRole(value: unknown): value is PrincipalRole {
  return value === MEMBER || isRole(value);
}

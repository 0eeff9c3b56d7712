/**
 * Who is who in the transport namespace (notes/orgs.md, docs/transport.md#organisations): RDW
 * keeps the driver-card register, the inspectorate ILT and the police check drivers and
 * companies, and every other organisation that may write the namespace is a transport company
 * that uploads its drivers' records. One service instance acts for one organisation and behaves
 * as that organisation's kind.
 */

/** The vehicle authority: issues driver cards and keeps the register (Reg. 165/2014 Art. 26). */
export const CARD_AUTHORITY = 'RDW';

/** Control authorities (Directive 2006/22/EC): roadside and company checks. */
export const INSPECTORATES: readonly string[] = ['ILT', 'Police'];

export const OrgKind = {
  CARD_AUTHORITY: 'card-authority',
  INSPECTORATE: 'inspectorate',
  COMPANY: 'company',
} as const;
export type OrgKind = (typeof OrgKind)[keyof typeof OrgKind];

export function isInspectorate(mspId: string): boolean {
  return INSPECTORATES.includes(mspId);
}

export function orgKindOf(mspId: string): OrgKind {
  if (mspId === CARD_AUTHORITY) return OrgKind.CARD_AUTHORITY;
  if (isInspectorate(mspId)) return OrgKind.INSPECTORATE;
  return OrgKind.COMPANY;
}

/**
 * Who may see what of a card (docs/transport.md#rest-api), beyond the kit's token check:
 *
 * - the chain's view of a card (uploads, findings, inspections, access log): the driver of the
 *   card, the card's company, and the inspectorates;
 * - the records themselves: at a company's service, its own staff and the driver for the
 *   company's own uploads, and inspectors (each access logged); at an inspectorate's service,
 *   its own staff (fetched from the companies, each access logged there);
 * - the register entry: any member of the channel and the driver of the card.
 *
 * A route an organisation's kind does not offer (uploads at RDW, checks at a company) is 404.
 */
import { ApiError, forbidden } from '@civic/service-kit';
import { isInspectorate, orgKindOf, type CardRecord, type OrgKind } from '../domain/index.js';
import type { Principal } from '../auth/principal.js';

export function requireOffered(ownMspId: string, kind: OrgKind, what: string): void {
  if (orgKindOf(ownMspId) !== kind) {
    throw new ApiError(404, {
      code: 'NOT_OFFERED',
      message: `${what} is offered by a ${kind}'s transport service; this one acts for ${ownMspId} (${orgKindOf(ownMspId)})`,
    });
  }
}

export function describe(principal: Principal): string {
  return principal.kind === 'driver'
    ? `the holder of card ${principal.cardNumber}`
    : principal.caller.subject;
}

export function isDriverOf(principal: Principal, cardNumber: string): boolean {
  return principal.kind === 'driver' && principal.cardNumber === cardNumber;
}

export function staffOf(principal: Principal): string | null {
  return principal.kind === 'staff' ? principal.caller.mspId : null;
}

/** The chain's view of a card: its driver, its company, the inspectorates. */
export function requireCardView(principal: Principal, card: CardRecord): void {
  const org = staffOf(principal);
  if (
    isDriverOf(principal, card.cardNumber) ||
    (org !== null && (org === card.company || isInspectorate(org)))
  )
    return;
  throw forbidden(
    `${describe(principal)} may not see card ${card.cardNumber}: only its driver, its company and the inspectorates`,
  );
}

/** The register entry: any member of the channel, and the card's own driver. */
export function requireRegisterView(principal: Principal, cardNumber: string): void {
  if (principal.kind === 'staff' || isDriverOf(principal, cardNumber)) return;
  throw forbidden(`${describe(principal)} may not see card ${cardNumber}`);
}

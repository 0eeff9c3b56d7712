/**
 * Helpers shared by the transaction functions: who is acting, what day it is, and loading the
 * records a rule depends on, each refusing with the rule it enforces.
 *
 * `ctx.mspId` is read as the organisation that CREATES the transaction. Endorsers re-run the same
 * function and must see the creator's mspId there too (not their own), or they would refuse the
 * creator's rules; docs/parking.md#endorsement states this requirement on the gateway.
 */
import type { TxContext } from '@civic/gateway';
import { dutchDate, type CalendarDate } from '../dates.js';
import { invariant, ParkingRuleViolation } from '../errors.js';
import { isMunicipality, type Municipality } from '../organisations.js';
import { parseHex64, type Hex64 } from '../privacy.js';
import {
  CardStatus,
  HolderStatus,
  keys,
  PlaceStatus,
  type CardEndReason,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from '../records.js';

/** The acting municipality, or NOT_A_MUNICIPALITY. */
export function actingMunicipality(ctx: TxContext, action: string): Municipality {
  if (!isMunicipality(ctx.mspId)) {
    throw new ParkingRuleViolation(
      'NOT_A_MUNICIPALITY',
      `${ctx.mspId} is not a municipality and may not ${action}`,
    );
  }
  return ctx.mspId;
}

/** The Dutch calendar day of the transaction. */
export function txDay(ctx: TxContext): CalendarDate {
  return dutchDate(ctx.txTime);
}

export async function loadHolder(ctx: TxContext, hidInput: unknown): Promise<HolderRecord> {
  const hid = parseHex64(hidInput, 'hid', 'HOLDER_ID_MALFORMED');
  const holder = await ctx.get<HolderRecord>(keys.holder(hid));
  if (holder === undefined)
    throw new ParkingRuleViolation('HOLDER_UNKNOWN', `no holder is registered with id ${hid}`);
  invariant(holder.hid === hid, () => `holder/${hid} holds the record of ${holder.hid}`);
  return holder;
}

export async function loadCard(ctx: TxContext, cardNumber: string): Promise<CardRecord> {
  const card = await ctx.get<CardRecord>(keys.card(cardNumber));
  if (card === undefined)
    throw new ParkingRuleViolation('CARD_UNKNOWN', `no card ${cardNumber} was ever issued`);
  invariant(
    card.cardNumber === cardNumber,
    () => `card/${cardNumber} holds the record of ${card.cardNumber}`,
  );
  return card;
}

/** Refuses unless `mspId` is the holder's municipality of registration. */
export function requireRegisteredHere(holder: HolderRecord, mspId: string, action: string): void {
  if (holder.municipality !== mspId) {
    throw new ParkingRuleViolation(
      'NOT_REGISTERED_HERE',
      `${mspId} may not ${action}: the holder ${short(holder.hid)} is registered in ${holder.municipality}, and only the municipality of registration decides`,
    );
  }
}

/** Refuses unless the holder record is active (not deceased, moved or erased). */
export function requireActive(holder: HolderRecord, action: string): void {
  switch (holder.status) {
    case HolderStatus.ACTIVE:
      return;
    case HolderStatus.DECEASED:
      throw new ParkingRuleViolation(
        'HOLDER_DECEASED',
        `cannot ${action}: the holder ${short(holder.hid)} has died`,
      );
    case HolderStatus.MOVED:
      throw new ParkingRuleViolation(
        'HOLDER_MOVED',
        `cannot ${action}: the holder ${short(holder.hid)} moved away from ${holder.municipality}`,
      );
    case HolderStatus.ERASED:
      throw new ParkingRuleViolation(
        'HOLDER_ERASED',
        `cannot ${action}: the holder ${short(holder.hid)} was erased`,
      );
    default:
      invariant(false, () => `holder ${holder.hid} has unknown status ${String(holder.status)}`);
  }
}

/** `list` plus `item`, or LIMIT_REACHED when the list is full. */
export function appendBounded(list: readonly string[], item: string, max: number, what: string): string[] {
  if (list.length >= max) {
    throw new ParkingRuleViolation('LIMIT_REACHED', `a holder can have at most ${max} ${what}`);
  }
  return [...list, item];
}

/** The holder's current card and active place, read before any write of a transaction. */
export interface HolderAttachments {
  readonly card: CardRecord | undefined;
  readonly place: PlaceRecord | undefined;
}

export async function loadAttachments(ctx: TxContext, holder: HolderRecord): Promise<HolderAttachments> {
  const card = holder.currentCard === null ? undefined : await loadCard(ctx, holder.currentCard);
  const record = holder.place === null ? undefined : await ctx.get<PlaceRecord>(keys.plate(holder.place));
  // A place that ended with an expired card may since have been given to another holder: the
  // holder's pointer is then stale and the place is no longer theirs.
  const place =
    record !== undefined && record.hid === holder.hid && record.status === PlaceStatus.ACTIVE
      ? record
      : undefined;
  return { card, place };
}

/**
 * Ends the holder's current card and active place (death, move, erasure): writes both records.
 * Call only after every rule of the transaction has passed.
 */
export function endAttachments(ctx: TxContext, found: HolderAttachments, reason: CardEndReason): void {
  if (found.card !== undefined && found.card.status === CardStatus.ACTIVE) {
    ctx.put(keys.card(found.card.cardNumber), {
      ...found.card,
      status: CardStatus.ENDED,
      reason,
      endedAt: ctx.txTime,
    });
  }
  if (found.place !== undefined) endPlace(ctx, found.place, `card-ended-${reason}`);
}

export function endPlace(ctx: TxContext, place: PlaceRecord, reason: string): PlaceRecord {
  invariant(place.status === PlaceStatus.ACTIVE, () => `place ${place.plate} is not active`);
  const ended: PlaceRecord = { ...place, status: PlaceStatus.ENDED, reason, endedAt: ctx.txTime };
  ctx.put(keys.plate(place.plate), ended);
  return ended;
}

/** The first 12 characters of a hid, enough to recognise it in a message. */
export function short(hid: Hex64): string {
  return `${hid.slice(0, 12)}…`;
}

/**
 * Holder records: registration by the municipality where the person is registered (BRP), and
 * the three ends of a holder record on the chain: death, moving to another municipality, and
 * erasure of the personal data. Each end invalidates the current card and ends the reserved
 * place in the same transaction; the roadside check reads the holder status as well, so the
 * card is invalid from the commit on.
 */
import type { TxContext } from '@civic/gateway';
import { parseDate, type CalendarDate } from '../dates.js';
import { ParkingRuleViolation } from '../errors.js';
import { inputObject } from '../input.js';
import { PrivateCollection } from '../private-store.js';
import { parseHex64 } from '../privacy.js';
import { CardEndReason, HolderStatus, keys, type HolderRecord } from '../records.js';
import {
  actingMunicipality,
  endAttachments,
  loadAttachments,
  loadHolder,
  requireActive,
  requireRegisteredHere,
  short,
  txDay,
} from './common.js';

export interface RegisterHolderInput {
  /** `holderId(salt, personId)`, computed by the municipality's service. */
  readonly hid: string;
  /** `privateDataHash(salt, person)` of the person data in the municipality's private store. */
  readonly personHash: string;
}

/** `holder.register`: the municipality of registration puts a person on the chain by hid. */
export async function registerHolder(ctx: TxContext, input: RegisterHolderInput): Promise<HolderRecord> {
  const fields = inputObject(input, 'holder.register');
  const municipality = actingMunicipality(ctx, 'register holders');
  const hid = parseHex64(fields.hid, 'hid', 'HOLDER_ID_MALFORMED');
  const personHash = parseHex64(fields.personHash, 'personHash', 'HASH_MALFORMED');
  const existing = await ctx.get<HolderRecord>(keys.holder(hid));
  if (existing !== undefined) {
    throw new ParkingRuleViolation(
      'HOLDER_EXISTS',
      `holder ${short(hid)} is already registered (${existing.municipality})`,
    );
  }
  const holder: HolderRecord = {
    hid,
    municipality,
    status: HolderStatus.ACTIVE,
    generation: 0,
    currentCard: null,
    cards: [],
    assessments: [],
    place: null,
    places: [],
    registeredOn: txDay(ctx),
  };
  ctx.put(keys.holder(hid), holder);
  ctx.addPrivateHash(PrivateCollection.PERSONS, hid, personHash);
  ctx.emit('holder.registered', { hid, municipality, registeredOn: holder.registeredOn });
  return holder;
}

export interface ReportDeathInput {
  readonly hid: string;
  /** Date of death from the population register. */
  readonly diedOn: CalendarDate;
}

/** `holder.death`: death ends the validity of the card and the reserved place. */
export async function reportDeath(ctx: TxContext, input: ReportDeathInput): Promise<HolderRecord> {
  const fields = inputObject(input, 'holder.death');
  return endHolder(ctx, fields.hid, parseEventDate(ctx, fields.diedOn, 'diedOn'), {
    action: 'report a death',
    status: HolderStatus.DECEASED,
    reason: CardEndReason.DECEASED,
    event: 'holder.deceased',
  });
}

export interface RecordMoveInput {
  readonly hid: string;
  /** Date the person left the municipality (registered elsewhere). */
  readonly movedOn: CalendarDate;
}

/**
 * `holder.move`: the person is registered in another municipality now, which ends the cards and
 * places of this one. The new municipality registers the person afresh (its own salt, so a new
 * hid): the two records are not linkable on the chain.
 */
export async function recordMove(ctx: TxContext, input: RecordMoveInput): Promise<HolderRecord> {
  const fields = inputObject(input, 'holder.move');
  return endHolder(ctx, fields.hid, parseEventDate(ctx, fields.movedOn, 'movedOn'), {
    action: 'record a move',
    status: HolderStatus.MOVED,
    reason: CardEndReason.MOVED,
    event: 'holder.moved',
  });
}

export interface RecordErasureInput {
  readonly hid: string;
}

/**
 * `holder.erase`: recorded after the municipality deleted the person's private data and salt
 * (and asked the Assessor to do the same). Ends the card and place, since nobody can administer
 * them for an unknown person any more. The event carries the hid only.
 */
export async function recordErasure(ctx: TxContext, input: RecordErasureInput): Promise<HolderRecord> {
  const fields = inputObject(input, 'holder.erase');
  const municipality = actingMunicipality(ctx, 'record erasures');
  const holder = await loadHolder(ctx, fields.hid);
  requireRegisteredHere(holder, municipality, 'erase this holder');
  if (holder.status === HolderStatus.ERASED) {
    throw new ParkingRuleViolation('HOLDER_ERASED', `holder ${short(holder.hid)} was already erased`);
  }
  const found = await loadAttachments(ctx, holder);
  endAttachments(ctx, found, CardEndReason.ERASED);
  const erased: HolderRecord = {
    ...holder,
    status: HolderStatus.ERASED,
    currentCard: null,
    place: null,
    endedOn: holder.endedOn ?? txDay(ctx),
  };
  ctx.put(keys.holder(holder.hid), erased);
  ctx.emit('holder.erased', { hid: holder.hid });
  return erased;
}

interface HolderEnd {
  readonly action: string;
  readonly status: typeof HolderStatus.DECEASED | typeof HolderStatus.MOVED;
  readonly reason: CardEndReason;
  readonly event: string;
}

async function endHolder(
  ctx: TxContext,
  hid: unknown,
  on: CalendarDate,
  end: HolderEnd,
): Promise<HolderRecord> {
  const municipality = actingMunicipality(ctx, end.action);
  const holder = await loadHolder(ctx, hid);
  requireRegisteredHere(holder, municipality, end.action);
  requireActive(holder, end.action);
  const found = await loadAttachments(ctx, holder);
  endAttachments(ctx, found, end.reason);
  const ended: HolderRecord = { ...holder, status: end.status, currentCard: null, place: null, endedOn: on };
  ctx.put(keys.holder(holder.hid), ended);
  ctx.emit(end.event, {
    hid: holder.hid,
    on,
    endedCard: found.card?.cardNumber ?? null,
    endedPlace: found.place?.plate ?? null,
  });
  return ended;
}

/** A date of an event in the population register: not after the transaction's day. */
function parseEventDate(ctx: TxContext, value: unknown, field: string): CalendarDate {
  const date = parseDate(value, field);
  const today = txDay(ctx);
  if (date > today)
    throw new ParkingRuleViolation('DATE_IN_FUTURE', `${field} ${date} is after today (${today})`, { field });
  return date;
}

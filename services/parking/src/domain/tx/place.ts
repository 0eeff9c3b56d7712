/**
 * Reserved places (gehandicaptenparkeerplaats op kenteken): one holder, one licence plate, one
 * address, resting on the holder's valid card, and ending with it (docs/parking.md#reserved-places).
 */
import type { TxContext } from '@civic/gateway';
import { checkCard } from '../check.js';
import { ParkingRuleViolation } from '../errors.js';
import { inputObject, parseBoolean, parseEnum } from '../input.js';
import { normalisePlate } from '../plate.js';
import { PrivateCollection } from '../private-store.js';
import { parseHex64 } from '../privacy.js';
import {
  keys,
  LIMITS,
  PlaceEndReason,
  PlaceStatus,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from '../records.js';
import { placeAllowed } from './card.js';
import {
  actingMunicipality,
  appendBounded,
  endPlace,
  loadAttachments,
  loadHolder,
  requireActive,
  requireRegisteredHere,
  short,
  txDay,
} from './common.js';

export interface AssignReservedPlaceInput {
  readonly hid: string;
  /** Licence plate, with or without dashes. */
  readonly plate: string;
  /** `preparePlaceAddress(...).addressHash`: the address stays in the municipality's private store. */
  readonly addressHash: string;
  /** The municipality's decision that this passenger cannot be left alone while the car is parked. */
  readonly passengerException?: boolean;
}

/** `place.assign`. */
export async function assignReservedPlace(
  ctx: TxContext,
  input: AssignReservedPlaceInput,
): Promise<PlaceRecord> {
  const fields = inputObject(input, 'place.assign');
  const municipality = actingMunicipality(ctx, 'assign reserved places');
  const { plate } = normalisePlate(fields.plate);
  const addressHash = parseHex64(fields.addressHash, 'addressHash', 'HASH_MALFORMED');
  const passengerException = parseBoolean(fields.passengerException, 'passengerException', false);

  const holder = await loadHolder(ctx, fields.hid);
  requireRegisteredHere(holder, municipality, 'assign a place to this holder');
  requireActive(holder, 'assign a reserved place');
  const found = await loadAttachments(ctx, holder);
  const card = found.card;
  const cardCheck = checkCard(card, holder, ctx.txTime);
  if (card === undefined || cardCheck.status !== 'VALID') {
    throw new ParkingRuleViolation(
      'CARD_NOT_VALID',
      `holder ${short(holder.hid)} has no valid card (${cardCheck.reason}): a reserved place rests on a valid card`,
    );
  }
  if (!placeAllowed(card.kind, passengerException)) {
    throw new ParkingRuleViolation(
      'PASSENGER_PLACE_NOT_JUSTIFIED',
      `card ${card.cardNumber} is a passenger card: a reserved place for a passenger needs the municipality's exception (passengerException)`,
    );
  }
  if (found.place !== undefined) {
    throw new ParkingRuleViolation(
      'PLACE_ALREADY_ASSIGNED',
      `holder ${short(holder.hid)} already has the reserved place for ${found.place.plate}; end it first (one holder, one place)`,
    );
  }
  await requirePlateFree(ctx, plate, holder.hid, ctx.txTime);
  const places = appendBounded(holder.places, plate, LIMITS.placesPerHolderMax, 'reserved places');

  const place: PlaceRecord = {
    plate,
    hid: holder.hid,
    cardNumber: card.cardNumber,
    municipality,
    addressHash,
    passengerException,
    validFrom: txDay(ctx),
    status: PlaceStatus.ACTIVE,
  };
  ctx.put(keys.plate(plate), place);
  ctx.put(keys.holder(holder.hid), { ...holder, place: plate, places } satisfies HolderRecord);
  ctx.addPrivateHash(PrivateCollection.PLACE_ADDRESSES, `${holder.hid}/${plate}`, addressHash);
  ctx.emit('place.assigned', {
    plate,
    hid: holder.hid,
    cardNumber: card.cardNumber,
    validFrom: place.validFrom,
  });
  return place;
}

export interface EndReservedPlaceInput {
  readonly plate: string;
  readonly reason: PlaceEndReason;
}

/** `place.end`: the municipality ends a place on request (new car, new address, no longer needed). */
export async function endReservedPlace(ctx: TxContext, input: EndReservedPlaceInput): Promise<PlaceRecord> {
  const fields = inputObject(input, 'place.end');
  const municipality = actingMunicipality(ctx, 'end reserved places');
  const { plate } = normalisePlate(fields.plate);
  const reason = parseEnum(fields.reason, Object.values(PlaceEndReason), 'reason');
  const place = await ctx.get<PlaceRecord>(keys.plate(plate));
  if (place === undefined)
    throw new ParkingRuleViolation('PLACE_UNKNOWN', `no reserved place was ever assigned to ${plate}`);
  const holder = await loadHolder(ctx, place.hid);
  requireRegisteredHere(holder, municipality, 'end this reserved place');
  if (place.status !== PlaceStatus.ACTIVE || holder.place !== plate) {
    throw new ParkingRuleViolation('PLACE_NOT_ACTIVE', `the reserved place for ${plate} has already ended`);
  }
  const ended = endPlace(ctx, place, reason);
  ctx.put(keys.holder(holder.hid), { ...holder, place: null } satisfies HolderRecord);
  ctx.emit('place.ended', { plate, hid: holder.hid, reason });
  return ended;
}

/**
 * Refuses when another holder's place on `plate` is still valid. A place whose card has ended
 * (it ended with the card) frees its plate for a new assignment.
 */
async function requirePlateFree(ctx: TxContext, plate: string, hid: string, now: string): Promise<void> {
  const existing = await ctx.get<PlaceRecord>(keys.plate(plate));
  if (existing === undefined || existing.status !== PlaceStatus.ACTIVE) return;
  if (existing.hid === hid) {
    throw new ParkingRuleViolation('PLATE_TAKEN', `${plate} already has a reserved place for this holder`);
  }
  const card = await ctx.get<CardRecord>(keys.card(existing.cardNumber));
  const owner = await ctx.get<HolderRecord>(keys.holder(existing.hid));
  if (checkCard(card, owner, now).status === 'VALID') {
    throw new ParkingRuleViolation(
      'PLATE_TAKEN',
      `${plate} already has a valid reserved place of another holder`,
    );
  }
}

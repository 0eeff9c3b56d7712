/**
 * The roadside check (docs/parking.md#roadside-check): pure functions over the records a peer
 * serves, so a check is two or three point reads and no transaction. The service adds the
 * proof (block, transaction, inclusion proof of the records' versions) and records the check in
 * the access log afterwards.
 */
import { dutchDate } from './dates.js';
import {
  CardStatus,
  CheckStatus,
  HolderStatus,
  PlaceStatus,
  type CardKind,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from './records.js';

export const CheckReason = {
  VALID: 'VALID',
  EXPIRED: 'EXPIRED',
  NOT_YET_VALID: 'NOT_YET_VALID',
  /** Superseded by a later card (duplicate for a lost or stolen card, or renewal). */
  SUPERSEDED: 'SUPERSEDED',
  REVOKED: 'REVOKED',
  HOLDER_DECEASED: 'HOLDER_DECEASED',
  HOLDER_MOVED: 'HOLDER_MOVED',
  HOLDER_ERASED: 'HOLDER_ERASED',
  PLACE_ENDED: 'PLACE_ENDED',
  UNKNOWN_CARD: 'UNKNOWN_CARD',
  UNKNOWN_PLATE: 'UNKNOWN_PLATE',
  /** A card or place whose holder record is missing: never written so by the domain. */
  UNKNOWN_HOLDER: 'UNKNOWN_HOLDER',
} as const;
export type CheckReason = (typeof CheckReason)[keyof typeof CheckReason];

export interface CheckResult {
  readonly status: CheckStatus;
  readonly reason: CheckReason;
  /** One sentence for the officer. */
  readonly message: string;
  readonly cardNumber?: string;
  readonly plate?: string;
  readonly kind?: CardKind;
  readonly validUntil?: string;
  readonly supersededBy?: string;
}

/**
 * Is `card` a valid parking card at instant `now` (RFC 3339)? Reads the holder record too: a
 * death, a move, an erasure or a later card of the holder (generation) ends validity at once,
 * whatever the card record says.
 */
export function checkCard(
  card: CardRecord | undefined,
  holder: HolderRecord | undefined,
  now: string,
): CheckResult {
  const today = dutchDate(now);
  if (card === undefined) {
    return { status: 'UNKNOWN', reason: 'UNKNOWN_CARD', message: 'no card with this number was ever issued' };
  }
  const about = { cardNumber: card.cardNumber, kind: card.kind, validUntil: card.validUntil };
  if (holder === undefined || holder.hid !== card.hid) {
    return {
      status: 'UNKNOWN',
      reason: 'UNKNOWN_HOLDER',
      message: 'the card has no holder record',
      ...about,
    };
  }
  const ended = holderEnded(holder);
  if (ended !== undefined)
    return { status: 'INVALID', reason: ended.reason, message: ended.message, ...about };
  if (card.status === CardStatus.REVOKED) {
    return { status: 'INVALID', reason: 'REVOKED', message: 'the card was revoked by its issuer', ...about };
  }
  if (card.status === CardStatus.SUPERSEDED || card.generation !== holder.generation) {
    const by = card.supersededBy ?? holder.currentCard ?? undefined;
    return {
      status: 'INVALID',
      reason: 'SUPERSEDED',
      message: `the card was superseded${by === undefined ? '' : ` by card ${by}`} (duplicate or renewal)`,
      ...about,
      ...(by === undefined ? {} : { supersededBy: by }),
    };
  }
  if (card.status !== CardStatus.ACTIVE) {
    return {
      status: 'INVALID',
      reason: 'REVOKED',
      message: `the card has ended (${card.reason ?? 'ended'})`,
      ...about,
    };
  }
  if (today < card.validFrom) {
    return {
      status: 'INVALID',
      reason: 'NOT_YET_VALID',
      message: `the card is valid from ${card.validFrom}`,
      ...about,
    };
  }
  if (today > card.validUntil) {
    return {
      status: 'INVALID',
      reason: 'EXPIRED',
      message: `the card expired after ${card.validUntil}`,
      ...about,
    };
  }
  return {
    status: 'VALID',
    reason: 'VALID',
    message: `valid ${card.kind} card until ${card.validUntil}`,
    ...about,
  };
}

/**
 * Is `place` a valid reserved place at `now`? A place is valid while it is active and the card
 * it depends on is valid: it ends with the card (expiry, revocation, death, move, erasure).
 */
export function checkPlate(
  place: PlaceRecord | undefined,
  card: CardRecord | undefined,
  holder: HolderRecord | undefined,
  now: string,
): CheckResult {
  if (place === undefined) {
    return {
      status: 'UNKNOWN',
      reason: 'UNKNOWN_PLATE',
      message: 'no reserved place was ever assigned to this plate',
    };
  }
  const about = { plate: place.plate, cardNumber: place.cardNumber };
  if (place.status === PlaceStatus.ENDED) {
    return {
      status: 'INVALID',
      reason: 'PLACE_ENDED',
      message: `the reserved place ended${place.reason === undefined ? '' : ` (${place.reason})`}`,
      ...about,
    };
  }
  const cardResult = checkCard(card?.cardNumber === place.cardNumber ? card : undefined, holder, now);
  if (cardResult.status !== 'VALID') {
    return {
      ...cardResult,
      status: cardResult.status === 'UNKNOWN' ? 'UNKNOWN' : 'INVALID',
      message: `the reserved place ended with its card: ${cardResult.message}`,
      ...about,
    };
  }
  return { ...cardResult, message: `valid reserved place; ${cardResult.message}`, ...about };
}

function holderEnded(holder: HolderRecord): { reason: CheckReason; message: string } | undefined {
  switch (holder.status) {
    case HolderStatus.ACTIVE:
      return undefined;
    case HolderStatus.DECEASED:
      return { reason: 'HOLDER_DECEASED', message: 'the holder has died; the card is no longer valid' };
    case HolderStatus.MOVED:
      return {
        reason: 'HOLDER_MOVED',
        message: 'the holder moved to another municipality; the card is no longer valid',
      };
    case HolderStatus.ERASED:
      return {
        reason: 'HOLDER_ERASED',
        message: 'the holder record was erased; the card is no longer valid',
      };
    default:
      return { reason: 'UNKNOWN_HOLDER', message: `the holder record has an unknown status` };
  }
}

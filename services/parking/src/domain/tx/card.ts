/**
 * Cards: issuing (first card or renewal), duplicates for lost, stolen or damaged cards, and
 * revocation. Every card issued to a holder bumps the holder's generation, so the new card is the
 * only valid one and every earlier card is invalid from the same commit on
 * (docs/parking.md#duplicates). A reserved place moves to the new card.
 */
import type { TxContext } from '@civic/gateway';
import { makeCardNumber, parseCardNumber } from '../card-number.js';
import { checkCard } from '../check.js';
import { addYears, minDate, parseDate, type CalendarDate } from '../dates.js';
import { ParkingRuleViolation } from '../errors.js';
import { inputObject, parseAssessmentId, parseCardKind, parseEnum } from '../input.js';
import {
  AssessmentOutcome,
  CardEndReason,
  CardKind,
  CardStatus,
  DuplicateReason,
  keys,
  LIMITS,
  RevocationGround,
  type AssessmentRecord,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from '../records.js';
import {
  actingMunicipality,
  appendBounded,
  endPlace,
  loadAttachments,
  loadCard,
  loadHolder,
  requireActive,
  requireRegisteredHere,
  short,
  txDay,
  type HolderAttachments,
} from './common.js';

/** A card is valid for at most five years (BABW; the EU card model prints an expiry date). */
export const CARD_VALIDITY_YEARS_MAX = 5;

export interface IssueCardInput {
  readonly hid: string;
  readonly kind: CardKind;
  /** The positive assessment the card rests on. */
  readonly assessmentId: string;
  /** Serial for the card number, chosen by the service (sequence or random); refused when taken. */
  readonly cardSerial: number;
  /** Last day of validity; by default the longest allowed: min(5 years, the assessment's validity). */
  readonly validUntil?: CalendarDate;
}

/** `card.issue`: a new card (first card or renewal) on a positive assessment. */
export async function issueCard(ctx: TxContext, input: IssueCardInput): Promise<CardRecord> {
  const fields = inputObject(input, 'card.issue');
  const municipality = actingMunicipality(ctx, 'issue parking cards');
  const kind = parseCardKind(fields.kind);
  const assessmentId = parseAssessmentId(fields.assessmentId);
  const cardNumber = makeCardNumber(municipality, fields.cardSerial as number);
  const requestedUntil =
    fields.validUntil === undefined ? undefined : parseDate(fields.validUntil, 'validUntil');
  const today = txDay(ctx);

  const holder = await loadHolder(ctx, fields.hid);
  requireRegisteredHere(holder, municipality, 'issue a card to this holder');
  requireActive(holder, 'issue a card');
  const assessment = requirePositiveAssessment(
    await ctx.get(keys.assessment(assessmentId)),
    holder,
    kind,
    today,
  );
  const validUntil = cardValidUntil(today, assessment, requestedUntil);
  await requireFreeCardNumber(ctx, cardNumber);
  const found = await loadAttachments(ctx, holder);

  const card: CardRecord = {
    cardNumber,
    hid: holder.hid,
    kind,
    issuer: municipality,
    assessmentId,
    generation: holder.generation + 1,
    validFrom: today,
    validUntil,
    issuedAt: ctx.txTime,
    status: CardStatus.ACTIVE,
    ...(found.card === undefined ? {} : { replaces: found.card.cardNumber }),
  };
  installCard(ctx, holder, found, card, CardEndReason.RENEWED);
  ctx.emit('card.issued', eventOf(card));
  return card;
}

export interface IssueDuplicateInput {
  /** The holder's valid card that was lost, stolen or damaged. */
  readonly cardNumber: string;
  readonly reason: DuplicateReason;
  readonly cardSerial: number;
}

/**
 * `card.duplicate`: a replacement with a new number, the same kind and the same last day of
 * validity; the replaced card and every earlier card of the holder are invalid at once.
 */
export async function issueDuplicate(ctx: TxContext, input: IssueDuplicateInput): Promise<CardRecord> {
  const fields = inputObject(input, 'card.duplicate');
  const municipality = actingMunicipality(ctx, 'issue duplicate cards');
  const { cardNumber: replacedNumber } = parseCardNumber(fields.cardNumber);
  const reason = parseEnum(fields.reason, Object.values(DuplicateReason), 'reason');
  const cardNumber = makeCardNumber(municipality, fields.cardSerial as number);

  const replaced = await loadCard(ctx, replacedNumber);
  const holder = await loadHolder(ctx, replaced.hid);
  requireRegisteredHere(holder, municipality, 'issue a duplicate for this holder');
  requireActive(holder, 'issue a duplicate');
  const check = checkCard(replaced, holder, ctx.txTime);
  if (check.status !== 'VALID') {
    throw new ParkingRuleViolation(
      'CARD_NOT_VALID',
      `card ${replacedNumber} is not valid (${check.reason}): a duplicate replaces the holder's valid card only; issue a new card instead`,
    );
  }
  await requireFreeCardNumber(ctx, cardNumber);
  const found = await loadAttachments(ctx, holder);

  const card: CardRecord = {
    cardNumber,
    hid: holder.hid,
    kind: replaced.kind,
    issuer: municipality,
    assessmentId: replaced.assessmentId,
    generation: holder.generation + 1,
    validFrom: txDay(ctx),
    validUntil: replaced.validUntil,
    issuedAt: ctx.txTime,
    status: CardStatus.ACTIVE,
    replaces: replacedNumber,
  };
  installCard(ctx, holder, found, card, reason);
  ctx.emit('card.duplicated', { ...eventOf(card), reason });
  return card;
}

export interface RevokeCardInput {
  readonly cardNumber: string;
  readonly ground: RevocationGround;
}

/** `card.revoke`: the issuing municipality withdraws the holder's card; the reserved place ends with it. */
export async function revokeCard(ctx: TxContext, input: RevokeCardInput): Promise<CardRecord> {
  const fields = inputObject(input, 'card.revoke');
  const municipality = actingMunicipality(ctx, 'revoke parking cards');
  const { cardNumber } = parseCardNumber(fields.cardNumber);
  const ground = parseEnum(fields.ground, Object.values(RevocationGround), 'ground');
  const card = await loadCard(ctx, cardNumber);
  const holder = await loadHolder(ctx, card.hid);
  requireRegisteredHere(holder, municipality, 'revoke this card');
  if (card.status !== CardStatus.ACTIVE || holder.currentCard !== cardNumber) {
    throw new ParkingRuleViolation(
      'CARD_NOT_VALID',
      `card ${cardNumber} is no longer the holder's card (${card.status})`,
    );
  }
  const found = await loadAttachments(ctx, holder);
  const revoked: CardRecord = {
    ...card,
    status: CardStatus.REVOKED,
    reason: CardEndReason.REVOKED,
    revocationGround: ground,
    endedAt: ctx.txTime,
  };
  ctx.put(keys.card(cardNumber), revoked);
  if (found.place !== undefined) endPlace(ctx, found.place, 'card-revoked');
  ctx.put(keys.holder(holder.hid), { ...holder, currentCard: null, place: null } satisfies HolderRecord);
  ctx.emit('card.revoked', { cardNumber, hid: holder.hid, ground, endedPlace: found.place?.plate ?? null });
  return revoked;
}

/** The assessment, when it is positive, for this holder, valid today and covering `kind`. */
function requirePositiveAssessment(
  value: unknown,
  holder: HolderRecord,
  kind: CardKind,
  today: CalendarDate,
): AssessmentRecord & { validUntil: CalendarDate; scope: CardKind } {
  const assessment = value as AssessmentRecord | undefined;
  if (assessment === undefined) {
    throw new ParkingRuleViolation(
      'NO_POSITIVE_ASSESSMENT',
      'no assessment with this id is recorded: a card needs a positive assessment by the independent assessor',
    );
  }
  if (assessment.hid !== holder.hid) {
    throw new ParkingRuleViolation(
      'ASSESSMENT_OTHER_HOLDER',
      `assessment ${assessment.assessmentId} is about another holder than ${short(holder.hid)}`,
    );
  }
  if (
    assessment.outcome !== AssessmentOutcome.POSITIVE ||
    assessment.validUntil === undefined ||
    !assessment.scope
  ) {
    throw new ParkingRuleViolation(
      'NO_POSITIVE_ASSESSMENT',
      `assessment ${assessment.assessmentId} is ${assessment.outcome}: a card needs a positive assessment`,
    );
  }
  if (today > assessment.validUntil) {
    throw new ParkingRuleViolation(
      'ASSESSMENT_EXPIRED',
      `assessment ${assessment.assessmentId} held until ${assessment.validUntil}; today is ${today}: a new assessment is needed`,
    );
  }
  if (!scopeCovers(assessment.scope, kind)) {
    throw new ParkingRuleViolation(
      'WRONG_CARD_KIND',
      `assessment ${assessment.assessmentId} is positive for ${assessment.scope} only; a ${kind} card needs an assessment for ${kind}`,
    );
  }
  return assessment as AssessmentRecord & { validUntil: CalendarDate; scope: CardKind };
}

/** Does an assessment for `scope` allow a card of `kind`? `both` allows every kind. */
export function scopeCovers(scope: CardKind, kind: CardKind): boolean {
  return scope === CardKind.BOTH || scope === kind;
}

/**
 * The card's last day (inclusive): the requested one if allowed, else the longest allowed,
 * min(`validFrom` + 5 years on the same calendar date, the assessment's last day). A pure rule.
 */
export function cardValidUntil(
  validFrom: CalendarDate,
  assessment: { assessmentId: string; validUntil: CalendarDate },
  requested: CalendarDate | undefined,
): CalendarDate {
  const cap = addYears(validFrom, CARD_VALIDITY_YEARS_MAX);
  if (requested === undefined) return minDate(cap, assessment.validUntil);
  if (requested > cap) {
    throw new ParkingRuleViolation(
      'VALIDITY_TOO_LONG',
      `a card is valid for at most ${CARD_VALIDITY_YEARS_MAX} years: ${requested} is after ${cap}`,
    );
  }
  if (requested > assessment.validUntil) {
    throw new ParkingRuleViolation(
      'VALIDITY_BEYOND_ASSESSMENT',
      `a card is never valid beyond its assessment: ${requested} is after ${assessment.validUntil} (assessment ${assessment.assessmentId})`,
    );
  }
  if (requested < validFrom) {
    throw new ParkingRuleViolation(
      'VALIDITY_ENDS_BEFORE_START',
      `validUntil ${requested} is before the issue date ${validFrom}`,
    );
  }
  return requested;
}

async function requireFreeCardNumber(ctx: TxContext, cardNumber: string): Promise<void> {
  if ((await ctx.get(keys.card(cardNumber))) !== undefined) {
    throw new ParkingRuleViolation(
      'CARD_NUMBER_TAKEN',
      `card number ${cardNumber} is already in use; choose another serial`,
    );
  }
}

/**
 * Writes the new card and the holder's new generation; supersedes the previous card and moves the
 * reserved place to the new card (or ends it when the new card's kind does not justify it).
 */
function installCard(
  ctx: TxContext,
  holder: HolderRecord,
  found: HolderAttachments,
  card: CardRecord,
  endReason: CardEndReason,
): void {
  const cards = appendBounded(holder.cards, card.cardNumber, LIMITS.cardsPerHolderMax, 'cards');
  if (found.card !== undefined && found.card.status === CardStatus.ACTIVE) {
    ctx.put(keys.card(found.card.cardNumber), {
      ...found.card,
      status: CardStatus.SUPERSEDED,
      supersededBy: card.cardNumber,
      reason: endReason,
      endedAt: ctx.txTime,
    } satisfies CardRecord);
  }
  let place: string | null = null;
  if (found.place !== undefined) {
    // The place follows the card only while that card is still valid; after an expiry it has
    // already ended with the card, and a renewal does not bring it back.
    const previousValid = checkCard(found.card, holder, ctx.txTime).status === 'VALID';
    if (!previousValid) {
      endPlace(ctx, found.place, 'card-ended');
    } else if (placeAllowed(card.kind, found.place.passengerException)) {
      ctx.put(keys.plate(found.place.plate), {
        ...found.place,
        cardNumber: card.cardNumber,
      } satisfies PlaceRecord);
      place = found.place.plate;
    } else {
      endPlace(ctx, found.place, 'card-kind-changed');
    }
  }
  ctx.put(keys.card(card.cardNumber), card);
  ctx.put(keys.holder(holder.hid), {
    ...holder,
    generation: card.generation,
    currentCard: card.cardNumber,
    cards,
    place,
  } satisfies HolderRecord);
}

/** A reserved place needs a driver card, or a passenger card with the municipality's exception. */
export function placeAllowed(kind: CardKind, passengerException: boolean): boolean {
  return kind !== CardKind.PASSENGER || passengerException;
}

function eventOf(card: CardRecord): Record<string, unknown> {
  return {
    cardNumber: card.cardNumber,
    hid: card.hid,
    kind: card.kind,
    issuer: card.issuer,
    assessmentId: card.assessmentId,
    generation: card.generation,
    validFrom: card.validFrom,
    validUntil: card.validUntil,
    replaces: card.replaces ?? null,
  };
}

/**
 * The holder view (`GET /holders/{id}/records`, docs/parking.md#holder-view): the holder's cards
 * with their current check result, reserved places, assessment outcomes and the access log (who
 * checked, when, where). The service resolves the holder's hid from its private store, reads the
 * keys `holderViewKeys` names from its peer, and assembles the answer with `buildHolderView`.
 */
import { checkCard, checkPlate, type CheckResult } from './check.js';
import { dutchDate, monthOf, monthsBetween } from './dates.js';
import { invariant } from './errors.js';
import {
  keys,
  LIMITS,
  type AccessLogBucket,
  type AccessLogEntry,
  type AssessmentRecord,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from './records.js';

export interface HolderViewKeys {
  readonly cards: readonly string[];
  readonly places: readonly string[];
  readonly assessments: readonly string[];
  /** Month buckets from registration to now (the latest LIMITS.accessLogMonthsMax). */
  readonly accessLog: readonly string[];
}

/** The state keys the view of `holder` at `now` needs, all by name (point reads). */
export function holderViewKeys(holder: HolderRecord, now: string): HolderViewKeys {
  const months = monthsBetween(
    monthOf(holder.registeredOn),
    monthOf(dutchDate(now)),
    LIMITS.accessLogMonthsMax,
  );
  return {
    cards: holder.cards.map(keys.card),
    places: [...new Set(holder.places)].map(keys.plate),
    assessments: holder.assessments.map(keys.assessment),
    accessLog: months.map((month) => keys.accessLog(holder.hid, month)),
  };
}

export interface HolderViewRecords {
  readonly cards: readonly (CardRecord | undefined)[];
  readonly places: readonly (PlaceRecord | undefined)[];
  readonly assessments: readonly (AssessmentRecord | undefined)[];
  readonly accessLog: readonly (AccessLogBucket | undefined)[];
}

export interface HolderView {
  readonly hid: string;
  readonly municipality: string;
  readonly status: HolderRecord['status'];
  readonly registeredOn: string;
  readonly endedOn?: string;
  readonly cards: readonly (CardRecord & { readonly check: CheckResult })[];
  readonly places: readonly (PlaceRecord & { readonly check: CheckResult })[];
  readonly assessments: readonly Omit<AssessmentRecord, 'detailsHash'>[];
  /** Newest first. */
  readonly accessLog: readonly AccessLogEntry[];
  /** Checks beyond the per-month bound: counted, not listed (the chain's events hold them). */
  readonly accessLogOverflow: number;
}

/** Assembles the view from the records read under `holderViewKeys`; records of other holders are left out. */
export function buildHolderView(holder: HolderRecord, records: HolderViewRecords, now: string): HolderView {
  const mine = <T extends { hid: string }>(list: readonly (T | undefined)[]): T[] =>
    list.filter((record): record is T => record !== undefined && record.hid === holder.hid);
  const cards = mine(records.cards);
  const cardByNumber = new Map(cards.map((card) => [card.cardNumber, card]));
  const buckets = mine(records.accessLog);
  for (const bucket of buckets)
    invariant(Array.isArray(bucket.entries), () => `access-log bucket ${bucket.month} has no entries list`);
  return {
    hid: holder.hid,
    municipality: holder.municipality,
    status: holder.status,
    registeredOn: holder.registeredOn,
    ...(holder.endedOn === undefined ? {} : { endedOn: holder.endedOn }),
    cards: cards.map((card) => ({ ...card, check: checkCard(card, holder, now) })),
    places: mine(records.places).map((place) => ({
      ...place,
      check: checkPlate(place, cardByNumber.get(place.cardNumber), holder, now),
    })),
    assessments: mine(records.assessments).map(({ detailsHash: _hash, ...outcome }) => outcome),
    accessLog: buckets
      .flatMap((bucket) => bucket.entries)
      .sort((a, b) => (a.checkedAt < b.checkedAt ? 1 : a.checkedAt > b.checkedAt ? -1 : 0)),
    accessLogOverflow: buckets.reduce((sum, bucket) => sum + bucket.overflow, 0),
  };
}

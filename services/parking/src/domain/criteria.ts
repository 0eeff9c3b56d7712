/**
 * The medical criteria of the Dutch disabled parking card (Regeling gehandicaptenparkeerkaart,
 * art. 1; docs/parking.md#assessments), applied by the independent Assessor to the details of an
 * examination. The details never leave the Assessor's private store; only the outcome (positive
 * or negative, for which card kind, until when) and a salted hash of the details go on the chain.
 */
import { addMonths, parseDate, type CalendarDate } from './dates.js';
import { ParkingRuleViolation } from './errors.js';
import { parseAssessmentId } from './input.js';
import { PrivateCollection, type PrivateWrite } from './private-store.js';
import { parseHex64, parseSalt, privateDataHash, type Hex64 } from './privacy.js';
import { AssessmentOutcome, CardKind } from './records.js';

/** The walking criterion: cannot walk more than about 100 m at a stretch, with the usual aids. */
export const WALKING_DISTANCE_MAX_M = 100;
/** A limitation "van langdurige aard": expected to last at least half a year. */
export const LONG_TERM_MONTHS_MIN = 6;
/** A permanent limitation is assessed for ten years; the card itself is capped at five. */
export const PERMANENT_ASSESSMENT_MONTHS = 120;

/** What the examining doctor records. Medical data: private to the Assessor. */
export interface AssessmentDetails {
  readonly assessedOn: CalendarDate;
  /** Longest distance walked at a stretch, independently, with the usual aids (stick, rollator), in metres. */
  readonly walkingDistanceMaxM: number;
  /** Permanently wheelchair-bound (art. 1(1)(c)): qualifies as driver and as passenger. */
  readonly wheelchairPermanent: boolean;
  /** Drives a motor vehicle on more than two wheels, or a brommobiel, themself. */
  readonly drives: boolean;
  /** As a passenger, continuously dependent on the driver's help from door to door (art. 1(1)(b)). */
  readonly needsDoorToDoorHelp: boolean;
  /** Expected duration of the limitation in months, or 'permanent'. */
  readonly expectedDurationMonths: number | 'permanent';
  /** The doctor's notes (diagnosis, findings). */
  readonly notes?: string;
}

export interface AssessmentDecision {
  readonly outcome: AssessmentOutcome;
  readonly scope?: CardKind;
  readonly validUntil?: CalendarDate;
}

/** Applies the criteria of art. 1 to the details of an examination. */
export function decideAssessment(details: AssessmentDetails): AssessmentDecision {
  const assessedOn = parseDate(details.assessedOn, 'assessedOn');
  checkDetails(details);
  const walking = details.wheelchairPermanent || details.walkingDistanceMaxM <= WALKING_DISTANCE_MAX_M;
  const months =
    details.expectedDurationMonths === 'permanent'
      ? PERMANENT_ASSESSMENT_MONTHS
      : details.expectedDurationMonths;
  const longTerm = months >= LONG_TERM_MONTHS_MIN;
  const asDriver = walking && longTerm && details.drives;
  const asPassenger = walking && longTerm && (details.needsDoorToDoorHelp || details.wheelchairPermanent);
  if (!asDriver && !asPassenger) return { outcome: AssessmentOutcome.NEGATIVE };
  const scope = asDriver && asPassenger ? CardKind.BOTH : asDriver ? CardKind.DRIVER : CardKind.PASSENGER;
  return {
    outcome: AssessmentOutcome.POSITIVE,
    scope,
    validUntil: addMonths(assessedOn, Math.min(months, PERMANENT_ASSESSMENT_MONTHS)),
  };
}

/** The input of `recordAssessment`: outcome and hash only, safe to put on the chain. */
export interface RecordAssessmentInput {
  readonly assessmentId: string;
  readonly hid: Hex64;
  readonly outcome: AssessmentOutcome;
  readonly scope?: CardKind;
  readonly assessedOn: CalendarDate;
  readonly validUntil?: CalendarDate;
  readonly detailsHash: Hex64;
}

export interface PreparedAssessment {
  readonly input: RecordAssessmentInput;
  /** The details and their salt, for the Assessor's private store. */
  readonly write: PrivateWrite;
}

/**
 * What the Assessor's service does before it records an assessment: decide the outcome, hash the
 * details with a fresh salt, and keep details and salt in its private store.
 */
export function prepareAssessment(
  salt: string,
  hid: Hex64,
  assessmentId: string,
  details: AssessmentDetails,
): PreparedAssessment {
  parseSalt(salt);
  parseHex64(hid, 'hid', 'HOLDER_ID_MALFORMED');
  parseAssessmentId(assessmentId);
  const decision = decideAssessment(details);
  const detailsHash = privateDataHash(salt, details);
  return {
    input: { assessmentId, hid, assessedOn: details.assessedOn, detailsHash, ...decision },
    write: {
      collection: PrivateCollection.ASSESSMENT_DETAILS,
      key: assessmentId,
      record: { holder: hid, data: { salt, details } },
    },
  };
}

function checkDetails(details: AssessmentDetails): void {
  const distance = details.walkingDistanceMaxM;
  if (!Number.isFinite(distance) || distance < 0 || distance > 100_000) {
    throw new ParkingRuleViolation(
      'VALUE_INVALID',
      'walkingDistanceMaxM must be a number of metres from 0 to 100000',
    );
  }
  for (const field of ['wheelchairPermanent', 'drives', 'needsDoorToDoorHelp'] as const) {
    if (typeof details[field] !== 'boolean')
      throw new ParkingRuleViolation('VALUE_INVALID', `${field} must be true or false`);
  }
  const months = details.expectedDurationMonths;
  if (months !== 'permanent' && (!Number.isInteger(months) || months < 0 || months > 1200)) {
    throw new ParkingRuleViolation(
      'VALUE_INVALID',
      "expectedDurationMonths must be 0 to 1200 months or 'permanent'",
    );
  }
  if (details.notes !== undefined && (typeof details.notes !== 'string' || details.notes.length > 10_000)) {
    throw new ParkingRuleViolation('VALUE_INVALID', 'notes must be a text of at most 10000 characters');
  }
}

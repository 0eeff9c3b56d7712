/**
 * Dutch licence plates (kentekens). Since 1951 the RDW issues plates of six letters and digits
 * in fixed groupings, the "sidecodes" (X = letter, 9 = digit); the groups are separated by
 * dashes. Sidecodes 1 to 11 and 13 have been issued, 12 and 14 are planned. A plate is accepted
 * with or without dashes, in any case and with surrounding or inner spaces, and normalised to
 * upper case with the dashes of its sidecode: `ab123c` → `AB-123-C`. The letter/digit pattern
 * of the six characters determines the sidecode uniquely, so the dash-less form is unique too.
 */
import { ParkingRuleViolation, show } from './errors.js';

export interface Sidecode {
  readonly number: number;
  /** The printed pattern, e.g. `XX-99-99`. */
  readonly pattern: string;
  /** Issued by the RDW so far (12 and 14 are planned, not yet issued). */
  readonly issued: boolean;
}

export const SIDECODES: readonly Sidecode[] = [
  { number: 1, pattern: 'XX-99-99', issued: true },
  { number: 2, pattern: '99-99-XX', issued: true },
  { number: 3, pattern: '99-XX-99', issued: true },
  { number: 4, pattern: 'XX-99-XX', issued: true },
  { number: 5, pattern: 'XX-XX-99', issued: true },
  { number: 6, pattern: '99-XX-XX', issued: true },
  { number: 7, pattern: '99-XXX-9', issued: true },
  { number: 8, pattern: '9-XXX-99', issued: true },
  { number: 9, pattern: 'XX-999-X', issued: true },
  { number: 10, pattern: 'X-999-XX', issued: true },
  { number: 11, pattern: 'XXX-99-X', issued: true },
  { number: 12, pattern: 'X-99-XXX', issued: false },
  { number: 13, pattern: '9-XX-999', issued: true },
  { number: 14, pattern: '999-XX-9', issued: false },
];

/** Letter/digit mask of a pattern without dashes (`XX9999`), the key that finds a sidecode. */
const BY_MASK: ReadonlyMap<string, Sidecode> = new Map(
  SIDECODES.map((code) => [code.pattern.replaceAll('-', ''), code]),
);

/** Raw plate input longer than this is refused before any work on it. */
const PLATE_INPUT_MAX = 32;

export interface NormalisedPlate {
  /** Upper case with the sidecode's dashes: the key of `plate/<plate>`. */
  readonly plate: string;
  readonly sidecode: number;
}

/**
 * Normalises a Dutch licence plate or refuses it with PLATE_MALFORMED, saying what is wrong:
 * characters other than letters, digits, dashes and spaces; not six letters and digits; a
 * letter/digit grouping that is no sidecode; or dashes that are not where the sidecode has them.
 */
export function normalisePlate(input: unknown, field = 'plate'): NormalisedPlate {
  const at = { field };
  if (typeof input !== 'string') {
    throw new ParkingRuleViolation(
      'PLATE_MALFORMED',
      `${field}: licence plate must be a string, got ${show(input)}`,
      at,
    );
  }
  if (input.length > PLATE_INPUT_MAX) {
    throw new ParkingRuleViolation(
      'PLATE_MALFORMED',
      `${field}: licence plate is longer than ${PLATE_INPUT_MAX} characters`,
      at,
    );
  }
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9-]*$/.test(compact)) {
    throw new ParkingRuleViolation(
      'PLATE_MALFORMED',
      `${field}: licence plate ${show(input)} holds characters other than letters, digits and dashes`,
      at,
    );
  }
  const chars = compact.replaceAll('-', '');
  if (chars.length !== 6) {
    throw new ParkingRuleViolation(
      'PLATE_MALFORMED',
      `${field}: licence plate ${show(input)} has ${chars.length} letters and digits; a Dutch plate has 6`,
      at,
    );
  }
  const mask = chars.replace(/[A-Z]/g, 'X').replace(/[0-9]/g, '9');
  const sidecode = BY_MASK.get(mask);
  if (sidecode === undefined) {
    throw new ParkingRuleViolation(
      'PLATE_MALFORMED',
      `${field}: licence plate ${show(input)} has the grouping ${mask}, which is no Dutch sidecode (e.g. XX-99-99, 99-XXX-9, X-999-XX)`,
      at,
    );
  }
  const plate = withDashes(chars, sidecode.pattern);
  if (compact.includes('-') && compact !== plate) {
    throw new ParkingRuleViolation(
      'PLATE_MALFORMED',
      `${field}: licence plate ${show(input)} has dashes in the wrong places for sidecode ${sidecode.number} (${sidecode.pattern}): expected ${plate}`,
      at,
    );
  }
  return { plate, sidecode: sidecode.number };
}

/** True when `value` is already a normalised plate (the form stored on the chain). */
export function isNormalisedPlate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return normalisePlate(value).plate === value;
  } catch {
    return false;
  }
}

function withDashes(chars: string, pattern: string): string {
  let out = '';
  let i = 0;
  for (const symbol of pattern) {
    if (symbol === '-') out += '-';
    else out += chars[i++];
  }
  return out;
}

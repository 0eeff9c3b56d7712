/**
 * Infringement classes from Annex III of Directive 2006/22/EC, as replaced by Annex II of
 * Commission Regulation (EU) 2016/403 (MI minor, SI serious, VSI very serious, MSI most serious;
 * the MSI rows are those of Annex I to 2016/403 / Annex IV to Regulation (EC) No 1071/2009).
 * Each table is data: a row's wording and its bands, so docs/transport-rules.md and the tests can
 * be read against the legal text line by line.
 */
import { hm } from './time.js';
import { Severity, type AnnexReference } from './types.js';

/** A band of a value that is too high: applies when value ≥ atLeastMs (first matching wins). */
interface ExcessBand {
  readonly atLeastMs: number;
  readonly severity: Severity;
  readonly band: string;
}

/** A band of a value that is too low: applies when value < belowMs (last matching wins). */
interface ShortfallBand {
  readonly belowMs: number;
  readonly severity: Severity;
  readonly band: string;
}

export interface ExcessTable {
  readonly row: string;
  /** The limit; values at or under it are no infringement. */
  readonly limitMs: number;
  /** Highest first. */
  readonly bands: readonly ExcessBand[];
}

export interface ShortfallTable {
  readonly row: string;
  /** The requirement; values at or above it are no infringement. */
  readonly requiredMs: number;
  /** Mildest (highest threshold) first. */
  readonly bands: readonly ShortfallBand[];
}

export interface Classification {
  readonly severity: Severity;
  readonly annex: AnnexReference;
}

const { MINOR, SERIOUS, VERY_SERIOUS, MOST_SERIOUS } = Severity;

/** Daily driving, 9 h limit (no extension left). MSI needs "no break/rest ≥ 4.5 h" too. */
export const DAILY_DRIVING_9H: ExcessTable = {
  row: 'Exceeding the daily driving time of 9 h where extension of 10 h is not allowed',
  limitMs: hm(9),
  bands: [
    { atLeastMs: hm(11), severity: VERY_SERIOUS, band: '11 h ≤ …' },
    { atLeastMs: hm(10), severity: SERIOUS, band: '10 h ≤ … < 11 h' },
    { atLeastMs: 0, severity: MINOR, band: '9 h < … < 10 h' },
  ],
};

/** Daily driving, 10 h limit (extension allowed). */
export const DAILY_DRIVING_10H: ExcessTable = {
  row: 'Exceeding the extended daily driving time of 10 h where extension is allowed',
  limitMs: hm(10),
  bands: [
    { atLeastMs: hm(12), severity: VERY_SERIOUS, band: '12 h ≤ …' },
    { atLeastMs: hm(11), severity: SERIOUS, band: '11 h ≤ … < 12 h' },
    { atLeastMs: 0, severity: MINOR, band: '10 h < … < 11 h' },
  ],
};

/** MSI: the daily limit exceeded by 50 % or more without a break or rest of at least 4.5 h. */
export const DAILY_DRIVING_MOST_SERIOUS_FACTOR = 1.5;
export const DAILY_DRIVING_MOST_SERIOUS_REST_MS = hm(4, 30);

export const WEEKLY_DRIVING: ExcessTable = {
  row: 'Exceeding the weekly driving time of 56 h',
  limitMs: hm(56),
  bands: [
    { atLeastMs: hm(70), severity: MOST_SERIOUS, band: '70 h ≤ … (25 % or more)' },
    { atLeastMs: hm(65), severity: VERY_SERIOUS, band: '65 h ≤ … < 70 h' },
    { atLeastMs: hm(60), severity: SERIOUS, band: '60 h ≤ … < 65 h' },
    { atLeastMs: 0, severity: MINOR, band: '56 h < … < 60 h' },
  ],
};

export const TWO_WEEK_DRIVING: ExcessTable = {
  row: 'Exceeding the maximum total driving time of 90 h during two consecutive weeks',
  limitMs: hm(90),
  bands: [
    { atLeastMs: hm(112, 30), severity: MOST_SERIOUS, band: '112 h 30 ≤ … (25 % or more)' },
    { atLeastMs: hm(105), severity: VERY_SERIOUS, band: '105 h ≤ … < 112 h 30' },
    { atLeastMs: hm(100), severity: SERIOUS, band: '100 h ≤ … < 105 h' },
    { atLeastMs: 0, severity: MINOR, band: '90 h < … < 100 h' },
  ],
};

export const UNINTERRUPTED_DRIVING: ExcessTable = {
  row: 'Exceeding the uninterrupted driving time of 4.5 h before taking a break',
  limitMs: hm(4, 30),
  bands: [
    { atLeastMs: hm(6), severity: VERY_SERIOUS, band: '6 h ≤ …' },
    { atLeastMs: hm(5), severity: SERIOUS, band: '5 h ≤ … < 6 h' },
    { atLeastMs: 0, severity: MINOR, band: '4 h 30 < … < 5 h' },
  ],
};

export const DAILY_REST_11H: ShortfallTable = {
  row: 'Insufficient daily rest period of less than 11 h where reduced daily rest period is not allowed',
  requiredMs: hm(11),
  bands: [
    { belowMs: hm(11), severity: MINOR, band: '10 h ≤ … < 11 h' },
    { belowMs: hm(10), severity: SERIOUS, band: '8 h 30 ≤ … < 10 h' },
    { belowMs: hm(8, 30), severity: VERY_SERIOUS, band: '… < 8 h 30' },
  ],
};

function nineHourBands(prefix: string): ShortfallBand[] {
  return [
    { belowMs: hm(9), severity: MINOR, band: `${prefix}8 h ≤ … < 9 h` },
    { belowMs: hm(8), severity: SERIOUS, band: `${prefix}7 h ≤ … < 8 h` },
    { belowMs: hm(7), severity: VERY_SERIOUS, band: `${prefix}… < 7 h` },
  ];
}

export const REDUCED_DAILY_REST_9H: ShortfallTable = {
  row: 'Insufficient reduced daily rest period of less than 9 h where reduction is allowed',
  requiredMs: hm(9),
  bands: nineHourBands(''),
};

/** Graded on the second part; the first part is at least 3 h. */
export const SPLIT_DAILY_REST: ShortfallTable = {
  row: 'Insufficient split daily rest period of less than 3 h + 9 h',
  requiredMs: hm(9),
  bands: nineHourBands('3 h + '),
};

export const MULTI_MANNING_DAILY_REST: ShortfallTable = {
  row: 'Insufficient daily rest period of less than 9 h within 30 h in multi-manning',
  requiredMs: hm(9),
  bands: nineHourBands(''),
};

export const REDUCED_WEEKLY_REST: ShortfallTable = {
  row: 'Insufficient reduced weekly rest period of less than 24 h',
  requiredMs: hm(24),
  bands: [
    { belowMs: hm(24), severity: MINOR, band: '22 h ≤ … < 24 h' },
    { belowMs: hm(22), severity: SERIOUS, band: '20 h ≤ … < 22 h' },
    { belowMs: hm(20), severity: VERY_SERIOUS, band: '… < 20 h' },
  ],
};

export const WEEKLY_REST_45H: ShortfallTable = {
  row: 'Insufficient weekly rest period of less than 45 h where reduced weekly rest period is not allowed',
  requiredMs: hm(45),
  bands: [
    { belowMs: hm(45), severity: MINOR, band: '42 h ≤ … < 45 h' },
    { belowMs: hm(42), severity: SERIOUS, band: '36 h ≤ … < 42 h' },
    { belowMs: hm(36), severity: VERY_SERIOUS, band: '… < 36 h' },
  ],
};

/** Graded on the delay beyond the end of the sixth 24 h period. */
export const WEEKLY_REST_DELAY: ExcessTable = {
  row: 'Exceeding six consecutive 24 h periods after the previous weekly rest period',
  limitMs: 0,
  bands: [
    { atLeastMs: hm(12), severity: VERY_SERIOUS, band: '12 h ≤ …' },
    { atLeastMs: hm(3), severity: SERIOUS, band: '3 h ≤ … < 12 h' },
    { atLeastMs: 0, severity: MINOR, band: '… < 3 h' },
  ],
};

/** Class of a value above `table.limitMs`; null when it is not above. */
export function classifyExcess(table: ExcessTable, valueMs: number): Classification | null {
  if (valueMs <= table.limitMs) return null;
  for (const band of table.bands) {
    if (valueMs >= band.atLeastMs)
      return { severity: band.severity, annex: { row: table.row, band: band.band } };
  }
  throw new Error(`severity: table "${table.row}" has no band for ${valueMs} ms`); // tables end at 0
}

/** Class of a value below `table.requiredMs`; null when it is not below. */
export function classifyShortfall(table: ShortfallTable, valueMs: number): Classification | null {
  let found: ShortfallBand | null = null;
  for (const band of table.bands) {
    if (valueMs < band.belowMs) found = band;
  }
  return found === null ? null : { severity: found.severity, annex: { row: table.row, band: found.band } };
}

/** Daily driving: the 9 h or 10 h table, raised to MSI when the MSI condition holds. */
export function classifyDailyDriving(
  limitMs: number,
  drivenMs: number,
  longestRestInShiftMs: number,
): Classification | null {
  const table = limitMs === DAILY_DRIVING_10H.limitMs ? DAILY_DRIVING_10H : DAILY_DRIVING_9H;
  const base = classifyExcess(table, drivenMs);
  if (base === null) return null;
  const mostSeriousFromMs = table.limitMs * DAILY_DRIVING_MOST_SERIOUS_FACTOR;
  if (drivenMs >= mostSeriousFromMs && longestRestInShiftMs < DAILY_DRIVING_MOST_SERIOUS_REST_MS) {
    const hours = mostSeriousFromMs / hm(1);
    const band = `${Math.floor(hours)} h${hours % 1 === 0 ? '' : ' 30'} ≤ … without a break or rest of at least 4.5 h`;
    return { severity: MOST_SERIOUS, annex: { row: table.row, band } };
  }
  return base;
}

const ORDER: Readonly<Record<Severity, number>> = { MINOR: 0, SERIOUS: 1, VERY_SERIOUS: 2, MOST_SERIOUS: 3 };

/** The least severe of several possible readings: where the text allows more than one, the driver gets the benefit. */
export function leastSevere(candidates: readonly (Classification | null)[]): Classification | null {
  let best: Classification | null = null;
  for (const c of candidates) {
    if (c === null) return null; // one reading with no infringement at all wins
    if (best === null || ORDER[c.severity] < ORDER[best.severity]) best = c;
  }
  return best;
}

/** Compare classes: negative when a is milder than b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return ORDER[a] - ORDER[b];
}

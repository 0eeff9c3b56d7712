/**
 * The validated, numeric form of a request that the rule modules work on. Times are epoch
 * milliseconds; every array is sorted by start. Produced only by validate.ts.
 */
import type { Berth, ExceedanceKind, TransportKind } from './types.js';

export interface Period {
  /** Index in `request.activities`, for the `causes` of findings. */
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  /** BREAK_REST or UNKNOWN: counts as rest and as break. */
  readonly isRest: boolean;
  readonly isDriving: boolean;
  readonly multiManning: boolean;
  readonly inVehicle: boolean;
  readonly outsideHomeCountries: boolean;
}

export interface Crossing {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly berth: Berth;
  readonly scheduledMs: number;
}

export interface Exceedance {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly kind: ExceedanceKind;
  readonly reason: string;
}

export interface ValidatedRequest {
  readonly periods: readonly Period[];
  readonly transport: TransportKind;
  readonly international: boolean;
  readonly crossings: readonly Crossing[];
  readonly exceedances: readonly Exceedance[];
}

/** Bounds on input size (every loop in the engine is bounded by these). */
export const Limits = {
  /** About ten years of one driver's periods; a year is about 20,000. */
  activitiesMax: 250_000,
  /** Ferry and train crossings per request. */
  crossingsMax: 10_000,
  /** Article 12 exceedances per request. */
  exceedancesMax: 10_000,
  /** First start to last end: ten years keeps the per-week tables small. */
  spanMaxMs: 3_660 * 24 * 3_600_000,
  /** Errors collected before validation stops looking. */
  errorsMax: 100,
  /** Article 12 reason text. */
  reasonCharsMax: 1_000,
} as const;

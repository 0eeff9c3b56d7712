/**
 * The engine's input and output shapes. Inputs are what a driver card (or a vehicle unit)
 * download says, plus the context a tachograph does not record; outputs are findings, each
 * citing its article of Regulation (EC) No 561/2006 as amended by Regulation (EU) 2020/1054 and
 * its class from Annex III of Directive 2006/22/EC as amended by Regulation (EU) 2016/403.
 * docs/transport-rules.md explains every rule and interpretation.
 */

/** RFC 3339 UTC, e.g. `2026-03-02T06:00:00.000Z`. */
export type Rfc3339 = string;

/** The activities a tachograph records (Reg. 165/2014), plus UNKNOWN for periods without a card. */
export const ActivityType = {
  DRIVING: 'DRIVING',
  OTHER_WORK: 'OTHER_WORK',
  AVAILABILITY: 'AVAILABILITY',
  BREAK_REST: 'BREAK_REST',
  /** No record (card withdrawn, manual entry "unknown"): counted as rest, as a tachograph does. */
  UNKNOWN: 'UNKNOWN',
} as const;
export type ActivityType = (typeof ActivityType)[keyof typeof ActivityType];

/** One recorded period of one driver. Periods are sorted by start and do not overlap. */
export interface ActivityInput {
  readonly start: Rfc3339;
  readonly end: Rfc3339;
  readonly activity: ActivityType;
  /**
   * Another driver was in the vehicle to do the driving (crew mode, Art. 4(o)). A shift is
   * multi-manned when all its driving after the first hour carries this flag.
   */
  readonly multiManning?: boolean;
  /** BREAK_REST/UNKNOWN only: the rest was spent in the vehicle (Art. 8(8): never a regular weekly rest). */
  readonly inVehicle?: boolean;
  /**
   * BREAK_REST/UNKNOWN only: the rest began outside the Member State of the employer's
   * establishment and outside the driver's country of residence (Art. 8(6) third subparagraph).
   */
  readonly outsideHomeCountries?: boolean;
}

/** Berth available to the driver on a ferry or train (Art. 9(1)). */
export const Berth = {
  NONE: 'NONE',
  BUNK_OR_COUCHETTE: 'BUNK_OR_COUCHETTE',
  SLEEPER_CABIN: 'SLEEPER_CABIN',
} as const;
export type Berth = (typeof Berth)[keyof typeof Berth];

/**
 * A ferry or train crossing on which the driver accompanied the vehicle: from the start of
 * boarding to the end of disembarking. Rest interrupted inside it may be joined (Art. 9(1)).
 */
export interface CrossingInput {
  readonly start: Rfc3339;
  readonly end: Rfc3339;
  readonly berth: Berth;
  /** Scheduled journey length; 8 h or more (with a sleeper cabin) allows a regular weekly rest. */
  readonly scheduledMinutes: number;
}

/** Which paragraph of Article 12 the driver relied on. */
export const ExceedanceKind = {
  /** First paragraph: reach a suitable stopping place for safety; departs from Arts 6 to 9. */
  SUITABLE_STOPPING_PLACE: 'SUITABLE_STOPPING_PLACE',
  /** Second paragraph: up to 1 h more daily/weekly driving to reach base or home for a weekly rest. */
  HOME_FOR_WEEKLY_REST: 'HOME_FOR_WEEKLY_REST',
  /** Third paragraph: up to 2 h, after a 30 min break, to reach base or home for a regular weekly rest. */
  HOME_FOR_REGULAR_WEEKLY_REST: 'HOME_FOR_REGULAR_WEEKLY_REST',
} as const;
export type ExceedanceKind = (typeof ExceedanceKind)[keyof typeof ExceedanceKind];

/** An Article 12 departure: the interval of the additional driving and the reason recorded. */
export interface ExceedanceInput {
  readonly start: Rfc3339;
  readonly end: Rfc3339;
  readonly kind: ExceedanceKind;
  /** The reason the driver wrote on the printout or record sheet (required, non-empty). */
  readonly reason: string;
}

export const TransportKind = { GOODS: 'GOODS', PASSENGERS: 'PASSENGERS' } as const;
export type TransportKind = (typeof TransportKind)[keyof typeof TransportKind];

/** One driver's records and their context. */
export interface ComplianceRequest {
  readonly activities: readonly ActivityInput[];
  /** Goods or passengers; the two-reduced-weekly-rests derogation is for goods only. Default GOODS. */
  readonly transport?: TransportKind;
  /** The driver is engaged in international transport (Art. 8(6) third subparagraph). Default false. */
  readonly international?: boolean;
  readonly crossings?: readonly CrossingInput[];
  readonly exceedances?: readonly ExceedanceInput[];
}

/** Annex III of Directive 2006/22/EC (as amended by Regulation (EU) 2016/403). */
export const Severity = {
  MINOR: 'MINOR',
  SERIOUS: 'SERIOUS',
  VERY_SERIOUS: 'VERY_SERIOUS',
  MOST_SERIOUS: 'MOST_SERIOUS',
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const FindingKind = {
  /** A breach of the Regulation. */
  INFRINGEMENT: 'INFRINGEMENT',
  /** Information with legal effect, e.g. compensation owed and by when; never a breach. */
  NOTICE: 'NOTICE',
} as const;
export type FindingKind = (typeof FindingKind)[keyof typeof FindingKind];

/** Every rule the engine checks, one identifier per article and condition. */
export const RuleId = {
  DAILY_DRIVING: 'DAILY_DRIVING',
  WEEKLY_DRIVING: 'WEEKLY_DRIVING',
  TWO_WEEK_DRIVING: 'TWO_WEEK_DRIVING',
  BREAK: 'BREAK',
  DAILY_REST: 'DAILY_REST',
  MULTI_MANNING_DAILY_REST: 'MULTI_MANNING_DAILY_REST',
  REDUCED_DAILY_REST_COUNT: 'REDUCED_DAILY_REST_COUNT',
  WEEKLY_REST_START: 'WEEKLY_REST_START',
  WEEKLY_REST_TOO_SHORT: 'WEEKLY_REST_TOO_SHORT',
  CONSECUTIVE_REDUCED_WEEKLY_REST: 'CONSECUTIVE_REDUCED_WEEKLY_REST',
  FOUR_WEEK_WEEKLY_RESTS: 'FOUR_WEEK_WEEKLY_RESTS',
  WEEKLY_REST_COMPENSATION: 'WEEKLY_REST_COMPENSATION',
  COMPENSATION_BEFORE_WEEKLY_REST: 'COMPENSATION_BEFORE_WEEKLY_REST',
  REGULAR_WEEKLY_REST_IN_VEHICLE: 'REGULAR_WEEKLY_REST_IN_VEHICLE',
  EXCEEDANCE_COMPENSATION: 'EXCEEDANCE_COMPENSATION',
  COMPENSATION_OWED: 'COMPENSATION_OWED',
  EXCEEDANCE_APPLIED: 'EXCEEDANCE_APPLIED',
  EXCEEDANCE_NOT_APPLICABLE: 'EXCEEDANCE_NOT_APPLICABLE',
} as const;
export type RuleId = (typeof RuleId)[keyof typeof RuleId];

/** Measured values of a finding, all in minutes. Only the keys that apply are present. */
export interface FindingFigures {
  readonly drivenMinutes?: number;
  readonly limitMinutes?: number;
  readonly excessMinutes?: number;
  readonly restedMinutes?: number;
  readonly requiredMinutes?: number;
  readonly shortfallMinutes?: number;
  readonly delayMinutes?: number;
  readonly owedMinutes?: number;
  readonly excusedMinutes?: number;
  readonly inVehicleMinutes?: number;
  /** For counts (reduced daily rests, extended days): how many, and how many are allowed. */
  readonly count?: number;
  readonly allowed?: number;
}

/** The Annex III row and band an infringement falls in. */
export interface AnnexReference {
  /** The row's wording, e.g. "Insufficient reduced daily rest period of less than 9 h". */
  readonly row: string;
  /** The band, e.g. "8 h ≤ … < 9 h". */
  readonly band: string;
}

export interface Finding {
  readonly rule: RuleId;
  /** E.g. "561/2006 Art. 6(1)". */
  readonly article: string;
  readonly kind: FindingKind;
  /**
   * Annex III class. null for a NOTICE, and for the few infringements Annex III (2016/403)
   * does not classify (rules added by 2020/1054); `annex` is null then too.
   */
  readonly severity: Severity | null;
  readonly annex: AnnexReference | null;
  readonly periodStart: Rfc3339;
  readonly periodEnd: Rfc3339;
  readonly figures: FindingFigures;
  /** Indices into `request.activities` of the periods that caused it, ascending. */
  readonly causes: readonly number[];
  /** Deadline, for compensation findings. */
  readonly dueBy?: Rfc3339;
  readonly message: string;
}

export const RestType = {
  REGULAR_DAILY: 'REGULAR_DAILY',
  SPLIT_DAILY: 'SPLIT_DAILY',
  REDUCED_DAILY: 'REDUCED_DAILY',
  MULTI_MANNING_DAILY: 'MULTI_MANNING_DAILY',
  INSUFFICIENT_DAILY: 'INSUFFICIENT_DAILY',
  REGULAR_WEEKLY: 'REGULAR_WEEKLY',
  REDUCED_WEEKLY: 'REDUCED_WEEKLY',
  /** A rest under 24 h taken in place of a weekly rest (Annex III "less than 24 h" rows). */
  INSUFFICIENT_WEEKLY: 'INSUFFICIENT_WEEKLY',
} as const;
export type RestType = (typeof RestType)[keyof typeof RestType];

/** A rest that ended a shift. */
export interface RestSummary {
  readonly start: Rfc3339;
  readonly end: Rfc3339;
  /** Length of the rest (without Art. 9 interruptions). */
  readonly minutes: number;
  /** The part inside the 24 h (30 h multi-manning) window after the previous rest (Art. 8(2)). */
  readonly inWindowMinutes: number;
  readonly type: RestType;
  /** The first part of a split daily rest (3 h + 9 h), when there is one. */
  readonly splitFirstPart: { readonly start: Rfc3339; readonly end: Rfc3339 } | null;
  /** Interruptions joined under Article 9 (ferry or train). */
  readonly ferryOrTrainInterruptions: number;
  readonly inVehicleMinutes: number;
  /** The part beyond 9 h (daily, Art. 8(7)) or 45 h (regular weekly) that can serve as compensation. */
  readonly surplusMinutes: number;
}

export interface ShiftSummary {
  /** End of the previous daily or weekly rest. */
  readonly start: Rfc3339;
  /** Start of the rest that ended it; null while the record ends inside the shift. */
  readonly end: Rfc3339 | null;
  readonly drivingMinutes: number;
  /** 9 h, or 10 h when this shift used one of the week's two extensions. */
  readonly limitMinutes: number;
  readonly extended: boolean;
  readonly multiManning: boolean;
  /** Deadline by which the daily rest had to be taken (24 h, or 30 h multi-manning, plus Art. 12). */
  readonly windowEnd: Rfc3339;
  readonly rest: RestSummary | null;
}

export interface WeekSummary {
  /** Monday 00:00 UTC. */
  readonly weekStart: Rfc3339;
  readonly drivingMinutes: number;
  /** This week and the one before. */
  readonly twoWeekDrivingMinutes: number;
  readonly extendedShifts: number;
}

export const CompensationOrigin = {
  REDUCED_WEEKLY_REST: 'REDUCED_WEEKLY_REST',
  EXCEEDANCE: 'EXCEEDANCE',
} as const;
export type CompensationOrigin = (typeof CompensationOrigin)[keyof typeof CompensationOrigin];

export const CompensationStatus = { SETTLED: 'SETTLED', OWED: 'OWED', OVERDUE: 'OVERDUE' } as const;
export type CompensationStatus = (typeof CompensationStatus)[keyof typeof CompensationStatus];

export interface CompensationSummary {
  readonly origin: CompensationOrigin;
  /** Start of the reduced weekly rest, or of the Article 12 exceedance. */
  readonly originStart: Rfc3339;
  readonly owedMinutes: number;
  readonly dueBy: Rfc3339;
  readonly status: CompensationStatus;
  /** Start of the rest the compensation was attached to. */
  readonly settledWith: Rfc3339 | null;
}

export interface ComplianceSummary {
  readonly analysedFrom: Rfc3339;
  readonly analysedTo: Rfc3339;
  readonly drivingMinutes: number;
  readonly weeks: readonly WeekSummary[];
  readonly shifts: readonly ShiftSummary[];
  readonly compensations: readonly CompensationSummary[];
}

export interface ComplianceReport {
  readonly findings: readonly Finding[];
  readonly summary: ComplianceSummary;
}

/**
 * Refusals. A transaction function that refuses returns a RuleViolation and writes nothing: the
 * service does not submit, and an endorser returns the same violation as its reason.
 */
import type { AidKind } from './ceilings.js';
import type { IsoDate } from './records.js';

export const RuleCode = {
  /** The single undertaking's de minimis aid in the window plus the new grant exceeds a ceiling. */
  DE_MINIMIS_CEILING: 'DE_MINIMIS_CEILING',
  /** The scheme's budget would be exceeded. */
  SCHEME_BUDGET: 'SCHEME_BUDGET',
  /** The grant exceeds the scheme's share of the eligible cost. */
  SHARE_OF_COST: 'SHARE_OF_COST',
  /** The grant exceeds the scheme's maximum per grant. */
  MAX_PER_GRANT: 'MAX_PER_GRANT',
  /** The applicant's grants under the scheme would exceed its maximum per applicant. */
  MAX_PER_APPLICANT: 'MAX_PER_APPLICANT',
  /** Only the scheme's own authority decides, pays and recovers under it. */
  NOT_SCHEME_OWNER: 'NOT_SCHEME_OWNER',
  SCHEME_NOT_FOUND: 'SCHEME_NOT_FOUND',
  UNDERTAKING_NOT_FOUND: 'UNDERTAKING_NOT_FOUND',
  /** The undertaking merged into another one and receives no new aid under its own number. */
  UNDERTAKING_CEASED: 'UNDERTAKING_CEASED',
  APPLICATION_NOT_FOUND: 'APPLICATION_NOT_FOUND',
  /** The application is for another scheme, undertaking, or was already decided. */
  APPLICATION_MISMATCH: 'APPLICATION_MISMATCH',
  GRANT_NOT_FOUND: 'GRANT_NOT_FOUND',
  /** Payments would exceed the amount granted. */
  PAYMENT_EXCEEDS_GRANT: 'PAYMENT_EXCEEDS_GRANT',
  /** A recovery would exceed what was paid and not yet recovered. */
  RECOVERY_EXCEEDS_PAID: 'RECOVERY_EXCEEDS_PAID',
  /** The record to create exists already. */
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  /** A control link that is to oneself, exists already, or does not exist (to remove). */
  INVALID_LINK: 'INVALID_LINK',
  /** A merger that names ceased, unknown or repeated undertakings. */
  INVALID_MERGER: 'INVALID_MERGER',
  /** A bound of limits.ts would be exceeded (group size, register length, links, payments). */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** The endorser asked is not the scheme's named co-endorser. */
  NOT_CO_ENDORSER: 'NOT_CO_ENDORSER',
  /** The proposal uses another action than the scheme's terms require for its amount. */
  WRONG_ACTION: 'WRONG_ACTION',
  /** The authority refuses an application on its own assessment (refuseGrant). */
  DISCRETIONARY: 'DISCRETIONARY',
} as const;
export type RuleCode = (typeof RuleCode)[keyof typeof RuleCode];

/** The figures behind a refusal; which fields are set depends on the rule. */
export interface ViolationFigures {
  /** DE_MINIMIS_CEILING: the ceiling that would be exceeded. */
  readonly ceilingCents?: number;
  /** DE_MINIMIS_CEILING: the counted aid already granted in the worst window. */
  readonly alreadyGrantedInWindowCents?: number;
  readonly requestedCents?: number;
  /** DE_MINIMIS_CEILING: the worst window, inclusive dates. */
  readonly windowFrom?: IsoDate;
  readonly windowTo?: IsoDate;
  /** DE_MINIMIS_CEILING: the KvK numbers counted as the single undertaking. */
  readonly groupMembers?: readonly string[];
  /** DE_MINIMIS_CEILING: the ceiling rule (ceilings.ts id) and the aid kinds it counts. */
  readonly ceilingRule?: string;
  readonly countedKinds?: readonly AidKind[];
  /** Budget, per-grant, per-applicant, payment and recovery limits. */
  readonly limitCents?: number;
  readonly usedCents?: number;
  readonly leftCents?: number;
  /** SHARE_OF_COST. */
  readonly eligibleCostCents?: number;
  readonly shareBasisPoints?: number;
  readonly maxAllowedCents?: number;
  /** NOT_SCHEME_OWNER, NOT_CO_ENDORSER: who may act, and who tried. */
  readonly expectedMspId?: string;
  readonly actualMspId?: string;
  /** WRONG_ACTION. */
  readonly expectedAction?: string;
  readonly actualAction?: string;
  /** LIMIT_EXCEEDED: which bound and its limit. */
  readonly bound?: string;
  readonly limit?: number;
  /** The key the refusal is about (not found, already exists). */
  readonly key?: string;
}

export interface RuleViolation {
  readonly rule: RuleCode;
  /** The legal basis (article) when the rule comes from a regulation, else null. */
  readonly article: string | null;
  readonly message: string;
  readonly figures: ViolationFigures;
}

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly violation: RuleViolation };

export function accept<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refuse<T = never>(
  rule: RuleCode,
  message: string,
  figures: ViolationFigures = {},
  article: string | null = null,
): Outcome<T> {
  return { ok: false, violation: { rule, article, message, figures } };
}

/** A refusal carried over from a helper that refused with another value type. */
export function refuseWith<T>(violation: RuleViolation): Outcome<T> {
  return { ok: false, violation };
}

/** Euro amount for messages: 30000000 → "EUR 300,000.00". */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  // Grouped by hand rather than with toLocaleString: messages must not depend on ICU data.
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}EUR ${whole}.${String(abs % 100).padStart(2, '0')}`;
}

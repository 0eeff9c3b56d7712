/**
 * The values stored under the `subsidies` namespace (plain JSON, money in integer cents, dates
 * `YYYY-MM-DD`, times RFC 3339 UTC with milliseconds). Key layout: keys.ts.
 */
import type { AidKind } from './ceilings.js';

/** Dates are calendar dates (`YYYY-MM-DD`, UTC); times are RFC 3339 UTC with milliseconds. */
export type IsoDate = string;
export type Rfc3339 = string;

/** How a co-endorser is asked for grants above a threshold. */
export interface SchemeEndorsement {
  /** Grants strictly above this amount need the co-endorser's signature. */
  readonly thresholdCents: number;
  /** The mspId of the second authority whose endorser must sign. */
  readonly coEndorser: string;
}

/** `scheme/<schemeId>`: the scheme's terms and its budget use. Written by every decision on it. */
export interface SchemeRecord {
  readonly id: string;
  /** mspId of the granting authority; only it decides, pays and recovers under this scheme. */
  readonly authority: string;
  readonly title: string;
  readonly budgetCents: number;
  /** Net granted so far (grants minus withdrawn rights): the budget used. */
  readonly grantedCents: number;
  /** Number of grants decided: the sequence number of the next grant id. */
  readonly grantCount: number;
  /** Maximum net granted to one applicant (KvK number) under this scheme, over its lifetime. */
  readonly maxPerApplicantCents: number;
  /** Share of the eligible cost the scheme pays, in basis points (5000 = 50 %). */
  readonly shareBasisPoints: number;
  readonly maxPerGrantCents: number;
  /** Under which de minimis regulation it grants, or null when its aid is not de minimis aid. */
  readonly deMinimis: AidKind | null;
  readonly endorsement: SchemeEndorsement | null;
  readonly registeredAt: Rfc3339;
}

/** The four control relations of Art. 2(2)(a)-(d) of Regulation (EU) 2023/2831. */
export const ControlBasis = {
  /** (a) a majority of the shareholders' or members' voting rights. */
  VOTING_MAJORITY: 'VOTING_MAJORITY',
  /** (b) the right to appoint or remove a majority of the administrative, management or supervisory body. */
  BOARD_MAJORITY: 'BOARD_MAJORITY',
  /** (c) the right to exercise a dominant influence by contract or by its memorandum or articles. */
  DOMINANT_INFLUENCE: 'DOMINANT_INFLUENCE',
  /** (d) control, alone, of a majority of voting rights under an agreement with other shareholders. */
  VOTING_AGREEMENT: 'VOTING_AGREEMENT',
} as const;
export type ControlBasis = (typeof ControlBasis)[keyof typeof ControlBasis];

export interface ControlLink {
  /** The KvK number of the other undertaking. */
  readonly kvk: string;
  readonly basis: ControlBasis;
  readonly since: IsoDate;
}

/**
 * `undertaking/<kvk>`. Links are kept on both ends, so the single undertaking is found from any of
 * its members by point reads, and a change of links writes the records a decision reads.
 */
export interface UndertakingRecord {
  readonly kvk: string;
  /**
   * Salted SHA-256 (hex) of the name and other identifying data, kept in the registering
   * authority's private store: a sole trader's trade name is personal data.
   */
  readonly privateDataHash: string;
  readonly registeredBy: string;
  readonly registeredAt: Rfc3339;
  /**
   * A public body: undertakings that are linked only through it are not one single undertaking
   * (recital 4 of 2023/2831), so the group search does not pass through it.
   */
  readonly publicBody: boolean;
  /** Undertakings this one controls. */
  readonly controls: readonly ControlLink[];
  /** Undertakings that control this one. */
  readonly controlledBy: readonly ControlLink[];
  /** Undertakings merged into this one (Art. 3(8)): their aid history adds up with this one's. */
  readonly absorbed: readonly string[];
  /** Set when this undertaking merged into another one and ceased; it receives no new aid. */
  readonly mergedInto: string | null;
  /** Set when this undertaking split into others and ceased (Art. 3(9)); empty otherwise. */
  readonly splitInto: readonly string[];
}

/** Why an undertaking receives no new aid under its own number, or null when it is live. */
export function ceasedReason(record: UndertakingRecord): string | null {
  if (record.mergedInto !== null) return `merged into ${record.mergedInto}`;
  if (record.splitInto.length > 0) return `split into ${record.splitInto.join(', ')}`;
  return null;
}

/** One grant in an undertaking's aid register. */
export interface AidEntry {
  readonly grantId: string;
  readonly schemeId: string;
  /** mspId of the granting authority. */
  readonly authority: string;
  /** The day the legal right was conferred (Art. 3(3)): what the ceiling counts by. */
  readonly grantDate: IsoDate;
  readonly grantedCents: number;
  /** Part of the legal right withdrawn later (recordRecovery with rightWithdrawn). */
  readonly withdrawnCents: number;
  /** The de minimis regulation it was granted under, or null when it is not de minimis aid. */
  readonly aidKind: AidKind | null;
  /** Set on entries allocated to this undertaking by a split (Art. 3(9)): the split undertaking. */
  readonly splitFrom?: string;
}

/**
 * `aid/<kvk>`: every grant to one undertaking. A decision reads the registers of every member of
 * the single undertaking and writes the applicant's, so two decisions that count the same aid
 * conflict under MVCC.
 */
export interface AidRegister {
  readonly kvk: string;
  readonly entries: readonly AidEntry[];
}

export interface Payment {
  readonly date: IsoDate;
  readonly amountCents: number;
}

export interface Recovery {
  readonly date: IsoDate;
  readonly amountCents: number;
  readonly rightWithdrawn: boolean;
  readonly reason: string;
}

/** `grant/<schemeId>/<seq>`: one grant, its payments and recoveries. */
export interface GrantRecord {
  readonly id: string;
  readonly schemeId: string;
  readonly authority: string;
  readonly kvk: string;
  readonly applicationId: string | null;
  readonly grantDate: IsoDate;
  readonly decidedAt: Rfc3339;
  readonly grantedCents: number;
  readonly eligibleCostCents: number;
  readonly aidKind: AidKind | null;
  /** The co-endorser the grant needed (null when under the threshold). */
  readonly coEndorser: string | null;
  readonly paidCents: number;
  readonly recoveredCents: number;
  readonly withdrawnCents: number;
  readonly payments: readonly Payment[];
  readonly recoveries: readonly Recovery[];
}

export const ApplicationStatus = {
  SUBMITTED: 'SUBMITTED',
  GRANTED: 'GRANTED',
  REFUSED: 'REFUSED',
} as const;
export type ApplicationStatus = (typeof ApplicationStatus)[keyof typeof ApplicationStatus];

/** `application/<schemeId>/<applicationId>`. */
export interface ApplicationRecord {
  readonly id: string;
  readonly schemeId: string;
  readonly kvk: string;
  readonly requestedCents: number;
  readonly eligibleCostCents: number;
  readonly submittedAt: Rfc3339;
  readonly status: ApplicationStatus;
  /** The grant id once granted. */
  readonly grantId: string | null;
  /** The rule code of the refusal once refused. */
  readonly refusal: { readonly rule: string; readonly message: string } | null;
}

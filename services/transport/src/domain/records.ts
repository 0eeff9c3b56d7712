/**
 * The state of the `transport` namespace (docs/transport.md#state): what each key holds, the key
 * names, and the bounds on every list. Every rule reads the keys it depends on by name; lists
 * are bucketed per card and month so that no key grows without bound.
 *
 * | key | written by | holds |
 * |---|---|---|
 * | `card/<card>` | RDW | the driver-card register entry |
 * | `records/<card>` | the company | the latest upload of the card (uploads are chronological) |
 * | `upload/<card>/<uploadId>` | the company | hash, period and count of one upload |
 * | `uploads/<card>/<YYYY-MM>` | the company | the uploads overlapping the month |
 * | `findings/<card>/<YYYY-MM>` | the company | the engine's findings that start in the month |
 * | `access/<card>/<YYYY-MM>` | the company | inspectors' accesses to the private records |
 * | `inspection/<id>` | ILT, Police | one check and its infringements |
 * | `inspected/<card>/<YYYY-MM>` | ILT, Police | the checks of the card in the month |
 */
import type { AnnexReference, FindingFigures, FindingKind, RuleId, Severity } from '../rules/index.js';
import type { Month } from './months.js';

export const TRANSPORT_NAMESPACE = 'transport';

/** Private store collection of the uploaded activities; also the collection of the payload's private hash. */
export const RECORDS_COLLECTION = 'transport-records';
/** Private store collection of the drivers' personal data at RDW. */
export const DRIVERS_COLLECTION = 'transport-drivers';

const DAY_MS = 86_400_000;

export const LIMITS = {
  /** Activities in one upload: a 28-day card download has ~3,000; 20,000 is a year's worth. */
  activitiesPerUploadMax: 20_000,
  /** First start to last end of one upload: a quarter. Keeps the months touched by one upload at 4. */
  uploadSpanMsMax: 93 * DAY_MS,
  crossingsPerUploadMax: 200,
  exceedancesPerUploadMax: 200,
  /**
   * Context before a period that the engine needs to judge it: the two-week driving limit, the
   * weekly-rest chain and compensation due by the end of the third following week.
   */
  contextMs: 35 * DAY_MS,
  /** Uploads listed per card and month (a payload rewrites up to four such lists). */
  uploadsPerMonthMax: 100,
  /** Findings kept on the chain per card and month; beyond, only counted (overflow). */
  findingsPerMonthMax: 100,
  /** Causes kept per finding on the chain (all are in the REST view). */
  causesStoredMax: 20,
  accessEntriesPerBatchMax: 200,
  accessEntriesPerMonthMax: 300,
  uploadsPerAccessMax: 64,
  inspectionsPerMonthMax: 200,
  infringementsPerInspectionMax: 200,
  /** A check or an access may be recorded at most this long after it happened. */
  recordDelayMsMax: 30 * DAY_MS,
  /** Longest range a query or an access may cover: a year, the benchmark's figure. */
  rangeMsMax: 366 * DAY_MS,
  /** Months a query reads (range plus context). */
  monthsPerQueryMax: 16,
  noteCharsMax: 500,
} as const;

export const CardStatus = { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED', WITHDRAWN: 'WITHDRAWN' } as const;
export type CardStatus = (typeof CardStatus)[keyof typeof CardStatus];
export const CARD_STATUSES = Object.values(CardStatus);

/** RDW's register entry for one driver card. No personal data: the driver is a salted hash. */
export interface CardRecord {
  readonly cardNumber: string;
  /** hex(SHA-256(salt ‖ JCS(driver))): the driver's data and salt are in RDW's private store. */
  readonly driverId: string;
  /** The card holder's Ed25519 public key (hex): drivers sign their REST tokens with it. */
  readonly driverKey: string | null;
  /** The transport company (mspId) the driver works for: the one that uploads the card's records. */
  readonly company: string;
  /** Valid from 00:00Z of validFrom to 24:00Z of validUntil (dates). */
  readonly validFrom: string;
  readonly validUntil: string;
  readonly status: CardStatus;
  readonly issuedAt: string;
  readonly updatedAt: string;
}

/** An upload as the indexes list it. */
export interface UploadRef {
  readonly uploadId: string;
  readonly uploader: string;
  /** hex(SHA-256(salt ‖ JCS(content))) of the canonical upload (docs/transport.md#uploads). */
  readonly hash: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly count: number;
}

export interface UploadRecord extends UploadRef {
  readonly cardNumber: string;
  readonly uploadedAt: string;
  /** The card's previous upload, or null for its first. */
  readonly previous: string | null;
}

export interface RecordsHead {
  readonly cardNumber: string;
  readonly latest: UploadRef;
  readonly uploads: number;
}

export interface UploadIndexBucket {
  readonly cardNumber: string;
  readonly month: Month;
  readonly uploads: readonly UploadRef[];
}

/** A finding as the chain keeps it: the engine's, without its message, causes as references. */
export interface StoredFinding {
  readonly rule: RuleId;
  readonly article: string;
  readonly kind: FindingKind;
  readonly severity: Severity | null;
  readonly annex: AnnexReference | null;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly figures: FindingFigures;
  readonly dueBy?: string;
  /** `[k, i]`: activity `i` of upload `basis.uploads[k]`; at most LIMITS.causesStoredMax. */
  readonly causes: readonly (readonly [number, number])[];
  readonly causesTotal: number;
}

export interface FindingsRecord {
  readonly cardNumber: string;
  readonly month: Month;
  /** The upload whose arrival recomputed the month. */
  readonly computedBy: string;
  /** What the engine ran over: the records from `from` to `to` in these uploads. */
  readonly basis: { readonly from: string; readonly to: string; readonly uploads: readonly string[] };
  readonly findings: readonly StoredFinding[];
  /** Findings beyond LIMITS.findingsPerMonthMax, counted only. */
  readonly overflow: number;
}

export const AccessPurpose = {
  ROADSIDE: 'ROADSIDE',
  COMPANY: 'COMPANY',
  INVESTIGATION: 'INVESTIGATION',
} as const;
export type AccessPurpose = (typeof AccessPurpose)[keyof typeof AccessPurpose];
export const ACCESS_PURPOSES = Object.values(AccessPurpose);

export const AccessVia = { NATS: 'NATS', REST: 'REST' } as const;
export type AccessVia = (typeof AccessVia)[keyof typeof AccessVia];

/** One inspector's access to a card's private records, as the driver reads it. */
export interface AccessEntry {
  /** Hash of the access request: the same access is logged once, whichever replica served it. */
  readonly accessId: string;
  readonly at: string;
  /** The inspecting organisation, and the officer (certificate serial, not a name). */
  readonly by: string;
  readonly officer: string;
  readonly purpose: AccessPurpose;
  readonly reference: string | null;
  /** The period asked for. */
  readonly from: string;
  readonly to: string;
  readonly uploads: readonly string[];
  /** The company whose store served it. */
  readonly servedBy: string;
  readonly via: AccessVia;
}

export interface AccessLogBucket {
  readonly cardNumber: string;
  readonly month: Month;
  readonly entries: readonly AccessEntry[];
  readonly overflow: number;
}

export const CheckKind = { ROADSIDE: 'ROADSIDE', COMPANY: 'COMPANY' } as const;
export type CheckKind = (typeof CheckKind)[keyof typeof CheckKind];
export const CHECK_KINDS = Object.values(CheckKind);

export const InfringementSource = { ENGINE: 'ENGINE', OFFICER: 'OFFICER' } as const;
export type InfringementSource = (typeof InfringementSource)[keyof typeof InfringementSource];

export interface Infringement {
  /** A RuleId of the engine, or the officer's own code (e.g. `CARD_NOT_INSERTED`). */
  readonly rule: string;
  readonly article: string;
  readonly severity: Severity | null;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly figures: FindingFigures;
  readonly source: InfringementSource;
  readonly note: string | null;
}

export interface InspectionRecord {
  readonly inspectionId: string;
  readonly cardNumber: string;
  /** The inspecting organisation: the transaction's creator, whose signature is on the envelope. */
  readonly inspector: string;
  readonly officer: string;
  readonly kind: CheckKind;
  readonly checkedAt: string;
  /** The period checked. */
  readonly from: string;
  readonly to: string;
  readonly reference: string | null;
  /** The uploads checked, with the hashes they matched: the evidence. */
  readonly uploads: readonly { readonly uploadId: string; readonly hash: string }[];
  readonly infringements: readonly Infringement[];
  readonly recordedAt: string;
}

export interface InspectionSummary {
  readonly inspectionId: string;
  readonly inspector: string;
  readonly kind: CheckKind;
  readonly checkedAt: string;
  readonly infringements: number;
}

export interface InspectionIndexBucket {
  readonly cardNumber: string;
  readonly month: Month;
  readonly inspections: readonly InspectionSummary[];
}

export const keys = {
  card: (card: string) => `card/${card}`,
  head: (card: string) => `records/${card}`,
  upload: (card: string, uploadId: string) => `upload/${card}/${uploadId}`,
  uploadIndex: (card: string, month: Month) => `uploads/${card}/${month}`,
  findings: (card: string, month: Month) => `findings/${card}/${month}`,
  access: (card: string, month: Month) => `access/${card}/${month}`,
  inspection: (id: string) => `inspection/${id}`,
  inspections: (card: string, month: Month) => `inspected/${card}/${month}`,
} as const;

/** Private store key of an upload's header (salt, content without activities, chunk count). */
export const privateKeys = {
  uploadHeader: (card: string, uploadId: string) => `${card}/${uploadId}`,
  uploadChunk: (card: string, uploadId: string, chunk: number) => `${card}/${uploadId}/${chunk}`,
  /** Keyed by the driverId too: a refused re-issue can never overwrite the data of the card's holder. */
  driver: (card: string, driverId: string) => `${card}/${driverId}`,
} as const;

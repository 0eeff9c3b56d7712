/**
 * The world state of the `parking` namespace (docs/parking.md#state). Keys are designed for
 * point lookups: a roadside check of a card reads `card/<n>` and `holder/<hid>`; of a plate,
 * `plate/<p>`, then the card and the holder. Every rule reads the keys it depends on by name, so
 * MVCC protects every decision. Records hold no personal data: holders appear as salted-hash ids.
 */
import type { CalendarDate } from './dates.js';
import type { Hex64 } from './privacy.js';

export const PARKING_NAMESPACE = 'parking';

export const keys = {
  holder: (hid: string) => `holder/${hid}`,
  card: (cardNumber: string) => `card/${cardNumber}`,
  plate: (plate: string) => `plate/${plate}`,
  assessment: (assessmentId: string) => `assessment/${assessmentId}`,
  /** One access-log bucket per holder and Dutch calendar month (`YYYY-MM`). */
  accessLog: (hid: string, month: string) => `log/${hid}/${month}`,
} as const;

/** Bounds on the lists in records: a holder's history cannot grow a record without limit. */
export const LIMITS = {
  /** Cards ever issued to one hid (new cards, renewals and duplicates): 5-year cards make 64 a lifetime. */
  cardsPerHolderMax: 64,
  assessmentsPerHolderMax: 64,
  placesPerHolderMax: 64,
  /** Checks recorded in one transaction: the service batches asynchronously, this bounds one batch. */
  checksPerBatchMax: 200,
  /** Entries kept per holder and month; more are counted in `overflow` (the events keep them all). */
  accessLogEntriesPerMonthMax: 500,
  /** Months the holder view reads back: ten years of access log. */
  accessLogMonthsMax: 120,
  /** How long after a check the service may still record it (a batch delayed by an outage). */
  checkRecordDelayMsMax: 7 * 86_400_000,
} as const;

/** Driver card (bestuurderskaart), passenger card (passagierskaart) or both in one (GPK-Combi). */
export const CardKind = { DRIVER: 'driver', PASSENGER: 'passenger', BOTH: 'both' } as const;
export type CardKind = (typeof CardKind)[keyof typeof CardKind];
export const CARD_KINDS: readonly CardKind[] = Object.values(CardKind);

export const HolderStatus = {
  ACTIVE: 'active',
  DECEASED: 'deceased',
  MOVED: 'moved',
  ERASED: 'erased',
} as const;
export type HolderStatus = (typeof HolderStatus)[keyof typeof HolderStatus];

export const CardStatus = {
  ACTIVE: 'active',
  SUPERSEDED: 'superseded',
  REVOKED: 'revoked',
  ENDED: 'ended',
} as const;
export type CardStatus = (typeof CardStatus)[keyof typeof CardStatus];

export const PlaceStatus = { ACTIVE: 'active', ENDED: 'ended' } as const;
export type PlaceStatus = (typeof PlaceStatus)[keyof typeof PlaceStatus];

/** Why a card stopped being the holder's card (recorded on the card). */
export const CardEndReason = {
  LOST: 'lost',
  STOLEN: 'stolen',
  DAMAGED: 'damaged',
  RENEWED: 'renewed',
  REVOKED: 'revoked',
  DECEASED: 'deceased',
  MOVED: 'moved',
  ERASED: 'erased',
} as const;
export type CardEndReason = (typeof CardEndReason)[keyof typeof CardEndReason];

/** `holder/<hid>`: written by the municipality of registration; the check compares generations. */
export interface HolderRecord {
  readonly hid: Hex64;
  /** mspId of the municipality where the person is registered (BRP); the only one that may issue. */
  readonly municipality: string;
  readonly status: HolderStatus;
  /**
   * Bumped by every card issued to this hid. A card is the holder's card only while its
   * generation equals this: a duplicate invalidates every earlier card at once, listed or not.
   */
  readonly generation: number;
  /** The card of the current generation (null before the first card and after it ended). */
  readonly currentCard: string | null;
  /** Every card number issued to this hid, oldest first (bounded by LIMITS). */
  readonly cards: readonly string[];
  /** Every assessment id recorded for this hid, oldest first. */
  readonly assessments: readonly string[];
  /** The plate of the active reserved place, if any. */
  readonly place: string | null;
  /** Every plate ever reserved for this hid, oldest first. */
  readonly places: readonly string[];
  readonly registeredOn: CalendarDate;
  /** When the record stopped being active (death, move, erasure), as reported. */
  readonly endedOn?: CalendarDate;
}

/** `card/<cardNumber>`. */
export interface CardRecord {
  readonly cardNumber: string;
  readonly hid: Hex64;
  readonly kind: CardKind;
  /** mspId of the issuing municipality. */
  readonly issuer: string;
  readonly assessmentId: string;
  readonly generation: number;
  readonly validFrom: CalendarDate;
  /** Last day of validity, inclusive (the "geldig tot" date printed on the card). */
  readonly validUntil: CalendarDate;
  readonly issuedAt: string;
  readonly status: CardStatus;
  /** The card this one replaced (duplicate or renewal). */
  readonly replaces?: string;
  readonly supersededBy?: string;
  readonly reason?: CardEndReason;
  /** Why the issuer revoked the card (status `revoked`). */
  readonly revocationGround?: RevocationGround;
  readonly endedAt?: string;
}

/** Grounds for revoking a card: closed lists, so that no free text (personal data) reaches the chain. */
export const RevocationGround = {
  FRAUD: 'fraud',
  MISUSE: 'misuse',
  ASSESSMENT_WITHDRAWN: 'assessment-withdrawn',
  RETURNED: 'returned',
  ISSUED_IN_ERROR: 'issued-in-error',
} as const;
export type RevocationGround = (typeof RevocationGround)[keyof typeof RevocationGround];

/** Why a duplicate replaces a card. */
export const DuplicateReason = { LOST: 'lost', STOLEN: 'stolen', DAMAGED: 'damaged' } as const;
export type DuplicateReason = (typeof DuplicateReason)[keyof typeof DuplicateReason];

/** Why a municipality ends a reserved place on request (other ends follow the card or the holder). */
export const PlaceEndReason = {
  HOLDER_REQUEST: 'holder-request',
  PLATE_CHANGED: 'plate-changed',
  ADDRESS_CHANGED: 'address-changed',
  NO_LONGER_NEEDED: 'no-longer-needed',
  MISUSE: 'misuse',
} as const;
export type PlaceEndReason = (typeof PlaceEndReason)[keyof typeof PlaceEndReason];

/** `plate/<plate>`: a reserved place (gehandicaptenparkeerplaats op kenteken). */
export interface PlaceRecord {
  readonly plate: string;
  readonly hid: Hex64;
  /** The holder's card the place depends on; moved to the new card by a duplicate or renewal. */
  readonly cardNumber: string;
  readonly municipality: string;
  /** Salted hash of `{plate, address}` with the holder's salt; the address is in the private store. */
  readonly addressHash: Hex64;
  /** The municipality decided that this passenger cannot be left alone (exception for passenger cards). */
  readonly passengerException: boolean;
  readonly validFrom: CalendarDate;
  readonly status: PlaceStatus;
  readonly endedAt?: string;
  readonly reason?: string;
}

export const AssessmentOutcome = { POSITIVE: 'positive', NEGATIVE: 'negative' } as const;
export type AssessmentOutcome = (typeof AssessmentOutcome)[keyof typeof AssessmentOutcome];

/** `assessment/<id>`: only the outcome; the details stay with the Assessor. */
export interface AssessmentRecord {
  readonly assessmentId: string;
  readonly hid: Hex64;
  readonly assessor: string;
  readonly outcome: AssessmentOutcome;
  /** For a positive outcome: which card kinds the criteria are met for. */
  readonly scope?: CardKind;
  readonly assessedOn: CalendarDate;
  /** For a positive outcome: until when the criteria are met (inclusive). */
  readonly validUntil?: CalendarDate;
  /** `privateDataHash(salt, details)` of the details in the Assessor's private store. */
  readonly detailsHash: Hex64;
  readonly recordedAt: string;
}

export const CheckStatus = { VALID: 'VALID', INVALID: 'INVALID', UNKNOWN: 'UNKNOWN' } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** One roadside check in a holder's access log. */
export interface AccessLogEntry {
  readonly checkedAt: string;
  /** mspId of the checking organisation. */
  readonly checker: string;
  /** Pseudonym of the officer (officerRef), resolvable only by the checking organisation. */
  readonly officerRef: Hex64;
  /** Coarse location: the four-digit postcode area (PC4). */
  readonly area: string;
  readonly via: 'card' | 'plate';
  /** The card number or plate that was checked. */
  readonly subject: string;
  readonly status: CheckStatus;
  readonly reason: string;
}

/** `log/<hid>/<YYYY-MM>`. */
export interface AccessLogBucket {
  readonly hid: Hex64;
  readonly month: string;
  readonly entries: readonly AccessLogEntry[];
  /** Entries beyond LIMITS.accessLogEntriesPerMonthMax, counted (they stay in the events). */
  readonly overflow: number;
}

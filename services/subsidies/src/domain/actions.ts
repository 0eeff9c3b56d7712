/**
 * The payload `action` of each subsidies transaction and the endorsement a grant needs. The
 * channel config gives each action its endorsement policy (docs/subsidies.md lists them).
 */
import type { SchemeRecord } from './records.js';

export const SubsidiesAction = {
  REGISTER_SCHEME: 'register-scheme',
  REGISTER_UNDERTAKING: 'register-undertaking',
  LINK_UNDERTAKINGS: 'link-undertakings',
  UNLINK_UNDERTAKINGS: 'unlink-undertakings',
  RECORD_MERGER: 'record-merger',
  RECORD_SPLIT: 'record-split',
  APPLY: 'apply',
  /** A grant at or under its scheme's endorsement threshold: the deciding authority alone. */
  GRANT: 'grant',
  /** A grant above the threshold: the deciding authority AND the scheme's co-endorser. */
  GRANT_ENDORSED: 'grant-endorsed',
  REFUSE: 'refuse',
  RECORD_PAYMENT: 'record-payment',
  RECORD_RECOVERY: 'record-recovery',
} as const;
export type SubsidiesAction = (typeof SubsidiesAction)[keyof typeof SubsidiesAction];

export interface EndorsementRequirement {
  readonly action: typeof SubsidiesAction.GRANT | typeof SubsidiesAction.GRANT_ENDORSED;
  /** The mspId whose endorser must sign, or null when the deciding authority alone suffices. */
  readonly coEndorser: string | null;
}

/** Which action a grant of `amountCents` under `scheme` is submitted with, and who must co-sign. */
export function requiredEndorsement(scheme: SchemeRecord, amountCents: number): EndorsementRequirement {
  if (scheme.endorsement !== null && amountCents > scheme.endorsement.thresholdCents) {
    return { action: SubsidiesAction.GRANT_ENDORSED, coEndorser: scheme.endorsement.coEndorser };
  }
  return { action: SubsidiesAction.GRANT, coEndorser: null };
}

/** The domain event type of each transaction (published as `.events.subsidies.<type>`). */
export const SubsidiesEvent = {
  SCHEME_REGISTERED: 'scheme.registered',
  UNDERTAKING_REGISTERED: 'undertaking.registered',
  UNDERTAKINGS_LINKED: 'undertakings.linked',
  UNDERTAKINGS_UNLINKED: 'undertakings.unlinked',
  MERGER_RECORDED: 'merger.recorded',
  SPLIT_RECORDED: 'split.recorded',
  APPLICATION_SUBMITTED: 'application.submitted',
  GRANT_DECIDED: 'grant.decided',
  GRANT_REFUSED: 'grant.refused',
  PAYMENT_RECORDED: 'payment.recorded',
  RECOVERY_RECORDED: 'recovery.recorded',
} as const;
export type SubsidiesEvent = (typeof SubsidiesEvent)[keyof typeof SubsidiesEvent];

/**
 * Which logic runs for each `subsidies` action, on the creator and on endorsers. Every action
 * runs its domain function; `grant-endorsed` runs, on the co-endorser, `endorseGrant`: the same
 * checks as `decideGrant` for the creator's organisation (`ctx.mspId`, as on every endorser),
 * plus "this endorser (`meta.endorserMspId`) is the scheme's named co-endorser" and "the action
 * is the one the amount needs".
 */
import type { EndorsementLogic, LogicOutcome, TxContext } from '@civic/gateway';
import {
  applyForGrant,
  decideGrant,
  endorseGrant,
  linkUndertakings,
  NAMESPACE,
  recordMerger,
  recordPayment,
  recordRecovery,
  recordSplit,
  refuseGrant,
  registerScheme,
  registerUndertaking,
  SubsidiesAction,
  unlinkUndertakings,
} from '../domain/index.js';

type DomainFunction = (ctx: TxContext, input: unknown) => Promise<LogicOutcome>;

/** The domain function of each action, as the creating authority runs it. */
export const CREATOR_LOGIC: Readonly<Record<Exclude<SubsidiesAction, 'grant-endorsed'>, DomainFunction>> = {
  [SubsidiesAction.REGISTER_SCHEME]: registerScheme,
  [SubsidiesAction.REGISTER_UNDERTAKING]: registerUndertaking,
  [SubsidiesAction.LINK_UNDERTAKINGS]: linkUndertakings,
  [SubsidiesAction.UNLINK_UNDERTAKINGS]: unlinkUndertakings,
  [SubsidiesAction.RECORD_MERGER]: recordMerger,
  [SubsidiesAction.RECORD_SPLIT]: recordSplit,
  [SubsidiesAction.APPLY]: applyForGrant,
  [SubsidiesAction.GRANT]: decideGrant,
  [SubsidiesAction.REFUSE]: refuseGrant,
  [SubsidiesAction.RECORD_PAYMENT]: recordPayment,
  [SubsidiesAction.RECORD_RECOVERY]: recordRecovery,
};

/** What `serveEndorsements` runs for a (namespace, action); undefined for anything else. */
export function subsidiesLogicFor(namespace: string, action: string): EndorsementLogic | undefined {
  if (namespace !== NAMESPACE) return undefined;
  if (action === SubsidiesAction.GRANT_ENDORSED) return endorseGrant;
  const logic = (CREATOR_LOGIC as Record<string, DomainFunction | undefined>)[action];
  return logic === undefined ? undefined : (ctx, input) => logic(ctx, input);
}

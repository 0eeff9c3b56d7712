/**
 * The endorser's side of a grant above its scheme's threshold. The second authority's service
 * re-runs the same checks (prepareGrant) on its own peer's state and signs only when they pass, so
 * creators and endorsers decide with one code path. Its TxContext records the reads and writes it
 * produced; the endorser signs only when they equal the proposal's (the gateway compares them).
 */
import type { TxContext } from '@civic/gateway';
import { requiredEndorsement } from './actions.js';
import {
  type DecideGrantInput,
  type GrantDecision,
  parseDecideGrantInput,
  prepareGrant,
  schemeNotFound,
  writeGrant,
} from './grants.js';
import { keys } from './keys.js';
import type { SchemeRecord } from './records.js';
import * as v from './validate.js';
import { type Outcome, RuleCode, refuse } from './violations.js';

/** What the endorser is asked to sign: the creator's organisation, its action and its input. */
export interface GrantProposal {
  /** mspId of the authority that decided (the transaction's creator). */
  readonly creatorMspId: string;
  /** The payload action (`grant-endorsed`). */
  readonly action: string;
  readonly input: DecideGrantInput;
}

export function parseGrantProposal(raw: unknown): GrantProposal {
  const proposal = v.object(raw, 'proposal');
  return {
    creatorMspId: v.mspId(proposal.creatorMspId, 'proposal.creatorMspId'),
    action: v.text(proposal.action, 'proposal.action', 64),
    input: parseDecideGrantInput(proposal.input),
  };
}

/**
 * Checks a proposed grant on the endorser's own state (`ctx.mspId` is the endorsing authority,
 * `ctx.txTime` the proposal's time). Returns the same refusal decideGrant would, or the decision
 * with its writes made on `ctx`.
 */
export async function endorseGrant(ctx: TxContext, raw: unknown): Promise<Outcome<GrantDecision>> {
  const proposal = parseGrantProposal(raw);
  const txTime = v.rfc3339(ctx.txTime, 'ctx.txTime');
  const scheme = await ctx.get<SchemeRecord>(keys.scheme(proposal.input.schemeId));
  if (scheme === undefined) return schemeNotFound(proposal.input.schemeId);
  const coEndorser = scheme.endorsement?.coEndorser ?? null;
  if (coEndorser !== ctx.mspId) {
    return refuse(
      RuleCode.NOT_CO_ENDORSER,
      `scheme ${scheme.id} names ${coEndorser ?? 'no'} co-endorser; ${ctx.mspId} does not endorse its grants`,
      { expectedMspId: coEndorser ?? '', actualMspId: ctx.mspId },
    );
  }
  const expected = requiredEndorsement(scheme, proposal.input.amountCents).action;
  if (proposal.action !== expected) {
    return refuse(
      RuleCode.WRONG_ACTION,
      `a grant of this amount under ${scheme.id} is submitted as ${expected}`,
      {
        expectedAction: expected,
        actualAction: proposal.action,
      },
    );
  }
  const decision = await prepareGrant(ctx, proposal.input, proposal.creatorMspId, txTime);
  if (decision.ok) writeGrant(ctx, decision.value);
  return decision;
}

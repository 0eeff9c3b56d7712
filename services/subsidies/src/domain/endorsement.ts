/**
 * The endorser's side of a grant above its scheme's threshold. The second authority's service
 * re-runs the same checks (prepareGrant) on its own peer's state and signs only when they pass, so
 * creators and endorsers decide with one code path. Its TxContext records the reads and writes it
 * produced; the endorser signs only when they equal the proposal's (the gateway compares them).
 */
import type { EndorsementMeta, TxContext } from '@civic/gateway';
import { requiredEndorsement } from './actions.js';
import {
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

/** Who is asked to sign, and under which payload action (the gateway's EndorsementMeta). */
export type GrantEndorser = Pick<EndorsementMeta, 'endorserMspId' | 'action'>;

/**
 * Checks a proposed grant on the endorser's own state. As everywhere, `ctx.mspId` is the
 * transaction's creator (the deciding authority) and `ctx.txTime` the proposal's time; `raw` is
 * the creator's decideGrant input; `endorser` names the authority asked to sign and the action.
 * Returns the same refusal decideGrant would, or the decision with its writes made on `ctx`.
 */
export async function endorseGrant(
  ctx: TxContext,
  raw: unknown,
  endorser: GrantEndorser,
): Promise<Outcome<GrantDecision>> {
  const input = parseDecideGrantInput(raw);
  const endorserMspId = v.mspId(endorser.endorserMspId, 'endorser.endorserMspId');
  const action = v.text(endorser.action, 'endorser.action', 64);
  const txTime = v.rfc3339(ctx.txTime, 'ctx.txTime');
  const scheme = await ctx.get<SchemeRecord>(keys.scheme(input.schemeId));
  if (scheme === undefined) return schemeNotFound(input.schemeId);
  const coEndorser = scheme.endorsement?.coEndorser ?? null;
  if (coEndorser !== endorserMspId) {
    return refuse(
      RuleCode.NOT_CO_ENDORSER,
      `scheme ${scheme.id} names ${coEndorser ?? 'no'} co-endorser; ${endorserMspId} does not endorse its grants`,
      { expectedMspId: coEndorser ?? '', actualMspId: endorserMspId },
    );
  }
  const expected = requiredEndorsement(scheme, input.amountCents).action;
  if (action !== expected) {
    return refuse(
      RuleCode.WRONG_ACTION,
      `a grant of this amount under ${scheme.id} is submitted as ${expected}`,
      {
        expectedAction: expected,
        actualAction: action,
      },
    );
  }
  const decision = await prepareGrant(ctx, input, ctx.mspId, txTime);
  if (decision.ok) writeGrant(ctx, decision.value);
  return decision;
}

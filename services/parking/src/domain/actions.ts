/**
 * The actions of the `parking` namespace: the transaction function behind each action name, the
 * event it emits, and the endorsement policy network init must configure for it
 * (docs/parking.md#endorsement). A service builds a transaction by running the action's function
 * against its TxContext; an endorser runs the same function on the same input against its own
 * peer's state and signs only when both produce the same writes and event.
 */
import type { TxContext } from '@civic/gateway';
import { ParkingRuleViolation, show } from './errors.js';
import { recordAssessment } from './tx/assessment.js';
import { issueCard, issueDuplicate, revokeCard } from './tx/card.js';
import { recordChecks } from './tx/checks.js';
import { recordErasure, recordMove, registerHolder, reportDeath } from './tx/holder.js';
import { assignReservedPlace, endReservedPlace } from './tx/place.js';

const MUNICIPALITY = "OR('Utrecht.client', 'Amsterdam.client')";
/** The issuing municipality and the independent assessor, who re-runs the card rules on its own state. */
const MUNICIPALITY_AND_ASSESSOR =
  "OR(AND('Utrecht.client', 'Assessor.client'), AND('Amsterdam.client', 'Assessor.client'))";

/**
 * Per action: its function, its event type, and its endorsement policy. The policy names who
 * must sign; the function decides whether the rules allow it. Where an independent
 * re-execution matters (a card must rest on the Assessor's positive assessment), the policy asks
 * for the other party's endorsement too.
 */
export const PARKING_ACTIONS = {
  'holder.register': { run: registerHolder, event: 'holder.registered', policy: MUNICIPALITY },
  'holder.death': { run: reportDeath, event: 'holder.deceased', policy: MUNICIPALITY },
  'holder.move': { run: recordMove, event: 'holder.moved', policy: MUNICIPALITY },
  'holder.erase': { run: recordErasure, event: 'holder.erased', policy: MUNICIPALITY },
  'assessment.record': { run: recordAssessment, event: 'assessment.recorded', policy: "'Assessor.client'" },
  // Every action that makes a valid card needs the Assessor: a card must rest on its assessment.
  'card.issue': { run: issueCard, event: 'card.issued', policy: MUNICIPALITY_AND_ASSESSOR },
  'card.duplicate': { run: issueDuplicate, event: 'card.duplicated', policy: MUNICIPALITY_AND_ASSESSOR },
  'card.revoke': { run: revokeCard, event: 'card.revoked', policy: MUNICIPALITY },
  'place.assign': { run: assignReservedPlace, event: 'place.assigned', policy: MUNICIPALITY },
  'place.end': { run: endReservedPlace, event: 'place.ended', policy: MUNICIPALITY },
  'check.record': {
    run: recordChecks,
    event: 'checks.recorded',
    policy: "OR('Police.client', 'Utrecht.client', 'Amsterdam.client')",
  },
} as const;

export type ParkingAction = keyof typeof PARKING_ACTIONS;
export const PARKING_ACTION_NAMES = Object.keys(PARKING_ACTIONS) as ParkingAction[];

/** The `writers` policy of the namespace: every organisation that creates parking transactions. */
export const PARKING_WRITERS_POLICY =
  "OR('Utrecht.member', 'Amsterdam.member', 'Assessor.member', 'Police.member')";

export function isParkingAction(action: unknown): action is ParkingAction {
  return typeof action === 'string' && Object.hasOwn(PARKING_ACTIONS, action);
}

/** Runs `action` with `input` against `ctx`: the single entry point for creators and endorsers. */
export async function runParkingAction(ctx: TxContext, action: string, input: unknown): Promise<unknown> {
  if (!isParkingAction(action)) {
    throw new ParkingRuleViolation('VALUE_INVALID', `unknown parking action ${show(action)}`);
  }
  const run = PARKING_ACTIONS[action].run as (ctx: TxContext, input: unknown) => Promise<unknown>;
  return run(ctx, input);
}

/**
 * The `parking` namespace as network init should configure it (the shape of
 * `NamespaceConfig` in @civic/identity): writers, one endorsement policy per action, and the
 * municipalities as the default for actions added later.
 */
export const PARKING_NAMESPACE_CONFIG = {
  writers: PARKING_WRITERS_POLICY,
  endorsement: Object.fromEntries(
    PARKING_ACTION_NAMES.map((action) => [action, PARKING_ACTIONS[action].policy]),
  ),
  defaultEndorsement: MUNICIPALITY,
} as const;

/**
 * The actions of the `transport` namespace: the transaction function behind each action name and
 * the event it emits. Services build a transaction by running the action's logic on their
 * TxContext; an endorser asked by a policy runs the same logic on its own peer's state.
 * Endorsement policies live in the channel config (libs/identity's dev network, `transport`).
 */
import type { TxContext, TxLogic } from '@civic/gateway';
import { namespaceLogicFor, violationLogic, type RuleViolationJson } from '@civic/service-kit/rules';
import { TransportRuleViolation, show, type RuleCode } from './errors.js';
import { TRANSPORT_NAMESPACE } from './records.js';
import { recordAccess } from './tx/access.js';
import { issueCard, updateCard } from './tx/cards.js';
import { recordCheck } from './tx/inspection.js';
import { uploadRecords } from './tx/upload.js';

export const TRANSPORT_ACTIONS = {
  'card.issue': { run: issueCard, event: 'card.issued' },
  'card.update': { run: updateCard, event: 'card.updated' },
  'records.upload': { run: uploadRecords, event: 'records.uploaded' },
  'check.record': { run: recordCheck, event: 'check.recorded' },
  'access.record': { run: recordAccess, event: 'access.recorded' },
} as const;

export type TransportAction = keyof typeof TRANSPORT_ACTIONS;

export function isTransportAction(action: unknown): action is TransportAction {
  return typeof action === 'string' && Object.hasOwn(TRANSPORT_ACTIONS, action);
}

/** Runs `action` with `input`: throws TransportRuleViolation on a refusal. */
export async function runTransportAction(ctx: TxContext, action: string, input: unknown): Promise<unknown> {
  if (!isTransportAction(action)) {
    throw new TransportRuleViolation('VALUE_INVALID', `unknown transport action ${show(action)}`);
  }
  const run = TRANSPORT_ACTIONS[action].run as (ctx: TxContext, input: unknown) => Promise<unknown>;
  return run(ctx, input);
}

/** The gateway's logic for `action`: a refusal becomes the violation (its JSON), anything else throws. */
export function transportLogic<I, T>(action: TransportAction): TxLogic<I, T, RuleViolationJson<RuleCode>> {
  return violationLogic((ctx, input) => runTransportAction(ctx, action, input));
}

/** What this service's endorser runs when a policy names its organisation. */
export const transportLogicFor = namespaceLogicFor(TRANSPORT_NAMESPACE, isTransportAction, transportLogic);

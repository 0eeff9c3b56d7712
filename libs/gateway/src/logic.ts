/**
 * The shape of a transaction's logic as the gateway runs it: a pure async function of a
 * TxContext and an input that either accepts (its writes and event are on the context) or
 * refuses with a violation (a business rule, with its figures), writing nothing.
 */
import type { TxContext } from './tx-context.js';

export type LogicOutcome<T = unknown, V = unknown> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly violation: V };

export type TxLogic<I = unknown, T = unknown, V = unknown> = (
  ctx: TxContext,
  input: I,
) => Promise<LogicOutcome<T, V>>;

/** What an endorser's logic is told besides the context (whose mspId is the CREATOR's). */
export interface EndorsementMeta {
  /** The organisation this endorser signs for. */
  readonly endorserMspId: string;
  readonly namespace: string;
  readonly action: string;
}

/**
 * The logic an endorser runs for one (namespace, action). Usually the creator's own logic; it may
 * add checks that only the endorser makes (e.g. "I am the co-endorser this scheme names").
 */
export type EndorsementLogic = (
  ctx: TxContext,
  input: unknown,
  meta: EndorsementMeta,
) => Promise<LogicOutcome>;

/** The code of a violation: its `rule` or `code` when it has one. */
export function violationCode(violation: unknown, fallback: string): string {
  if (violation !== null && typeof violation === 'object') {
    const { rule, code } = violation as { rule?: unknown; code?: unknown };
    if (typeof rule === 'string' && rule.length > 0) return rule;
    if (typeof code === 'string' && code.length > 0) return code;
  }
  return fallback;
}

/** The human message of a violation: its `message`, else its JSON. */
export function violationMessage(violation: unknown): string {
  if (violation !== null && typeof violation === 'object') {
    const { message } = violation as { message?: unknown };
    if (typeof message === 'string') return message;
  }
  try {
    return JSON.stringify(violation) ?? String(violation);
  } catch {
    return String(violation);
  }
}

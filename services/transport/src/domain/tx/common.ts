/**
 * Helpers shared by the transaction functions: who is acting, loading the records a rule depends
 * on (each key read once: a transaction's read set names each key once), and the bounded
 * appends of per-month buckets.
 *
 * `ctx.mspId` is the organisation that CREATES the transaction; endorsers re-running a function
 * see the creator's mspId too, so the same rules give the same answer everywhere.
 */
import type { TxContext } from '@civic/gateway';
import { parseRfc3339Utc } from '../../rules/time.js';
import { invariant, refuseUnless, TransportRuleViolation, type RuleCode } from '../errors.js';
import { orgKindOf, type OrgKind } from '../organisations.js';
import { keys, type CardRecord } from '../records.js';

/** Refuses unless the creator is of `kind`. */
export function requireKind(ctx: TxContext, kind: OrgKind, rule: RuleCode, action: string): void {
  refuseUnless(
    orgKindOf(ctx.mspId) === kind,
    rule,
    () => `${ctx.mspId} is not a ${kind} and may not ${action}`,
  );
}

/** Point reads of one transaction, each key read once and remembered. */
export class Reads {
  readonly #seen = new Map<string, unknown>();

  constructor(private readonly ctx: TxContext) {}

  async get<T>(key: string): Promise<T | undefined> {
    if (this.#seen.has(key)) return this.#seen.get(key) as T | undefined;
    const value = await this.ctx.get<T>(key);
    this.#seen.set(key, value);
    return value;
  }
}

/** The card's register entry, or `rule` (CARD_UNKNOWN for uploads: 400; CARD_NOT_FOUND: 404). */
export async function loadCard(
  reads: Reads,
  cardNumber: string,
  rule: 'CARD_UNKNOWN' | 'CARD_NOT_FOUND',
): Promise<CardRecord> {
  const card = await reads.get<CardRecord>(keys.card(cardNumber));
  if (card === undefined) {
    throw new TransportRuleViolation(rule, `no driver card ${cardNumber} is in RDW's register`, {
      field: 'cardNumber',
    });
  }
  invariant(card.cardNumber === cardNumber, () => `card/${cardNumber} holds ${card.cardNumber}`);
  return card;
}

/** The transaction's time in epoch ms. */
export function txMs(ctx: TxContext): number {
  const value = parseRfc3339Utc(ctx.txTime);
  invariant(value !== null, () => `txTime ${ctx.txTime} is not RFC 3339 UTC`);
  return value;
}

/** Refuses a time after the transaction or more than `maxAgeMs` before it. */
export function requireRecent(atMs: number, nowMs: number, maxAgeMs: number, field: string): void {
  refuseUnless(
    atMs <= nowMs && nowMs - atMs <= maxAgeMs,
    'TIME_OUT_OF_RANGE',
    () => `${field} must be before the transaction and at most ${maxAgeMs / 86_400_000} days old`,
    () => ({ field }),
  );
}

/** `list` plus `items`, or LIMIT_REACHED naming what is full. */
export function appendBounded<T>(list: readonly T[], items: readonly T[], max: number, what: string): T[] {
  refuseUnless(
    list.length + items.length <= max,
    'LIMIT_REACHED',
    () => `${what} holds at most ${max} entries`,
  );
  return [...list, ...items];
}

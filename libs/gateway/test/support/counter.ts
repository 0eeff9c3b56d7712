/** A toy transaction logic for the gateway's tests: a bounded counter per key. */
import type { LogicOutcome, TxContext } from '../../src/index.js';

export interface AddInput {
  readonly key: string;
  readonly amount: number;
  readonly limit: number;
}

export interface CounterViolation {
  readonly rule: 'LIMIT';
  readonly message: string;
  readonly figures: {
    readonly limit: number;
    readonly used: number;
    readonly requested: number;
    readonly left: number;
  };
}

export const NAMESPACE = 'subsidies';

export async function add(
  ctx: TxContext,
  input: AddInput,
): Promise<LogicOutcome<{ total: number }, CounterViolation>> {
  if (typeof input?.key !== 'string' || !Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new TypeError('input {key, amount > 0, limit} expected');
  }
  const used = (await ctx.get<number>(`counter/${input.key}`)) ?? 0;
  if (used + input.amount > input.limit) {
    return {
      ok: false,
      violation: {
        rule: 'LIMIT',
        message: `limit ${input.limit} would be exceeded: ${used} used, ${input.amount} requested, ${input.limit - used} left`,
        figures: { limit: input.limit, used, requested: input.amount, left: input.limit - used },
      },
    };
  }
  const total = used + input.amount;
  ctx.put(`counter/${input.key}`, total);
  ctx.emit('counter.added', { key: input.key, amount: input.amount, total, by: ctx.mspId });
  return { ok: true, value: { total } };
}

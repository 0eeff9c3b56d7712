/**
 * recordPayment and recordRecovery, by the granting authority.
 *
 * Payment dates do not matter for the ceiling (Art. 3(3): aid is granted when the legal right is
 * conferred, irrespective of the date of payment), so a payment writes only the grant record and
 * never conflicts with decisions.
 *
 * A recovery takes back money paid. Whether it frees ceiling room depends on what happens to the
 * legal right (docs/subsidies.md): when the grant decision itself is withdrawn for the amount
 * (`rightWithdrawn`, e.g. a lower final determination or a revocation), that part of the right was
 * never kept, so it no longer counts against the ceiling, the scheme's budget or the applicant's
 * maximum. When the right stands (e.g. a set-off or a voluntary repayment), the aid stays granted
 * and keeps counting.
 */
import type { TxContext } from '@civic/gateway';
import { SubsidiesEvent } from './actions.js';
import { dateOf } from './dates.js';
import { keys } from './keys.js';
import { MAX_PAYMENTS_PER_GRANT, MAX_TEXT_LENGTH } from './limits.js';
import type { AidEntry, AidRegister, GrantRecord, SchemeRecord } from './records.js';
import * as v from './validate.js';
import {
  type Outcome,
  RuleCode,
  type RuleViolation,
  accept,
  euros,
  refuse,
  refuseWith,
} from './violations.js';

export interface RecordPaymentInput {
  readonly grantId: string;
  readonly amountCents: number;
}

export interface RecordRecoveryInput {
  readonly grantId: string;
  readonly amountCents: number;
  /** True when the grant decision is withdrawn for this amount (frees ceiling room and budget). */
  readonly rightWithdrawn: boolean;
  readonly reason: string;
}

export function parseRecordPaymentInput(raw: unknown): RecordPaymentInput {
  const input = v.object(raw, 'input');
  return {
    grantId: v.grantId(input.grantId, 'input.grantId'),
    amountCents: v.amountCents(input.amountCents, 'input.amountCents'),
  };
}

export function parseRecordRecoveryInput(raw: unknown): RecordRecoveryInput {
  const input = v.object(raw, 'input');
  return {
    grantId: v.grantId(input.grantId, 'input.grantId'),
    amountCents: v.amountCents(input.amountCents, 'input.amountCents'),
    rightWithdrawn: v.boolean(input.rightWithdrawn, 'input.rightWithdrawn'),
    reason: v.text(input.reason, 'input.reason', MAX_TEXT_LENGTH),
  };
}

export async function recordPayment(ctx: TxContext, raw: unknown): Promise<Outcome<GrantRecord>> {
  const input = parseRecordPaymentInput(raw);
  const date = dateOf(v.rfc3339(ctx.txTime, 'ctx.txTime'));
  const found = await readOwnGrant(ctx, input.grantId);
  if (!found.ok) return found;
  const grant = found.value;
  if (grant.paidCents + input.amountCents > grant.grantedCents) {
    const leftCents = grant.grantedCents - grant.paidCents;
    return refuse(
      RuleCode.PAYMENT_EXCEEDS_GRANT,
      `${euros(input.amountCents)} would bring payments on ${grant.id} above the ${euros(grant.grantedCents)} granted (${euros(leftCents)} left to pay)`,
      {
        limitCents: grant.grantedCents,
        usedCents: grant.paidCents,
        leftCents,
        requestedCents: input.amountCents,
      },
    );
  }
  const full = checkListRoom(grant);
  if (full) return refuseWith(full);
  const paid: GrantRecord = {
    ...grant,
    paidCents: grant.paidCents + input.amountCents,
    payments: [...grant.payments, { date, amountCents: input.amountCents }],
  };
  ctx.put(keys.grant(grant.id), paid);
  ctx.emit(SubsidiesEvent.PAYMENT_RECORDED, {
    grantId: grant.id,
    kvk: grant.kvk,
    amountCents: input.amountCents,
    date,
    paidCents: paid.paidCents,
  });
  return accept(paid);
}

export async function recordRecovery(ctx: TxContext, raw: unknown): Promise<Outcome<GrantRecord>> {
  const input = parseRecordRecoveryInput(raw);
  const date = dateOf(v.rfc3339(ctx.txTime, 'ctx.txTime'));
  const found = await readOwnGrant(ctx, input.grantId);
  if (!found.ok) return found;
  const grant = found.value;
  const outstandingCents = grant.paidCents - grant.recoveredCents;
  if (input.amountCents > outstandingCents) {
    return refuse(
      RuleCode.RECOVERY_EXCEEDS_PAID,
      `${euros(input.amountCents)} exceeds the ${euros(outstandingCents)} paid on ${grant.id} and not yet recovered`,
      {
        limitCents: grant.paidCents,
        usedCents: grant.recoveredCents,
        leftCents: outstandingCents,
        requestedCents: input.amountCents,
      },
    );
  }
  const full = checkListRoom(grant);
  if (full) return refuseWith(full);
  const withdrawnCents = input.rightWithdrawn ? input.amountCents : 0;
  const recovered: GrantRecord = {
    ...grant,
    recoveredCents: grant.recoveredCents + input.amountCents,
    withdrawnCents: grant.withdrawnCents + withdrawnCents,
    recoveries: [
      ...grant.recoveries,
      { date, amountCents: input.amountCents, rightWithdrawn: input.rightWithdrawn, reason: input.reason },
    ],
  };
  if (input.rightWithdrawn) {
    const refused = await withdrawRight(ctx, grant, withdrawnCents);
    if (refused) return refuseWith(refused);
  }
  ctx.put(keys.grant(grant.id), recovered);
  ctx.emit(SubsidiesEvent.RECOVERY_RECORDED, {
    grantId: grant.id,
    kvk: grant.kvk,
    amountCents: input.amountCents,
    rightWithdrawn: input.rightWithdrawn,
    date,
  });
  return accept(recovered);
}

/**
 * Lowers the counted amount in the aid register and the scheme's budget use. Refused after a split
 * (Art. 3(9)) moved the grant's aid to the successors' registers: which successor's share the
 * withdrawal lowers is a legal question this code does not answer.
 */
async function withdrawRight(
  ctx: TxContext,
  grant: GrantRecord,
  amountCents: number,
): Promise<RuleViolation | null> {
  const scheme = await ctx.get<SchemeRecord>(keys.scheme(grant.schemeId));
  const register = await ctx.get<AidRegister>(keys.aidRegister(grant.kvk));
  // Both exist whenever the grant does: decideGrant writes all three in one transaction.
  if (scheme === undefined || register === undefined) {
    throw new Error(`state invariant broken: grant ${grant.id} without its scheme or aid register`);
  }
  const own = (entry: AidEntry) => entry.grantId === grant.id && entry.splitFrom === undefined;
  if (!register.entries.some(own)) {
    return {
      rule: RuleCode.UNDERTAKING_CEASED,
      article: 'Regulation (EU) 2023/2831 Art. 3(9)',
      message: `the aid of ${grant.id} was allocated to the successors of ${grant.kvk} in a split; its right cannot be withdrawn here`,
      figures: { key: keys.aidRegister(grant.kvk) },
    };
  }
  ctx.put(keys.scheme(scheme.id), { ...scheme, grantedCents: scheme.grantedCents - amountCents });
  ctx.put(keys.aidRegister(register.kvk), {
    ...register,
    entries: register.entries.map((entry) =>
      own(entry) ? { ...entry, withdrawnCents: entry.withdrawnCents + amountCents } : entry,
    ),
  });
  return null;
}

async function readOwnGrant(ctx: TxContext, id: string): Promise<Outcome<GrantRecord>> {
  const grant = await ctx.get<GrantRecord>(keys.grant(id));
  if (grant === undefined) {
    return refuse(RuleCode.GRANT_NOT_FOUND, `grant ${id} does not exist`, { key: keys.grant(id) });
  }
  if (grant.authority !== ctx.mspId) {
    return refuse(
      RuleCode.NOT_SCHEME_OWNER,
      `grant ${id} was made by ${grant.authority}; ${ctx.mspId} cannot pay or recover it`,
      {
        expectedMspId: grant.authority,
        actualMspId: ctx.mspId,
      },
    );
  }
  return accept(grant);
}

function checkListRoom(grant: GrantRecord): RuleViolation | null {
  if (grant.payments.length + grant.recoveries.length < MAX_PAYMENTS_PER_GRANT) return null;
  return {
    rule: RuleCode.LIMIT_EXCEEDED,
    article: null,
    message: `grant ${grant.id} holds ${MAX_PAYMENTS_PER_GRANT} payments and recoveries`,
    figures: { bound: 'MAX_PAYMENTS_PER_GRANT', limit: MAX_PAYMENTS_PER_GRANT },
  };
}

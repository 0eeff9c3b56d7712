/**
 * The scheme's own terms, as pure checks over plain data. Each returns null when the grant
 * passes, or the refusal with its figures.
 */
import type { AidRegister, SchemeRecord } from './records.js';
import { BASIS_POINTS_100_PERCENT } from './validate.js';
import { RuleCode, type RuleViolation, euros } from './violations.js';

export function checkSchemeOwner(scheme: SchemeRecord, mspId: string): RuleViolation | null {
  if (scheme.authority === mspId) return null;
  return {
    rule: RuleCode.NOT_SCHEME_OWNER,
    article: null,
    message: `scheme ${scheme.id} belongs to ${scheme.authority}; ${mspId} cannot act under it`,
    figures: { expectedMspId: scheme.authority, actualMspId: mspId },
  };
}

export function checkMaxPerGrant(scheme: SchemeRecord, amountCents: number): RuleViolation | null {
  if (amountCents <= scheme.maxPerGrantCents) return null;
  return {
    rule: RuleCode.MAX_PER_GRANT,
    article: null,
    message: `${euros(amountCents)} requested exceeds the maximum per grant of scheme ${scheme.id}, ${euros(scheme.maxPerGrantCents)}`,
    figures: { limitCents: scheme.maxPerGrantCents, requestedCents: amountCents },
  };
}

/** The most the scheme pays for an eligible cost: its share, rounded down to the cent. */
export function maxByShareCents(eligibleCostCents: number, shareBasisPoints: number): number {
  // BigInt: cost × basis points can pass 2^53 before the division brings it back.
  return Number((BigInt(eligibleCostCents) * BigInt(shareBasisPoints)) / BigInt(BASIS_POINTS_100_PERCENT));
}

export function checkShareOfCost(
  scheme: SchemeRecord,
  amountCents: number,
  eligibleCostCents: number,
): RuleViolation | null {
  const maxAllowedCents = maxByShareCents(eligibleCostCents, scheme.shareBasisPoints);
  if (amountCents <= maxAllowedCents) return null;
  const percent = (scheme.shareBasisPoints / 100).toFixed(2);
  return {
    rule: RuleCode.SHARE_OF_COST,
    article: null,
    message:
      `${euros(amountCents)} requested exceeds ${percent} % of the eligible cost ${euros(eligibleCostCents)}, ` +
      `at most ${euros(maxAllowedCents)} under scheme ${scheme.id}`,
    figures: {
      requestedCents: amountCents,
      eligibleCostCents,
      shareBasisPoints: scheme.shareBasisPoints,
      maxAllowedCents,
    },
  };
}

/** Net granted (granted minus withdrawn) to the register's undertaking under one scheme. */
export function grantedUnderScheme(register: AidRegister, schemeId: string): number {
  let total = 0;
  for (const entry of register.entries) {
    if (entry.schemeId === schemeId) total += entry.grantedCents - entry.withdrawnCents;
  }
  return total;
}

export function checkMaxPerApplicant(
  scheme: SchemeRecord,
  amountCents: number,
  applicantRegister: AidRegister,
): RuleViolation | null {
  const usedCents = grantedUnderScheme(applicantRegister, scheme.id);
  if (usedCents + amountCents <= scheme.maxPerApplicantCents) return null;
  const leftCents = Math.max(0, scheme.maxPerApplicantCents - usedCents);
  return {
    rule: RuleCode.MAX_PER_APPLICANT,
    article: null,
    message:
      `${applicantRegister.kvk} already has ${euros(usedCents)} under scheme ${scheme.id}; with ${euros(amountCents)} ` +
      `it would exceed the maximum per applicant ${euros(scheme.maxPerApplicantCents)} (${euros(leftCents)} left)`,
    figures: { limitCents: scheme.maxPerApplicantCents, usedCents, leftCents, requestedCents: amountCents },
  };
}

export function checkBudget(scheme: SchemeRecord, amountCents: number): RuleViolation | null {
  if (scheme.grantedCents + amountCents <= scheme.budgetCents) return null;
  const leftCents = scheme.budgetCents - scheme.grantedCents;
  return {
    rule: RuleCode.SCHEME_BUDGET,
    article: null,
    message:
      `scheme ${scheme.id} has ${euros(leftCents)} of its budget ${euros(scheme.budgetCents)} left; ` +
      `${euros(amountCents)} requested`,
    figures: {
      limitCents: scheme.budgetCents,
      usedCents: scheme.grantedCents,
      leftCents,
      requestedCents: amountCents,
    },
  };
}

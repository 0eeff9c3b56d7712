/**
 * `assessment.record`: the independent medical assessor records the outcome of an examination.
 * Only the outcome, the card kinds it covers, how long it holds, and a salted hash of the
 * details go on the chain (docs/parking.md#assessments).
 */
import type { TxContext } from '@civic/gateway';
import type { RecordAssessmentInput } from '../criteria.js';
import { LONG_TERM_MONTHS_MIN } from '../criteria.js';
import { addMonths, parseDate } from '../dates.js';
import { ParkingRuleViolation, show } from '../errors.js';
import { inputObject, parseAssessmentId, parseCardKind, parseEnum } from '../input.js';
import { INDEPENDENT_ASSESSOR } from '../organisations.js';
import { PrivateCollection } from '../private-store.js';
import { parseHex64 } from '../privacy.js';
import { AssessmentOutcome, keys, LIMITS, type AssessmentRecord, type HolderRecord } from '../records.js';
import { appendBounded, loadHolder, requireActive, txDay } from './common.js';

export type { RecordAssessmentInput } from '../criteria.js';

export async function recordAssessment(
  ctx: TxContext,
  input: RecordAssessmentInput,
): Promise<AssessmentRecord> {
  const fields = inputObject(input, 'assessment.record');
  if (ctx.mspId !== INDEPENDENT_ASSESSOR) {
    throw new ParkingRuleViolation(
      'NOT_INDEPENDENT_ASSESSOR',
      `${ctx.mspId} is not the independent assessor: only ${INDEPENDENT_ASSESSOR} may record medical assessments`,
    );
  }
  const assessment = parseAssessment(ctx, fields);
  const holder = await loadHolder(ctx, assessment.hid);
  requireActive(holder, 'record an assessment');
  const existing = await ctx.get<AssessmentRecord>(keys.assessment(assessment.assessmentId));
  if (existing !== undefined) {
    throw new ParkingRuleViolation(
      'ASSESSMENT_EXISTS',
      `assessment ${assessment.assessmentId} is already recorded`,
    );
  }
  const assessments = appendBounded(
    holder.assessments,
    assessment.assessmentId,
    LIMITS.assessmentsPerHolderMax,
    'assessments',
  );
  ctx.put(keys.assessment(assessment.assessmentId), assessment);
  ctx.put(keys.holder(holder.hid), { ...holder, assessments } satisfies HolderRecord);
  ctx.addPrivateHash(PrivateCollection.ASSESSMENT_DETAILS, assessment.assessmentId, assessment.detailsHash);
  const { detailsHash: _hash, recordedAt: _at, ...event } = assessment;
  ctx.emit('assessment.recorded', event);
  return assessment;
}

function parseAssessment(ctx: TxContext, fields: Record<string, unknown>): AssessmentRecord {
  const assessmentId = parseAssessmentId(fields.assessmentId);
  const hid = parseHex64(fields.hid, 'hid', 'HOLDER_ID_MALFORMED');
  const outcome = parseEnum(fields.outcome, Object.values(AssessmentOutcome), 'outcome');
  const assessedOn = parseDate(fields.assessedOn, 'assessedOn');
  const detailsHash = parseHex64(fields.detailsHash, 'detailsHash', 'HASH_MALFORMED');
  const today = txDay(ctx);
  if (assessedOn > today) {
    throw new ParkingRuleViolation('DATE_IN_FUTURE', `assessedOn ${assessedOn} is after today (${today})`, {
      field: 'assessedOn',
    });
  }
  const base = {
    assessmentId,
    hid,
    assessor: ctx.mspId,
    outcome,
    assessedOn,
    detailsHash,
    recordedAt: ctx.txTime,
  };
  if (outcome === AssessmentOutcome.NEGATIVE) {
    if (fields.scope !== undefined || fields.validUntil !== undefined) {
      throw new ParkingRuleViolation(
        'VALUE_INVALID',
        `a negative assessment has no scope or validUntil (got scope ${show(fields.scope)}, validUntil ${show(fields.validUntil)})`,
      );
    }
    return base;
  }
  const scope = parseCardKind(fields.scope, 'scope');
  const validUntil = parseDate(fields.validUntil, 'validUntil');
  const longTermFrom = addMonths(assessedOn, LONG_TERM_MONTHS_MIN);
  if (validUntil < longTermFrom) {
    throw new ParkingRuleViolation(
      'ASSESSMENT_TOO_SHORT',
      `a positive assessment needs a limitation of at least ${LONG_TERM_MONTHS_MIN} months: validUntil ${validUntil} is before ${longTermFrom}`,
    );
  }
  return { ...base, scope, validUntil };
}

/**
 * Applications and decisions: applyForGrant, decideGrant (the core), refuseGrant.
 *
 * decideGrant reads, by key: the scheme (terms and budget used), the application when given, the
 * record of every member of the single undertaking and every member's aid register. It writes the
 * scheme, the applicant's aid register, the grant and the application. Two decisions that count the
 * same budget or the same aid therefore read a key the other writes, and the peer's MVCC check lets
 * only the first one through; the second is re-run on the new state and refused if it no longer
 * fits.
 */
import type { TxContext } from '@civic/gateway';
import { type EndorsementRequirement, SubsidiesEvent, requiredEndorsement } from './actions.js';
import { dateOf } from './dates.js';
import { checkDeMinimisCeiling, countedAidOf, roomLeft } from './deminimis.js';
import {
  type SingleUndertaking,
  type StateReader,
  findSingleUndertaking,
  findUndertaking,
  readRegisters,
} from './group.js';
import { grantIdOf, keys } from './keys.js';
import { MAX_REGISTER_ENTRIES, MAX_TEXT_LENGTH } from './limits.js';
import {
  type AidEntry,
  type AidRegister,
  type ApplicationRecord,
  ApplicationStatus,
  type GrantRecord,
  type SchemeRecord,
  ceasedReason,
} from './records.js';
import {
  checkBudget,
  checkMaxPerApplicant,
  checkMaxPerGrant,
  checkSchemeOwner,
  checkShareOfCost,
} from './scheme-rules.js';
import * as v from './validate.js';
import { type Outcome, RuleCode, type RuleViolation, accept, refuse, refuseWith } from './violations.js';

export interface ApplyForGrantInput {
  readonly applicationId: string;
  readonly schemeId: string;
  readonly kvk: string;
  readonly requestedCents: number;
  readonly eligibleCostCents: number;
}

export interface DecideGrantInput {
  readonly schemeId: string;
  readonly kvk: string;
  readonly amountCents: number;
  readonly eligibleCostCents: number;
  /** The application decided on, or null for a grant without an application record. */
  readonly applicationId: string | null;
}

export interface RefuseGrantInput {
  readonly schemeId: string;
  readonly applicationId: string;
  /** The rule the refusal rests on: a code from decideGrant's refusal, or DISCRETIONARY. */
  readonly rule: RuleCode;
  readonly message: string;
}

export interface GrantDecision {
  readonly grant: GrantRecord;
  /** The scheme after the grant (budget used). */
  readonly scheme: SchemeRecord;
  /** The applicant's aid register after the grant. */
  readonly register: AidRegister;
  readonly application: ApplicationRecord | null;
  /** The KvK numbers counted as the single undertaking (only the applicant when not de minimis). */
  readonly groupMembers: readonly string[];
  /** The action to submit with and the co-endorser to ask. */
  readonly endorsement: EndorsementRequirement;
  /** De minimis room left under the tightest ceiling after this grant; null when not de minimis. */
  readonly deMinimisLeftCents: number | null;
}

export function parseApplyForGrantInput(raw: unknown): ApplyForGrantInput {
  const input = v.object(raw, 'input');
  return {
    applicationId: v.applicationId(input.applicationId, 'input.applicationId'),
    schemeId: v.schemeId(input.schemeId, 'input.schemeId'),
    kvk: v.kvkNumber(input.kvk, 'input.kvk'),
    requestedCents: v.amountCents(input.requestedCents, 'input.requestedCents'),
    eligibleCostCents: v.amountCents(input.eligibleCostCents, 'input.eligibleCostCents'),
  };
}

export function parseDecideGrantInput(raw: unknown): DecideGrantInput {
  const input = v.object(raw, 'input');
  return {
    schemeId: v.schemeId(input.schemeId, 'input.schemeId'),
    kvk: v.kvkNumber(input.kvk, 'input.kvk'),
    amountCents: v.amountCents(input.amountCents, 'input.amountCents'),
    eligibleCostCents: v.amountCents(input.eligibleCostCents, 'input.eligibleCostCents'),
    applicationId:
      input.applicationId == null ? null : v.applicationId(input.applicationId, 'input.applicationId'),
  };
}

export function parseRefuseGrantInput(raw: unknown): RefuseGrantInput {
  const input = v.object(raw, 'input');
  return {
    schemeId: v.schemeId(input.schemeId, 'input.schemeId'),
    applicationId: v.applicationId(input.applicationId, 'input.applicationId'),
    rule: v.oneOf(input.rule, 'input.rule', Object.values(RuleCode)),
    message: v.text(input.message, 'input.message', MAX_TEXT_LENGTH),
  };
}

/** An undertaking applies under a scheme; the scheme's authority records the application. */
export async function applyForGrant(ctx: TxContext, raw: unknown): Promise<Outcome<ApplicationRecord>> {
  const input = parseApplyForGrantInput(raw);
  const submittedAt = v.rfc3339(ctx.txTime, 'ctx.txTime');
  const scheme = await ctx.get<SchemeRecord>(keys.scheme(input.schemeId));
  if (scheme === undefined) return schemeNotFound(input.schemeId);
  const notOwner = checkSchemeOwner(scheme, ctx.mspId);
  if (notOwner) return refuseWith(notOwner);
  const applicant = await findUndertaking(ctx, input.kvk);
  if (!applicant.ok) return applicant;
  const ceased = checkNotCeased(applicant.value, input.kvk);
  if (ceased) return refuseWith(ceased);
  const key = keys.application(input.schemeId, input.applicationId);
  if ((await ctx.get(key)) !== undefined) {
    return refuse(RuleCode.ALREADY_EXISTS, `application ${input.applicationId} exists already`, { key });
  }
  const application: ApplicationRecord = {
    id: input.applicationId,
    schemeId: input.schemeId,
    kvk: input.kvk,
    requestedCents: input.requestedCents,
    eligibleCostCents: input.eligibleCostCents,
    submittedAt,
    status: ApplicationStatus.SUBMITTED,
    grantId: null,
    refusal: null,
  };
  ctx.put(key, application);
  ctx.emit(SubsidiesEvent.APPLICATION_SUBMITTED, {
    applicationId: input.applicationId,
    schemeId: input.schemeId,
    kvk: input.kvk,
    requestedCents: input.requestedCents,
  });
  return accept(application);
}

/**
 * The scheme's authority (`ctx.mspId`) grants aid. Refuses, writing nothing, when any rule fails;
 * the grant date is the date of `ctx.txTime` (the legal right is conferred by this decision).
 */
export async function decideGrant(ctx: TxContext, raw: unknown): Promise<Outcome<GrantDecision>> {
  const input = parseDecideGrantInput(raw);
  const txTime = v.rfc3339(ctx.txTime, 'ctx.txTime');
  const decision = await prepareGrant(ctx, input, ctx.mspId, txTime);
  if (decision.ok) writeGrant(ctx, decision.value);
  return decision;
}

/**
 * Every check of a grant, over state read through `reader`, for the authority `deciderMspId`.
 * Shared by decideGrant and the endorser's endorseGrant so both decide with the same code.
 */
export async function prepareGrant(
  reader: StateReader,
  input: DecideGrantInput,
  deciderMspId: string,
  txTime: string,
): Promise<Outcome<GrantDecision>> {
  const scheme = await reader.get<SchemeRecord>(keys.scheme(input.schemeId));
  if (scheme === undefined) return schemeNotFound(input.schemeId);
  const notOwner = checkSchemeOwner(scheme, deciderMspId);
  if (notOwner) return refuseWith(notOwner);
  const application = await readOpenApplication(reader, input);
  if (!application.ok) return application;
  const group =
    scheme.deMinimis === null
      ? await findUndertaking(reader, input.kvk)
      : await findSingleUndertaking(reader, input.kvk);
  if (!group.ok) return group;
  const ceased = checkNotCeased(group.value, input.kvk);
  if (ceased) return refuseWith(ceased);
  const registers = await readRegisters(reader, group.value.members);
  const applicantRegister = registers.get(input.kvk)!;
  const grantDate = dateOf(txTime);

  const broken =
    checkMaxPerGrant(scheme, input.amountCents) ??
    checkShareOfCost(scheme, input.amountCents, input.eligibleCostCents) ??
    checkMaxPerApplicant(scheme, input.amountCents, applicantRegister) ??
    checkBudget(scheme, input.amountCents) ??
    checkRegisterRoom(applicantRegister) ??
    (scheme.deMinimis === null
      ? null
      : checkDeMinimisCeiling({
          aid: countedAidOf(registers.values()),
          kind: scheme.deMinimis,
          requestedCents: input.amountCents,
          grantDate,
          groupMembers: group.value.members,
        }));
  if (broken) return refuseWith(broken);

  const grantId = grantIdOf(scheme.id, scheme.grantCount + 1);
  const endorsement = requiredEndorsement(scheme, input.amountCents);
  const entry: AidEntry = {
    grantId,
    schemeId: scheme.id,
    authority: scheme.authority,
    grantDate,
    grantedCents: input.amountCents,
    withdrawnCents: 0,
    aidKind: scheme.deMinimis,
  };
  const register: AidRegister = { kvk: input.kvk, entries: [...applicantRegister.entries, entry] };
  const deMinimisLeftCents =
    scheme.deMinimis === null
      ? null
      : roomLeft(
          countedAidOf([...registers.values()].map((r) => (r.kvk === input.kvk ? register : r))),
          scheme.deMinimis,
          grantDate,
        );
  return accept({
    grant: {
      id: grantId,
      schemeId: scheme.id,
      authority: scheme.authority,
      kvk: input.kvk,
      applicationId: input.applicationId,
      grantDate,
      decidedAt: txTime,
      grantedCents: input.amountCents,
      eligibleCostCents: input.eligibleCostCents,
      aidKind: scheme.deMinimis,
      coEndorser: endorsement.coEndorser,
      paidCents: 0,
      recoveredCents: 0,
      withdrawnCents: 0,
      payments: [],
      recoveries: [],
    },
    scheme: {
      ...scheme,
      grantedCents: scheme.grantedCents + input.amountCents,
      grantCount: scheme.grantCount + 1,
    },
    register,
    application:
      application.value === null
        ? null
        : { ...application.value, status: ApplicationStatus.GRANTED, grantId },
    groupMembers: group.value.members,
    endorsement,
    deMinimisLeftCents,
  });
}

/** The writes and the event of an accepted grant. */
export function writeGrant(ctx: TxContext, decision: GrantDecision): void {
  const { grant } = decision;
  ctx.put(keys.scheme(grant.schemeId), decision.scheme);
  ctx.put(keys.aidRegister(grant.kvk), decision.register);
  ctx.put(keys.grant(grant.id), grant);
  if (decision.application !== null) {
    ctx.put(keys.application(grant.schemeId, decision.application.id), decision.application);
  }
  ctx.emit(SubsidiesEvent.GRANT_DECIDED, {
    grantId: grant.id,
    schemeId: grant.schemeId,
    authority: grant.authority,
    kvk: grant.kvk,
    amountCents: grant.grantedCents,
    grantDate: grant.grantDate,
    aidKind: grant.aidKind,
    coEndorser: grant.coEndorser,
    groupMembers: decision.groupMembers,
  });
}

/** The scheme's authority records the refusal of an application, with the rule it rests on. */
export async function refuseGrant(ctx: TxContext, raw: unknown): Promise<Outcome<ApplicationRecord>> {
  const input = parseRefuseGrantInput(raw);
  v.rfc3339(ctx.txTime, 'ctx.txTime');
  const scheme = await ctx.get<SchemeRecord>(keys.scheme(input.schemeId));
  if (scheme === undefined) return schemeNotFound(input.schemeId);
  const notOwner = checkSchemeOwner(scheme, ctx.mspId);
  if (notOwner) return refuseWith(notOwner);
  const key = keys.application(input.schemeId, input.applicationId);
  const application = await ctx.get<ApplicationRecord>(key);
  if (application === undefined) return applicationNotFound(input.schemeId, input.applicationId);
  if (application.status !== ApplicationStatus.SUBMITTED) {
    return refuse(
      RuleCode.APPLICATION_MISMATCH,
      `application ${application.id} is already ${application.status}`,
      { key },
    );
  }
  const refused: ApplicationRecord = {
    ...application,
    status: ApplicationStatus.REFUSED,
    refusal: { rule: input.rule, message: input.message },
  };
  ctx.put(key, refused);
  ctx.emit(SubsidiesEvent.GRANT_REFUSED, {
    applicationId: application.id,
    schemeId: application.schemeId,
    kvk: application.kvk,
    rule: input.rule,
    message: input.message,
  });
  return accept(refused);
}

async function readOpenApplication(
  reader: StateReader,
  input: DecideGrantInput,
): Promise<Outcome<ApplicationRecord | null>> {
  if (input.applicationId === null) return accept(null);
  const key = keys.application(input.schemeId, input.applicationId);
  const application = await reader.get<ApplicationRecord>(key);
  if (application === undefined) return applicationNotFound(input.schemeId, input.applicationId);
  if (application.kvk !== input.kvk) {
    return refuse(
      RuleCode.APPLICATION_MISMATCH,
      `application ${application.id} is by ${application.kvk}, not ${input.kvk}`,
      {
        key,
      },
    );
  }
  if (application.status !== ApplicationStatus.SUBMITTED) {
    return refuse(
      RuleCode.APPLICATION_MISMATCH,
      `application ${application.id} is already ${application.status}`,
      { key },
    );
  }
  return accept(application);
}

function checkNotCeased(group: SingleUndertaking, kvk: string): RuleViolation | null {
  const record = group.records.get(kvk);
  const reason = record === undefined ? null : ceasedReason(record);
  if (reason === null) return null;
  return {
    rule: RuleCode.UNDERTAKING_CEASED,
    article: 'Regulation (EU) 2023/2831 Art. 3(8) and 3(9)',
    message: `undertaking ${kvk} ${reason}; new aid goes to its successor`,
    figures: { key: keys.undertaking(kvk) },
  };
}

function checkRegisterRoom(register: AidRegister): RuleViolation | null {
  if (register.entries.length < MAX_REGISTER_ENTRIES) return null;
  return {
    rule: RuleCode.LIMIT_EXCEEDED,
    article: null,
    message: `aid register of ${register.kvk} holds ${MAX_REGISTER_ENTRIES} grants already`,
    figures: { bound: 'MAX_REGISTER_ENTRIES', limit: MAX_REGISTER_ENTRIES },
  };
}

export function schemeNotFound<T>(schemeId: string): Outcome<T> {
  return refuse(RuleCode.SCHEME_NOT_FOUND, `scheme ${schemeId} is not registered`, {
    key: keys.scheme(schemeId),
  });
}

function applicationNotFound<T>(schemeId: string, applicationId: string): Outcome<T> {
  return refuse(
    RuleCode.APPLICATION_NOT_FOUND,
    `application ${applicationId} under scheme ${schemeId} does not exist`,
    {
      key: keys.application(schemeId, applicationId),
    },
  );
}

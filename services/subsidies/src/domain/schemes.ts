/** registerScheme: a granting authority registers a scheme and its terms. */
import type { TxContext } from '@civic/gateway';
import { AID_KINDS, type AidKind } from './ceilings.js';
import { SubsidiesEvent } from './actions.js';
import { InvalidFieldError } from './errors.js';
import { keys } from './keys.js';
import { MAX_TEXT_LENGTH } from './limits.js';
import type { SchemeEndorsement, SchemeRecord } from './records.js';
import * as v from './validate.js';
import { type Outcome, RuleCode, accept, refuse } from './violations.js';

export interface RegisterSchemeInput {
  readonly id: string;
  readonly title: string;
  readonly budgetCents: number;
  readonly maxPerApplicantCents: number;
  /** Share of the eligible cost paid, in basis points (5000 = 50 %). */
  readonly shareBasisPoints: number;
  readonly maxPerGrantCents: number;
  /** The de minimis regulation the scheme grants under, or null when its aid is not de minimis aid. */
  readonly deMinimis: AidKind | null;
  /** Grants above `thresholdCents` also need `coEndorser`'s signature; null when never. */
  readonly endorsement: SchemeEndorsement | null;
}

export function parseRegisterSchemeInput(raw: unknown): RegisterSchemeInput {
  const input = v.object(raw, 'input');
  const endorsement = input.endorsement == null ? null : parseEndorsement(input.endorsement);
  return {
    id: v.schemeId(input.id, 'input.id'),
    title: v.text(input.title, 'input.title', MAX_TEXT_LENGTH),
    budgetCents: v.amountCents(input.budgetCents, 'input.budgetCents'),
    maxPerApplicantCents: v.amountCents(input.maxPerApplicantCents, 'input.maxPerApplicantCents'),
    shareBasisPoints: v.shareBasisPoints(input.shareBasisPoints, 'input.shareBasisPoints'),
    maxPerGrantCents: v.amountCents(input.maxPerGrantCents, 'input.maxPerGrantCents'),
    deMinimis: input.deMinimis == null ? null : v.oneOf(input.deMinimis, 'input.deMinimis', AID_KINDS),
    endorsement,
  };
}

function parseEndorsement(raw: unknown): SchemeEndorsement {
  const endorsement = v.object(raw, 'input.endorsement');
  return {
    thresholdCents: v.amountCents(endorsement.thresholdCents, 'input.endorsement.thresholdCents', {
      allowZero: true,
    }),
    coEndorser: v.mspId(endorsement.coEndorser, 'input.endorsement.coEndorser'),
  };
}

/** The authority is the caller (`ctx.mspId`); it alone decides under the scheme. */
export async function registerScheme(ctx: TxContext, raw: unknown): Promise<Outcome<SchemeRecord>> {
  const input = parseRegisterSchemeInput(raw);
  const registeredAt = v.rfc3339(ctx.txTime, 'ctx.txTime');
  if (input.endorsement !== null && input.endorsement.coEndorser === ctx.mspId) {
    throw new InvalidFieldError(
      { field: 'input.endorsement.coEndorser', value: input.endorsement.coEndorser },
      'the co-endorser must be a second authority, not the scheme owner',
    );
  }
  const key = keys.scheme(input.id);
  if ((await ctx.get(key)) !== undefined) {
    return refuse(RuleCode.ALREADY_EXISTS, `scheme ${input.id} is already registered`, { key });
  }
  const scheme: SchemeRecord = {
    ...input,
    authority: ctx.mspId,
    grantedCents: 0,
    grantCount: 0,
    registeredAt,
  };
  ctx.put(key, scheme);
  ctx.emit(SubsidiesEvent.SCHEME_REGISTERED, {
    schemeId: scheme.id,
    authority: scheme.authority,
    budgetCents: scheme.budgetCents,
    deMinimis: scheme.deMinimis,
  });
  return accept(scheme);
}

import { TxType, ValidationCode, type Envelope } from '@civic/protocol';
import {
  checkConfigEnvelope,
  checkTransactionPolicies,
  IdentityErrorCode,
  resolveIdentity,
  Role,
  type ChannelConfig,
  type Identity,
} from '@civic/identity';
import type { EnvelopeInput } from './block-input.js';

/**
 * The checks of one transaction that do not depend on the world state, in the order every
 * peer applies (docs/peer.md, "Validation order"): MALFORMED → creator identity
 * (UNKNOWN_IDENTITY / EXPIRED_IDENTITY) → creator signature (BAD_SIGNATURE) → writers policy
 * (WRITER_NOT_ALLOWED) → endorsements, each resolved and verified, then the endorsement policy
 * (ENDORSEMENT_POLICY_FAILURE) → for config transactions the update itself (INVALID_CONFIG).
 * Duplicate txIds and MVCC read versions come after these, in validate-block.ts.
 */

export interface TxContext {
  readonly config: ChannelConfig;
  readonly channel: string;
  /** Block time: identities must be valid at it (deterministic, unlike a clock). */
  readonly blockTime: string;
  /** True for the genesis block's config transaction (its own config, sequence 0). */
  readonly genesis: boolean;
}

export type TxCheck =
  | {
      readonly code: typeof ValidationCode.VALID;
      readonly creator: Identity;
      /** The config a valid config transaction puts in force from the next block. */
      readonly nextConfig?: ChannelConfig;
    }
  | { readonly code: ValidationCode; readonly reason: string; readonly creator?: Identity };

function fail(code: ValidationCode, reason: string, creator?: Identity): TxCheck {
  return creator ? { code, reason, creator } : { code, reason };
}

function identityCode(code: IdentityErrorCode): ValidationCode {
  return code === IdentityErrorCode.MALFORMED ? ValidationCode.MALFORMED : code;
}

export function checkTx(
  entry: EnvelopeInput,
  signatures: { readonly creator: boolean; readonly endorsements: readonly boolean[] },
  ctx: TxContext,
): TxCheck {
  if (!entry.ok) return fail(ValidationCode.MALFORMED, entry.reason);
  const { envelope } = entry;
  const { payload } = envelope;
  if (payload.channel !== ctx.channel) {
    return fail(
      ValidationCode.MALFORMED,
      `payload is for channel ${payload.channel}, the block for ${ctx.channel}`,
    );
  }
  const resolved = resolveIdentity(ctx.config, payload.creator, ctx.blockTime);
  if (!resolved.ok) return fail(identityCode(resolved.code), `creator: ${resolved.reason}`);
  const creator = resolved.identity;
  if (!signatures.creator) {
    return fail(
      ValidationCode.BAD_SIGNATURE,
      `creator (${creator.subject}): signature does not verify`,
      creator,
    );
  }
  const isConfig = payload.type === TxType.CONFIG;
  if (!isConfig) {
    // Writers first, on the creator alone (identity's check evaluates both policies; only its
    // writers verdict counts here, before the endorsements are looked at).
    const writers = checkTransactionPolicies(ctx.config, payload, [creator]);
    if (!writers.ok && writers.code === ValidationCode.WRITER_NOT_ALLOWED)
      return fail(writers.code, writers.reason, creator);
  }
  const endorsers = endorsersOf(envelope, signatures.endorsements, ctx);
  if (!endorsers.ok) return fail(ValidationCode.ENDORSEMENT_POLICY_FAILURE, endorsers.reason, creator);
  if (isConfig) return configCheck(envelope, creator, endorsers.identities, ctx);
  const policies = checkTransactionPolicies(ctx.config, payload, [creator, ...endorsers.identities]);
  if (!policies.ok) return fail(policies.code, policies.reason, creator);
  return { code: ValidationCode.VALID, creator };
}

type EndorsersResult =
  { readonly ok: true; readonly identities: Identity[] } | { readonly ok: false; readonly reason: string };

/**
 * Every endorsement must come from a member valid at the block's time and verify: a
 * transaction carrying a bad endorsement is refused rather than judged on the others (unlike
 * Fabric, which drops it), so that what is in the chain as VALID is signed as shown.
 */
function endorsersOf(envelope: Envelope, verdicts: readonly boolean[], ctx: TxContext): EndorsersResult {
  const identities: Identity[] = [];
  for (let i = 0; i < envelope.endorsements.length; i++) {
    const endorsement = envelope.endorsements[i] as Envelope['endorsements'][number];
    const resolved = resolveIdentity(ctx.config, endorsement, ctx.blockTime);
    if (!resolved.ok) return { ok: false, reason: `endorsement ${i}: ${resolved.reason}` };
    if (verdicts[i] !== true) {
      return {
        ok: false,
        reason: `endorsement ${i} (${resolved.identity.subject}): signature does not verify`,
      };
    }
    identities.push(resolved.identity);
  }
  return { ok: true, identities };
}

function configCheck(envelope: Envelope, creator: Identity, endorsers: Identity[], ctx: TxContext): TxCheck {
  if (ctx.genesis) return genesisCheck(envelope, creator, endorsers, ctx);
  const checked = checkConfigEnvelope(ctx.config, envelope, ctx.blockTime);
  if (checked.ok) return { code: ValidationCode.VALID, creator, nextConfig: checked.config };
  // A config update not signed as `admins` requires is an invalid config update (the admins
  // policy is the config namespace's writers and endorsement policy at once).
  const code =
    checked.code === ValidationCode.MALFORMED ? ValidationCode.MALFORMED : ValidationCode.INVALID_CONFIG;
  return fail(code, checked.reason, creator);
}

/**
 * The genesis transaction (identity's buildGenesisBlock): sequence 0, read version null,
 * created by an admin that its own config accepts at the block's time. No admins policy: there
 * is no config in force yet to say who the admins are.
 */
function genesisCheck(
  envelope: Envelope,
  creator: Identity,
  _endorsers: Identity[],
  ctx: TxContext,
): TxCheck {
  if (ctx.config.sequence !== 0)
    return fail(
      ValidationCode.INVALID_CONFIG,
      `the genesis config has sequence ${ctx.config.sequence}, not 0`,
      creator,
    );
  if (envelope.payload.reads[0]?.version !== null) {
    return fail(
      ValidationCode.INVALID_CONFIG,
      'the genesis transaction reads the config at a version; it must read null',
      creator,
    );
  }
  if (creator.role !== Role.ADMIN)
    return fail(
      ValidationCode.INVALID_CONFIG,
      `the genesis creator ${creator.subject} is not an admin`,
      creator,
    );
  return { code: ValidationCode.VALID, creator, nextConfig: ctx.config };
}

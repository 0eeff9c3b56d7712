import { TxType, ValidationCode, type Envelope } from '@civic/protocol';
import {
  checkTransactionPolicies,
  checkWriters,
  configTransactionOutcome,
  genesisTransactionOutcome,
  IdentityErrorCode,
  resolveIdentity,
  type ChannelConfig,
  type Identity,
} from '@civic/identity';
import type { EnvelopeInput } from './block-input.js';

/**
 * The checks of one transaction that do not depend on the world state, in the order every
 * peer applies (docs/peer.md, "Validation order"): MALFORMED → creator identity
 * (UNKNOWN_IDENTITY / EXPIRED_IDENTITY) → creator signature (BAD_SIGNATURE) → writers policy
 * (WRITER_NOT_ALLOWED) → endorsements, each resolved and verified, then the endorsement policy
 * (ENDORSEMENT_POLICY_FAILURE) → for config transactions the update itself (INVALID_CONFIG, or
 * MVCC_READ_CONFLICT for a stale read of the config key). Duplicate txIds (which take precedence
 * over that read conflict) and MVCC read versions come after these, in validate-block.ts.
 */

export interface TxContext {
  readonly config: ChannelConfig;
  readonly channel: string;
  /** Block time: identities must be valid at it (deterministic, unlike a clock). */
  readonly blockTime: string;
  /** True for the genesis block's config transaction (its own config, sequence 0). */
  readonly genesis: boolean;
  /**
   * The config key's version now (committed state plus this block's earlier valid writes): the
   * version a config update must read. Asked only for config transactions after genesis.
   */
  readonly configVersion: () => string | null;
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
    // Writers first, on the creator alone, before the endorsements are looked at.
    const writers = checkWriters(ctx.config, payload, creator);
    if (!writers.ok) return fail(writers.code, writers.reason, creator);
  }
  const endorsers = endorsersOf(envelope, signatures.endorsements, ctx);
  if (!endorsers.ok) return fail(ValidationCode.ENDORSEMENT_POLICY_FAILURE, endorsers.reason, creator);
  if (isConfig) return configCheck(envelope, creator, ctx);
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

/**
 * Config transactions: identity's one rule for whether a config transaction is valid and takes
 * effect, the same the orderers apply to decide the config in force (configTransactionOutcome:
 * update rules, the current `admins` policy, the read version of the config key), or its genesis
 * counterpart for block 0. Its creator and endorsers were resolved and verified above.
 */
function configCheck(envelope: Envelope, creator: Identity, ctx: TxContext): TxCheck {
  const outcome = ctx.genesis
    ? genesisTransactionOutcome(envelope, ctx.blockTime)
    : configTransactionOutcome(ctx.config, ctx.configVersion(), envelope, ctx.blockTime);
  if (outcome.valid) return { code: ValidationCode.VALID, creator, nextConfig: outcome.config };
  return fail(outcome.code, outcome.reason, creator);
}

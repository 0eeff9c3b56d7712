/**
 * BlockVerifier: a pure, incremental chain verifier. It holds the tip of the chain it has
 * verified (number, hash, time) and the config in force (its consenters), and checks each next
 * block with protocol's verifyBlock (chaining, data hash, metadata, consenter signatures) plus
 * the per-envelope signature report. Browser-safe: protocol and plain code only.
 *
 * Config changes. A config block's update takes effect from the next block. Whether an update
 * takes effect at all is decided by peers and orderers with the full config rules (the admins
 * policy, the update rules of libs/identity); a verifier without them learns it from the next
 * block, whose `metadata.configNumber` names the config in force: the update's block
 * (taken) or the previous config (dropped). So after a config block the verifier holds the
 * update as *pending* and accepts either answer, verifying the next block's signatures with
 * the consenters of the config that block names. Pass `decideConfig` (e.g. identity's
 * configTransactionOutcome, the peers' and orderers' rule) to decide at once and accept only
 * the one answer.
 */
import {
  BlockVerificationError,
  configVersion,
  ParseError,
  parseBlock,
  txIdOf,
  verifyBlock,
  verifyEnvelopes,
  type Block,
  type ChainTip,
  type EnvelopeReport,
  type Hex,
  type ParseOptions,
} from '@civic/protocol';
import { ConfigReadError, isConfigBlock, readConfigEnvelope, type ConfigInForce } from './config-in-force.js';
import { BlockRejectedError, TrustAnchorError } from './errors.js';
import { readVerifierState, type VerifierState } from './verifier-state.js';

/** Decides, as a peer would, whether `candidate` (read from `block`) replaces `current`. */
export type ConfigDecision = (update: {
  readonly current: ConfigInForce;
  readonly candidate: ConfigInForce;
  readonly block: Block;
}) => boolean;

export interface BlockVerifierOptions {
  /**
   * Check each envelope's creator and endorser signatures and report them (default true). A
   * bad envelope signature does not reject a block (the peer marks that transaction
   * BAD_SIGNATURE); turning it off saves one Ed25519 verification per signature.
   */
  readonly envelopeSignatures?: boolean;
  /** See the file comment; without it, config updates are followed through the next block's configNumber. */
  readonly decideConfig?: ConfigDecision;
  /** Parser limits for blocks given as bytes or JSON. */
  readonly parse?: ParseOptions;
}

/** What a config block did to the config (`none` for other blocks). */
export const ConfigUpdate = {
  NONE: 'none',
  /** Read and plausible: in force from the next block if that block names it. */
  PENDING: 'pending',
  /** Taken (decided at once with decideConfig). */
  ADOPTED: 'adopted',
  /** Not a usable update (unreadable, wrong sequence or read version, or refused by decideConfig). */
  IGNORED: 'ignored',
} as const;
export type ConfigUpdate = (typeof ConfigUpdate)[keyof typeof ConfigUpdate];

export interface VerifiedChainBlock {
  readonly block: Block;
  readonly number: number;
  readonly blockHash: Hex;
  readonly txIds: readonly Hex[];
  /** Per-envelope signature report; null when envelope checks are off. */
  readonly envelopes: readonly EnvelopeReport[] | null;
  /** Number of the config block whose consenters signed this block. */
  readonly configNumber: number;
  readonly configUpdate: ConfigUpdate;
  /** Why a config update was ignored. */
  readonly configNote?: string;
}

export type BlockCheck =
  | { readonly ok: true; readonly verified: VerifiedChainBlock }
  | { readonly ok: false; readonly error: BlockRejectedError };

export interface CheckOptions {
  /** A hash the block must have (a checkpoint or commit receipt you trust). */
  readonly expectedHash?: Hex;
}

function numberOf(input: unknown): number | null {
  const header = (input as { header?: { number?: unknown } } | null)?.header;
  return Number.isSafeInteger(header?.number) ? (header?.number as number) : null;
}

function rejection(input: unknown, error: unknown): BlockRejectedError {
  if (error instanceof BlockVerificationError) {
    return new BlockRejectedError(error.blockNumber, error.name, error.reason, { cause: error });
  }
  if (error instanceof ParseError || error instanceof ConfigReadError) {
    return new BlockRejectedError(numberOf(input), error.name, error.message, { cause: error });
  }
  throw error;
}

export class BlockVerifier {
  #tip: ChainTip;
  #config: ConfigInForce;
  #pending: ConfigInForce | null;
  readonly #options: BlockVerifierOptions;

  private constructor(state: VerifierState, options: BlockVerifierOptions) {
    this.#tip = state.tip;
    this.#config = state.config;
    this.#pending = state.pending;
    this.#options = options;
  }

  /**
   * A verifier whose chain is the genesis block (block 0), verified against the consenters of
   * its own config. Throws TrustAnchorError when it is not a genesis block that verifies.
   */
  static fromGenesis(genesis: unknown, options: BlockVerifierOptions = {}): BlockVerifier {
    let block: Block;
    try {
      block = parseBlock(genesis, options.parse ?? {});
    } catch (error) {
      throw new TrustAnchorError(`genesis: ${(error as Error).message}`, { cause: error });
    }
    const first = block.envelopes[0];
    if (block.header.number !== 0 || !first || !isConfigBlock(block)) {
      throw new TrustAnchorError('genesis: block 0 with exactly one config transaction expected');
    }
    let config: ConfigInForce;
    try {
      config = readConfigEnvelope(first, 0, block.header.channel, txIdOf(first.payload));
      if (config.sequence !== 0) throw new ConfigReadError(0, 'the genesis config has sequence 0');
      const verified = verifyBlock(block, { previous: null, consenters: config.consenters, configNumber: 0 });
      return new BlockVerifier({ version: 1, tip: verified.tip, config, pending: null }, options);
    } catch (error) {
      if (error instanceof ConfigReadError || error instanceof BlockVerificationError) {
        throw new TrustAnchorError(`genesis: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  /** A verifier that continues from a saved state (state() of an earlier verifier, as JSON). */
  static fromState(state: unknown, options: BlockVerifierOptions = {}): BlockVerifier {
    return new BlockVerifier(readVerifierState(state), options);
  }

  /** The last verified block. */
  get tip(): ChainTip {
    return this.#tip;
  }

  /** Number of the next block this verifier accepts. */
  get nextNumber(): number {
    return this.#tip.number + 1;
  }

  /** The config in force for the next block (a pending update is not in it yet). */
  get config(): ConfigInForce {
    return this.#config;
  }

  /** A config update of the tip block that the next block may put in force. */
  get pendingConfig(): ConfigInForce | null {
    return this.#pending;
  }

  /** Everything needed to continue later (plain JSON): pass it to fromState. */
  state(): VerifierState {
    return { version: 1, tip: this.#tip, config: this.#config, pending: this.#pending };
  }

  /**
   * Verifies the next block (a parsed Block, its JSON value, or its canonical wire bytes). On
   * success the verifier moves to it; on failure nothing changes and the result says why.
   */
  check(input: unknown, options: CheckOptions = {}): BlockCheck {
    try {
      return { ok: true, verified: this.#verify(input, options) };
    } catch (error) {
      return { ok: false, error: rejection(input, error) };
    }
  }

  /** As check, but throws the BlockRejectedError. */
  verify(input: unknown, options: CheckOptions = {}): VerifiedChainBlock {
    const result = this.check(input, options);
    if (!result.ok) throw result.error;
    return result.verified;
  }

  #verify(input: unknown, options: CheckOptions): VerifiedChainBlock {
    const block = parseBlock(input, this.#options.parse ?? {});
    const pending = this.#pending;
    const inForce =
      pending !== null && block.metadata.configNumber === pending.number ? pending : this.#config;
    const verified = verifyBlock(block, {
      previous: this.#tip,
      consenters: inForce.consenters,
      configNumber: inForce.number,
      ...(options.expectedHash === undefined ? {} : { expectedHash: options.expectedHash }),
    });
    const envelopes =
      this.#options.envelopeSignatures === false ? null : verifyEnvelopes(block, verified.txIds);
    const update = this.#configUpdate(block, inForce, verified.txIds);
    // Commit: nothing above changed the verifier.
    this.#tip = verified.tip;
    this.#config = update.adopted ?? inForce;
    this.#pending = update.pending;
    return Object.freeze({
      block,
      number: block.header.number,
      blockHash: verified.blockHash,
      txIds: verified.txIds,
      envelopes,
      configNumber: inForce.number,
      configUpdate: update.kind,
      ...(update.note === undefined ? {} : { configNote: update.note }),
    });
  }

  #configUpdate(
    block: Block,
    current: ConfigInForce,
    txIds: readonly Hex[],
  ): { kind: ConfigUpdate; pending: ConfigInForce | null; adopted?: ConfigInForce; note?: string } {
    const envelope = block.envelopes[0];
    if (!isConfigBlock(block) || envelope === undefined) return { kind: ConfigUpdate.NONE, pending: null };
    const ignored = (note: string) => ({ kind: ConfigUpdate.IGNORED, pending: null, note });
    let candidate: ConfigInForce;
    try {
      candidate = readConfigEnvelope(envelope, block.header.number, block.header.channel, txIds[0] as Hex);
    } catch (error) {
      if (error instanceof ConfigReadError) return ignored(error.reason);
      throw error;
    }
    if (candidate.sequence !== current.sequence + 1) {
      return ignored(`sequence ${candidate.sequence}, but the config in force has ${current.sequence}`);
    }
    const read = envelope.payload.reads[0]?.version;
    if (read !== configVersion(current.number)) {
      return ignored(
        `it read config version ${String(read)}, but the config in force is ${configVersion(current.number)}`,
      );
    }
    const decide = this.#options.decideConfig;
    if (decide === undefined) return { kind: ConfigUpdate.PENDING, pending: candidate };
    return decide({ current, candidate, block })
      ? { kind: ConfigUpdate.ADOPTED, pending: null, adopted: candidate }
      : ignored('refused by the config rules');
  }
}

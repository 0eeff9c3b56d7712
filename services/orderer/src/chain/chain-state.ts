import {
  configFromBlock,
  configTransactionOutcome,
  genesisTransactionOutcome,
  type ChannelConfig,
} from '@civic/identity';
import {
  BlockVerificationError,
  chainTipOf,
  configVersion,
  ParseError,
  parseBlock,
  TxType,
  verifyBlock,
  type Block,
  type ChainTip,
  type Hex,
} from '@civic/protocol';
import { InvalidGenesisError } from '../errors.js';

/**
 * The orderer's state machine is the chain. Applying a committed Raft entry is a pure function
 * of (state, entry): the entry's block is appended when it extends the chain and verifies
 * (number, previous hash, time, data hash, a signature by a consenter of the config in force,
 * the Raft position it claims, the batch count limit, a config transaction alone); otherwise it
 * is ignored, identically on every orderer since all apply the same entries to the same state.
 * Ignoring is a safety net: a leader only proposes blocks that extend the chain it applied.
 */
export interface ChainState {
  readonly channel: string;
  /** Number of the next block. */
  readonly height: number;
  /** The last block. */
  readonly tip: ChainTip;
  /** The config in force for the next block, and the number of the block that carried it. */
  readonly config: ChannelConfig;
  readonly configNumber: number;
}

export type EntryDecision =
  | {
      readonly kind: 'append';
      readonly block: Block;
      readonly bytes: Uint8Array;
      readonly blockHash: Hex;
      readonly txIds: readonly Hex[];
      readonly next: ChainState;
      /** The block carried a config that is now in force. */
      readonly configChanged: boolean;
    }
  /** A block this node already has (a restart re-applies entries after its last stored block). */
  | { readonly kind: 'known'; readonly number: number }
  | { readonly kind: 'ignore'; readonly reason: string };

export function decideEntry(
  state: ChainState,
  entry: { readonly index: number; readonly term: number; readonly data: Uint8Array },
  parsed?: Block,
): EntryDecision {
  return decideBlock(state, entry.data, { index: entry.index, term: entry.term }, parsed);
}

/**
 * Whether `bytes` is the next block of the chain. `position` is the Raft entry that carried it
 * (checked against the block's metadata), or null for a block fetched from another orderer.
 */
export function decideBlock(
  state: ChainState,
  bytes: Uint8Array,
  position: { readonly index: number; readonly term: number } | null,
  /**
   * `parseBlock(bytes)` when the caller already holds it (the leader, for the blocks it
   * built: the same objects the parser would give, so the decision is the followers').
   */
  parsed?: Block,
): EntryDecision {
  let block: Block;
  try {
    block = parsed ?? parseBlock(bytes);
  } catch (error) {
    if (error instanceof ParseError) return { kind: 'ignore', reason: `not a block: ${error.message}` };
    throw error;
  }
  const { number } = block.header;
  if (number < state.height) return { kind: 'known', number };
  let verified;
  try {
    verified = verifyBlock(block, {
      previous: state.tip,
      consenters: state.config.consenters,
      configNumber: state.configNumber,
    });
  } catch (error) {
    if (error instanceof BlockVerificationError) return { kind: 'ignore', reason: error.message };
    throw error;
  }
  const { raft } = block.metadata;
  if (position !== null && (raft.index !== position.index || raft.term !== position.term)) {
    return {
      kind: 'ignore',
      reason: `block ${number} claims Raft position ${raft.term}/${raft.index} but came in entry ${position.term}/${position.index}`,
    };
  }
  if (block.envelopes.length > state.config.batch.maxMessageCount) {
    return {
      kind: 'ignore',
      reason: `block ${number} has ${block.envelopes.length} envelopes, more than batch.maxMessageCount`,
    };
  }
  const configs = block.envelopes.filter((e) => e.payload.type === TxType.CONFIG).length;
  if (configs > 0 && block.envelopes.length > 1) {
    return { kind: 'ignore', reason: `block ${number} holds a config transaction among others` };
  }
  const after = configAfter(block, state.config, state.configNumber);
  return {
    kind: 'append',
    block,
    bytes,
    blockHash: verified.blockHash,
    txIds: verified.txIds,
    next: {
      ...state,
      height: number + 1,
      tip: verified.tip,
      config: after.config,
      configNumber: after.configNumber,
    },
    configChanged: after.configNumber !== state.configNumber,
  };
}

/**
 * The config in force after `block`, given the one in force for it. A config block changes it
 * when its update is valid at the block's time, by the rule the peers give its code with
 * (identity's configTransactionOutcome, the read version of the config key included).
 */
export function configAfter(
  block: Block,
  config: ChannelConfig,
  configNumber: number,
): { readonly config: ChannelConfig; readonly configNumber: number } {
  const [only] = block.envelopes;
  if (block.header.number === 0 || block.envelopes.length !== 1 || only?.payload.type !== TxType.CONFIG) {
    return { config, configNumber };
  }
  const outcome = configTransactionOutcome(config, configVersion(configNumber), only, block.header.time);
  if (!outcome.valid) return { config, configNumber };
  return { config: outcome.config, configNumber: block.header.number };
}

/**
 * The state after the genesis block, which must verify against its own config and hold a valid
 * genesis transaction by the peers' rule (identity's genesisTransactionOutcome: peers refuse
 * any other block 0). Throws InvalidGenesisError saying why not.
 */
export function genesisState(genesis: Block): ChainState {
  const [only] = genesis.envelopes;
  if (genesis.envelopes.length !== 1 || only === undefined)
    throw new InvalidGenesisError(`holds ${genesis.envelopes.length} envelopes, not one config transaction`);
  const outcome = genesisTransactionOutcome(only, genesis.header.time);
  if (!outcome.valid) throw new InvalidGenesisError(`${outcome.code}: ${outcome.reason}`);
  const { config } = outcome;
  verifyBlock(genesis, { previous: null, consenters: config.consenters });
  return { channel: genesis.header.channel, height: 1, tip: chainTipOf(genesis), config, configNumber: 0 };
}

/**
 * The state after a stored tip block: the config in force for the tip comes from the block its
 * metadata names (`configBlock`), and the tip may itself put a new one in force.
 */
export function stateAfterTip(tip: Block, configBlock: Block): ChainState {
  if (tip.header.number === 0) return genesisState(tip);
  const before = configFromBlock(configBlock);
  const after = configAfter(tip, before, tip.metadata.configNumber);
  return {
    channel: tip.header.channel,
    height: tip.header.number + 1,
    tip: chainTipOf(tip),
    config: after.config,
    configNumber: after.configNumber,
  };
}

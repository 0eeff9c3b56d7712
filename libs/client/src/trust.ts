/**
 * Starting a BlockVerifier from something trusted: a genesis block, a saved verifier state, or
 * a trusted head (a block number and its hash, e.g. from a peer checkpoint whose signature you
 * checked). Browser-safe: blocks come from an injected BlockSource.
 *
 * From a trusted head h: block h is fetched and must hash to the trusted hash; the config in
 * force for it (block c = its metadata.configNumber) is fetched with every block from c to
 * h - 1, and the hash chain from c to h is checked, which authenticates block c and so its
 * config; then block h is verified in full on top of block h - 1 with c's consenters. The
 * metadata's configNumber is covered by the consenters' signature, not by the block hash:
 * trusting it assumes the keys of earlier configs' consenters were not stolen.
 */
import {
  blockHashOf,
  chainTipOf,
  dataHashOf,
  parseBlock,
  txIdOf,
  type Block,
  type Hex,
  type ParseOptions,
} from '@civic/protocol';
import { BlockVerifier, type BlockVerifierOptions } from './block-verifier.js';
import type { BlockSource } from './block-source.js';
import { ConfigReadError, isConfigBlock, readConfigEnvelope } from './config-in-force.js';
import { ClientArgumentError, TrustAnchorError } from './errors.js';

/** Most blocks fetched to authenticate the config in force for a trusted head. */
export const TRUST_WALK_BLOCKS_MAX = 100_000;

export interface TrustedHead {
  readonly channel: string;
  /** Number of the trusted block. */
  readonly height: number;
  readonly blockHash: Hex;
}

/** What a verifier can start from. */
export type TrustAnchor =
  | { readonly genesis: unknown }
  | { readonly state: unknown }
  | { readonly head: TrustedHead; readonly genesis?: unknown };

async function fetchOne(source: BlockSource, number: number, parse: ParseOptions): Promise<Block> {
  for await (const item of source(number, number)) return parseBlock(item, parse);
  throw new TrustAnchorError(`block ${number} could not be fetched`);
}

/** A verifier at the trusted head `head`, whose blocks come from `source`. */
export async function verifierFromHead(
  head: TrustedHead,
  source: BlockSource,
  options: BlockVerifierOptions = {},
): Promise<BlockVerifier> {
  const parse = options.parse ?? {};
  const tipBlock = await fetchOne(source, head.height, parse);
  if (tipBlock.header.channel !== head.channel || blockHashOf(tipBlock.header) !== head.blockHash) {
    throw new TrustAnchorError(
      `block ${head.height} of ${tipBlock.header.channel} hashes to ${blockHashOf(tipBlock.header)}, not the trusted ${head.blockHash} of ${head.channel}`,
    );
  }
  if (head.height === 0) return BlockVerifier.fromGenesis(tipBlock, options);
  const c = tipBlock.metadata.configNumber;
  if (head.height - c > TRUST_WALK_BLOCKS_MAX) {
    throw new TrustAnchorError(
      `block ${head.height}'s config is block ${c}: more than ${TRUST_WALK_BLOCKS_MAX} blocks to fetch; start from a saved state or a nearer head`,
    );
  }
  let configBlock: Block | null = null;
  let previous: Block | null = null;
  let expected = c;
  for await (const item of source(c, head.height - 1)) {
    const block = parseBlock(item, parse);
    if (block.header.number !== expected) {
      throw new TrustAnchorError(`the source sent block ${block.header.number}, block ${expected} expected`);
    }
    if (previous !== null && block.header.previousHash !== blockHashOf(previous.header)) {
      throw new TrustAnchorError(`block ${expected}'s previousHash does not chain to block ${expected - 1}`);
    }
    if (configBlock === null) configBlock = block;
    previous = block;
    expected += 1;
  }
  if (previous === null || configBlock === null || expected !== head.height) {
    throw new TrustAnchorError(
      `the source ended at block ${expected - 1}, blocks ${c}..${head.height - 1} expected`,
    );
  }
  if (tipBlock.header.previousHash !== blockHashOf(previous.header)) {
    throw new TrustAnchorError(
      `block ${head.height}'s previousHash does not chain to block ${head.height - 1}`,
    );
  }
  return verifierAbove(configBlock, previous, tipBlock, head.blockHash, options);
}

function verifierAbove(
  configBlock: Block,
  previous: Block,
  tipBlock: Block,
  tipHash: Hex,
  options: BlockVerifierOptions,
): BlockVerifier {
  const c = configBlock.header.number;
  const envelope = configBlock.envelopes[0];
  if (
    !isConfigBlock(configBlock) ||
    envelope === undefined ||
    dataHashOf(configBlock.envelopes) !== configBlock.header.dataHash
  ) {
    throw new TrustAnchorError(`block ${c}, named as the config in force, is not an intact config block`);
  }
  let config;
  try {
    config = readConfigEnvelope(envelope, c, configBlock.header.channel, txIdOf(envelope.payload));
  } catch (error) {
    if (error instanceof ConfigReadError) throw new TrustAnchorError(error.message, { cause: error });
    throw error;
  }
  const verifier = BlockVerifier.fromState(
    { version: 1, tip: chainTipOf(previous), config, pending: null },
    options,
  );
  const result = verifier.check(tipBlock, { expectedHash: tipHash });
  if (!result.ok)
    throw new TrustAnchorError(`the trusted head does not verify: ${result.error.message}`, {
      cause: result.error,
    });
  return verifier;
}

/**
 * A verifier from any trust anchor. For a head with a genesis block as well, the chain is
 * verified from genesis up to the head and must reach the head's hash (slower, no assumption
 * about old consenters' keys).
 */
export async function verifierFromTrust(
  trust: TrustAnchor,
  source: BlockSource | null,
  options: BlockVerifierOptions = {},
): Promise<BlockVerifier> {
  if (trust === null || typeof trust !== 'object') throw new ClientArgumentError('trust anchor expected');
  if ('state' in trust) return BlockVerifier.fromState(trust.state, options);
  if (!('head' in trust)) return BlockVerifier.fromGenesis(trust.genesis, options);
  if (source === null) throw new ClientArgumentError('a trusted head needs a block source');
  if (trust.genesis === undefined) return verifierFromHead(trust.head, source, options);
  const verifier = BlockVerifier.fromGenesis(trust.genesis, options);
  if (trust.head.height === 0) {
    if (verifier.tip.hash !== trust.head.blockHash)
      throw new TrustAnchorError('the genesis block is not the trusted head');
    return verifier;
  }
  await catchUp(verifier, source, trust.head.height, trust.head.blockHash);
  return verifier;
}

/** Verifies blocks from the verifier's tip + 1 through `to` (optionally expecting `toHash`). */
export async function catchUp(
  verifier: BlockVerifier,
  source: BlockSource,
  to: number,
  toHash?: Hex,
): Promise<void> {
  if (to < verifier.nextNumber) return;
  for await (const item of source(verifier.nextNumber, to)) {
    const number = verifier.nextNumber;
    verifier.verify(item, number === to && toHash !== undefined ? { expectedHash: toHash } : {});
    if (number === to) return;
  }
  if (verifier.tip.number < to)
    throw new TrustAnchorError(`the source ended at block ${verifier.tip.number}, block ${to} expected`);
}

/**
 * Block and envelope verification (docs/protocol.md, "Verifying a block"). Pure functions of
 * their arguments (caches aside), so a worker pool can run them in parallel.
 */
import { blockHashOf, blockSigningHash } from './block.js';
import { assertBlock } from './block-shape.js';
import { verifyEd25519 } from './ed25519.js';
import { envelopeDigests, txIdOf } from './envelope.js';
import { ZERO_HASH_HEX } from './hash.js';
import { fromHex, isHex, toHex } from './hex.js';
import { merkleLeafHash, merkleRoot } from './merkle.js';
import { parseRfc3339Ms } from './time.js';
import type { Block, Consenter, Envelope, Hex } from './types.js';
import { TxType } from './types.js';
import {
  BlockChannelError,
  BlockHashError,
  BlockNumberError,
  BlockSignatureError,
  BlockTimeError,
  ConfigNumberError,
  DataHashError,
  GenesisBlockError,
  PreviousHashError,
  RaftPositionError,
  TxCountError,
} from './verify-errors.js';
import { certificatePublicKey } from './x509.js';

/** What a verifier keeps of the last block it accepted. */
export interface ChainTip {
  readonly channel: string;
  readonly number: number;
  readonly hash: Hex;
  readonly time: string;
  /** The Raft position of the block's entry; when known, the next block's must be later. */
  readonly raft?: { readonly term: number; readonly index: number };
}

export function chainTipOf(block: Block): ChainTip {
  if (block === null || typeof block !== 'object' || !block.header)
    throw new TypeError('chainTipOf: block expected');
  const { channel, number, time } = block.header;
  const { term, index } = block.metadata.raft;
  return Object.freeze({
    channel,
    number,
    hash: blockHashOf(block.header),
    time,
    raft: Object.freeze({ term, index }),
  });
}

export interface VerifyBlockOptions {
  /** The chain's last verified block; null when `block` must be the genesis block. */
  readonly previous: ChainTip | null;
  /** Consenters of the config in force (for the genesis block: of its own config). */
  readonly consenters: readonly Consenter[];
  /** The config in force as the caller tracks it; when given, metadata.configNumber must equal it. */
  readonly configNumber?: number;
  /** A hash the header must have (a trusted checkpoint or commit receipt). */
  readonly expectedHash?: Hex;
}

export interface VerifiedBlock {
  readonly blockHash: Hex;
  readonly tip: ChainTip;
  /** The txIds of the envelopes, in order. */
  readonly txIds: readonly Hex[];
}

/**
 * Verifies a parsed block, in the order of docs/protocol.md; throws the BlockVerificationError
 * subclass of the first failed check. Envelope signatures are not part of it: verifyEnvelopes.
 */
export function verifyBlock(block: Block, options: VerifyBlockOptions): VerifiedBlock {
  assertBlock(block, 'verifyBlock');
  if (options === null || typeof options !== 'object' || !Array.isArray(options.consenters)) {
    throw new TypeError('verifyBlock: options {previous, consenters} expected');
  }
  const { header } = block;
  const n = header.number;
  checkChain(block, options.previous);
  const blockHash = blockHashOf(header);
  if (options.expectedHash !== undefined && options.expectedHash !== blockHash) {
    throw new BlockHashError(
      n,
      `header hash ${blockHash} is not the expected ${String(options.expectedHash)}`,
    );
  }
  if (header.txCount !== block.envelopes.length) {
    throw new TxCountError(n, `txCount ${header.txCount} but ${block.envelopes.length} envelopes`);
  }
  const digests = block.envelopes.map(envelopeDigests);
  const root = toHex(merkleRoot(digests.map((d) => merkleLeafHash(d.envelopeHash))));
  if (root !== header.dataHash)
    throw new DataHashError(n, `dataHash ${header.dataHash} but the envelopes' root is ${root}`);
  checkMetadata(block, options.configNumber);
  checkSignatures(block, options.consenters);
  return Object.freeze({
    blockHash,
    tip: chainTipOf(block),
    txIds: Object.freeze(digests.map((d) => d.txId)),
  });
}

function checkChain(block: Block, previous: ChainTip | null): void {
  const { header } = block;
  const n = header.number;
  if (previous === null || previous === undefined) {
    if (n !== 0) throw new BlockNumberError(n, 'a chain starts at block 0');
    if (header.previousHash !== ZERO_HASH_HEX)
      throw new PreviousHashError(n, 'block 0 has previousHash 64 zeros');
    return;
  }
  if (typeof previous !== 'object' || !isHex(previous.hash, 32))
    throw new TypeError('verifyBlock: previous tip expected');
  if (header.channel !== previous.channel) {
    throw new BlockChannelError(n, `channel ${header.channel} but the chain is ${previous.channel}`);
  }
  if (n !== previous.number + 1) throw new BlockNumberError(n, `expected block ${previous.number + 1}`);
  if (header.previousHash !== previous.hash) {
    throw new PreviousHashError(
      n,
      `previousHash ${header.previousHash} but block ${previous.number} is ${previous.hash}`,
    );
  }
  if (parseRfc3339Ms(header.time) < parseRfc3339Ms(previous.time)) {
    throw new BlockTimeError(n, `time ${header.time} is before block ${previous.number}'s ${previous.time}`);
  }
  const raft = block.metadata.raft;
  if (previous.raft !== undefined && (raft.index <= previous.raft.index || raft.term < previous.raft.term)) {
    throw new RaftPositionError(
      n,
      `raft position {term ${raft.term}, index ${raft.index}} is not after block ${previous.number}'s ` +
        `{term ${previous.raft.term}, index ${previous.raft.index}}`,
    );
  }
}

function checkMetadata(block: Block, expectedConfigNumber: number | undefined): void {
  const { header, metadata } = block;
  const n = header.number;
  if (n === 0) {
    if (metadata.configNumber !== 0) throw new ConfigNumberError(n, 'the genesis block has configNumber 0');
    if (metadata.raft.term !== 0 || metadata.raft.index !== 0)
      throw new GenesisBlockError(n, 'the genesis block has raft {0, 0}');
    const [only] = block.envelopes;
    if (block.envelopes.length !== 1 || only?.payload.type !== TxType.CONFIG) {
      throw new GenesisBlockError(n, 'the genesis block holds exactly one config transaction');
    }
  } else if (metadata.configNumber >= n) {
    throw new ConfigNumberError(n, `configNumber ${metadata.configNumber} is not an earlier block`);
  }
  if (expectedConfigNumber !== undefined && metadata.configNumber !== expectedConfigNumber) {
    throw new ConfigNumberError(
      n,
      `configNumber ${metadata.configNumber} but the config in force is block ${expectedConfigNumber}`,
    );
  }
}

function checkSignatures(block: Block, consenters: readonly Consenter[]): void {
  const n = block.header.number;
  const { signatures } = block.metadata;
  if (signatures.length === 0) throw new BlockSignatureError(n, 'no consenter signature');
  const message = blockSigningHash(block);
  for (const entry of signatures) {
    const consenter = consenters.find((c) => c.nodeId === entry.nodeId);
    if (!consenter || consenter.mspId !== entry.mspId || consenter.cert !== entry.cert) {
      throw new BlockSignatureError(
        n,
        `${entry.nodeId} (${entry.mspId}) is not a consenter of the config in force`,
      );
    }
    if (!verifyEd25519(message, fromHex(entry.signature), certificatePublicKeySafe(entry.cert))) {
      throw new BlockSignatureError(n, `the signature of ${entry.nodeId} does not verify`);
    }
  }
}

function certificatePublicKeySafe(cert: string): Uint8Array {
  try {
    return certificatePublicKey(cert);
  } catch {
    return new Uint8Array(0); // verifyEd25519 answers false for a key of the wrong size
  }
}

// ---- per-envelope report --------------------------------------------------------------------

export interface EndorsementReport {
  readonly mspId: string;
  readonly signatureOk: boolean;
  /** Why the signature could not be checked (an unreadable certificate), when it could not. */
  readonly error?: string;
}

export interface EnvelopeReport {
  readonly index: number;
  readonly txId: Hex;
  readonly creatorSignatureOk: boolean;
  readonly creatorError?: string;
  readonly endorsements: readonly EndorsementReport[];
  /** Creator and every endorsement verify. */
  readonly signaturesOk: boolean;
}

function checkSignature(
  txIdBytes: Uint8Array,
  signatureHex: Hex,
  cert: string,
): { ok: boolean; error?: string } {
  let publicKey: Uint8Array;
  try {
    publicKey = certificatePublicKey(cert);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return { ok: isHex(signatureHex, 64) && verifyEd25519(txIdBytes, fromHex(signatureHex), publicKey) };
}

/**
 * Checks the creator's and the endorsers' signatures over the txId. Never throws for a bad
 * signature or an unreadable certificate: the report says which. `txId` may be passed when
 * already computed (verifyBlock returns them), to save canonicalising the payload again.
 */
export function verifyEnvelope(envelope: Envelope, index = 0, txId?: Hex): EnvelopeReport {
  if (envelope === null || typeof envelope !== 'object' || !envelope.payload) {
    throw new TypeError('verifyEnvelope: envelope expected');
  }
  if (txId !== undefined && !isHex(txId, 32))
    throw new TypeError('verifyEnvelope: txId must be 64 hex digits');
  const id = txId ?? txIdOf(envelope.payload);
  const txIdBytes = fromHex(id);
  const creator = checkSignature(txIdBytes, envelope.signature, envelope.payload.creator.cert);
  const endorsements = envelope.endorsements.map((e): EndorsementReport => {
    const result = checkSignature(txIdBytes, e.signature, e.cert);
    return Object.freeze({
      mspId: e.mspId,
      signatureOk: result.ok,
      ...(result.error ? { error: result.error } : {}),
    });
  });
  return Object.freeze({
    index,
    txId: id,
    creatorSignatureOk: creator.ok,
    ...(creator.error ? { creatorError: creator.error } : {}),
    endorsements: Object.freeze(endorsements),
    signaturesOk: creator.ok && endorsements.every((e) => e.signatureOk),
  });
}

/**
 * The per-envelope signature report of a block, in order. Pass the `txIds` that verifyBlock
 * returned to skip recomputing them.
 */
export function verifyEnvelopes(block: Block, txIds?: readonly Hex[]): readonly EnvelopeReport[] {
  if (block === null || typeof block !== 'object' || !Array.isArray(block.envelopes)) {
    throw new TypeError('verifyEnvelopes: block expected');
  }
  if (txIds !== undefined && (!Array.isArray(txIds) || txIds.length !== block.envelopes.length)) {
    throw new TypeError('verifyEnvelopes: txIds must list one txId per envelope');
  }
  return Object.freeze(block.envelopes.map((envelope, i) => verifyEnvelope(envelope, i, txIds?.[i])));
}

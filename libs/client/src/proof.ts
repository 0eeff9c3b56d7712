/**
 * Exported transaction inclusion proofs (docs/client.md, "Inclusion proofs"): a self-contained
 * JSON document that shows a transaction is in a block, checkable offline. Browser-safe.
 *
 *   { channel, blockNumber, blockHash, header, txIndex, txId, envelopeHash, auditPath,
 *     treeSize, code?, envelope?, checkpoint? }
 *
 * Checked: the header's hash is blockHash and it names the channel and number; the leaf
 * SHA-256(0x00 ‖ envelopeHash) with the RFC 9162 audit path gives the header's dataHash for
 * leaf txIndex of treeSize = header.txCount leaves; when the envelope is included, its hash is
 * envelopeHash and its payload's hash is txId (otherwise txId is only the peer's word). The
 * header itself is anchored only by something you trust: a block hash you know, or a signed
 * checkpoint at that block by a peer whose key you know. `code` is the peer's word.
 */
import {
  blockHashOf,
  envelopeHash,
  envelopeInclusionProof,
  fromHex,
  merkleLeafHash,
  parseEnvelope,
  toHex,
  txIdOf,
  ValidationCode,
  verifyInclusionProof,
  type Block,
  type BlockHeader,
  type Envelope,
  type Hex,
} from '@civic/protocol';
import { parseCheckpoint, verifyCheckpoint, type Checkpoint, type PeerKey } from './checkpoint.js';
import { ClientError, ProofFormatError } from './errors.js';
import { readChannel, readCount, readHeaderField, readHexField, readObject, type Fail } from './json-read.js';

export interface TxInclusionProof {
  readonly channel: string;
  readonly blockNumber: number;
  /** hex(H(header)). */
  readonly blockHash: Hex;
  readonly header: BlockHeader;
  /** Position of the envelope in the block: the Merkle leaf index. */
  readonly txIndex: number;
  readonly txId: Hex;
  /** hex(H(envelope)): the data of the Merkle leaf. */
  readonly envelopeHash: Hex;
  /** RFC 9162 audit path, leaf side first. */
  readonly auditPath: readonly Hex[];
  /** Leaves in the tree: the block's txCount. */
  readonly treeSize: number;
  /** The validation code the peer assigned (its word, not proven by the path). */
  readonly code?: ValidationCode;
  /** The envelope itself: binds txId to the leaf and lets a reader see the transaction. */
  readonly envelope?: Envelope;
  /** A checkpoint signed by the peer that exported the proof. */
  readonly checkpoint?: Checkpoint;
}

const KEYS = [
  'channel',
  'blockNumber',
  'blockHash',
  'header',
  'txIndex',
  'txId',
  'envelopeHash',
  'auditPath',
  'treeSize',
  'code',
  'envelope',
  'checkpoint',
];
const REQUIRED = KEYS.slice(0, 9);
/** An audit path has one hash per tree level; blocks hold at most 10 000 envelopes (14 levels). */
const AUDIT_PATH_MAX = 64;
const CODES: ReadonlySet<string> = new Set(Object.values(ValidationCode));

const fail: Fail = (path, reason) => {
  throw new ProofFormatError(path, reason);
};

const PEER_REPLY_KEYS = [
  'found',
  'txId',
  'block',
  'txIndex',
  'code',
  'header',
  'blockHash',
  'envelope',
  'proof',
];

/**
 * The peer's `proof` query answer (libs/ledger ProofReply: `{found, txId, block, txIndex,
 * code, header, blockHash, envelope, proof: {leafIndex, treeSize, path}}`) in the exported
 * format. Only the shape is converted here; verifyTxProof checks everything.
 */
export function txProofFromPeerReply(value: unknown): Record<string, unknown> {
  const r = readObject(value, '', fail, PEER_REPLY_KEYS);
  const inclusion = readObject(r.proof, 'proof', fail, ['leafIndex', 'treeSize', 'path']);
  if (inclusion.leafIndex !== r.txIndex) fail('proof.leafIndex', 'is not txIndex');
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(r.envelope);
  } catch (cause) {
    throw new ProofFormatError('envelope', (cause as Error).message, { cause });
  }
  const header = readHeaderField(r.header, 'header', fail);
  return {
    channel: header.channel,
    blockNumber: r.block,
    blockHash: r.blockHash,
    header,
    txIndex: r.txIndex,
    txId: r.txId,
    envelopeHash: toHex(envelopeHash(envelope)),
    auditPath: inclusion.path,
    treeSize: inclusion.treeSize,
    ...(r.code === undefined ? {} : { code: r.code }),
    envelope,
  };
}

function readJson(input: unknown): unknown {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input;
  try {
    return JSON.parse(
      typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input),
    );
  } catch (cause) {
    throw new ProofFormatError('', 'is not JSON', { cause });
  }
}

/**
 * Checks an exported proof's shape (JSON text, bytes or value; the peer's proof answer is
 * accepted too and converted); ProofFormatError names the member.
 */
export function parseTxProof(input: unknown): TxInclusionProof {
  let value = readJson(input);
  if (value !== null && typeof value === 'object' && 'proof' in value && 'block' in value) {
    value = txProofFromPeerReply(value);
  }
  const p = readObject(value, '', fail, KEYS);
  for (const key of REQUIRED) if (!(key in p)) fail(key, 'is missing');
  if (!Array.isArray(p.auditPath) || p.auditPath.length > AUDIT_PATH_MAX) {
    fail('auditPath', `must be an array of at most ${AUDIT_PATH_MAX} hashes`);
  }
  const auditPath = p.auditPath.map((hash: unknown, i) => readHexField(hash, `auditPath[${i}]`, fail));
  if (p.code !== undefined && (typeof p.code !== 'string' || !CODES.has(p.code)))
    fail('code', 'is not a validation code');
  let envelope: Envelope | undefined;
  if (p.envelope !== undefined) {
    try {
      envelope = parseEnvelope(p.envelope);
    } catch (cause) {
      throw new ProofFormatError('envelope', (cause as Error).message, { cause });
    }
  }
  let checkpoint: Checkpoint | undefined;
  if (p.checkpoint !== undefined) {
    try {
      checkpoint = parseCheckpoint(p.checkpoint);
    } catch (cause) {
      throw new ProofFormatError('checkpoint', (cause as Error).message, { cause });
    }
  }
  return Object.freeze({
    channel: readChannel(p.channel, 'channel', fail),
    blockNumber: readCount(p.blockNumber, 'blockNumber', fail),
    blockHash: readHexField(p.blockHash, 'blockHash', fail),
    header: readHeaderField(p.header, 'header', fail),
    txIndex: readCount(p.txIndex, 'txIndex', fail),
    txId: readHexField(p.txId, 'txId', fail),
    envelopeHash: readHexField(p.envelopeHash, 'envelopeHash', fail),
    auditPath: Object.freeze(auditPath),
    treeSize: readCount(p.treeSize, 'treeSize', fail, 1),
    ...(p.code === undefined ? {} : { code: p.code as ValidationCode }),
    ...(envelope === undefined ? {} : { envelope }),
    ...(checkpoint === undefined ? {} : { checkpoint }),
  });
}

/** Why a proof fails. */
export const ProofFailure = {
  MALFORMED: 'MALFORMED',
  CHANNEL_MISMATCH: 'CHANNEL_MISMATCH',
  NUMBER_MISMATCH: 'NUMBER_MISMATCH',
  BLOCK_HASH_MISMATCH: 'BLOCK_HASH_MISMATCH',
  TREE_SIZE_MISMATCH: 'TREE_SIZE_MISMATCH',
  ENVELOPE_MISMATCH: 'ENVELOPE_MISMATCH',
  TXID_MISMATCH: 'TXID_MISMATCH',
  AUDIT_PATH_MISMATCH: 'AUDIT_PATH_MISMATCH',
  NOT_TRUSTED: 'NOT_TRUSTED',
  CHECKPOINT_INVALID: 'CHECKPOINT_INVALID',
  CHECKPOINT_MISMATCH: 'CHECKPOINT_MISMATCH',
} as const;
export type ProofFailure = (typeof ProofFailure)[keyof typeof ProofFailure];

/** How the header is tied to something the reader trusts, when it is. */
export type ProofAnchor =
  | { readonly by: 'trusted-hash' }
  | { readonly by: 'checkpoint'; readonly peerId: string; readonly height: number };

export type TxProofCheck =
  | {
      readonly ok: true;
      readonly proof: TxInclusionProof;
      /** True when the envelope was included and its payload hashes to txId. */
      readonly txIdBound: boolean;
      /** null: consistent, but the header is not tied to anything given as trusted. */
      readonly anchor: ProofAnchor | null;
      /** What could not be anchored and why (e.g. a checkpoint at another height). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly failure: ProofFailure; readonly reason: string };

export interface TxProofOptions {
  /** Block hashes you trust by number (from your own verified chain or an earlier check). */
  readonly trustedBlockHashes?: ReadonlyMap<number, Hex> | Readonly<Record<number, Hex>>;
  /** The key of the peer whose checkpoint (in the proof) you accept. */
  readonly checkpointKey?: PeerKey;
  /** A checkpoint you kept and verified earlier. */
  readonly trustedCheckpoint?: Checkpoint;
  /** Refuse a proof that is not anchored (default false: report anchor null). */
  readonly requireAnchor?: boolean;
}

class ProofCheckFailure extends ClientError {
  override readonly name = 'ProofCheckFailure';
  constructor(
    readonly failure: ProofFailure,
    reason: string,
  ) {
    super(reason);
  }
}

function refuse(failure: ProofFailure, reason: string): never {
  throw new ProofCheckFailure(failure, reason);
}

function trustedHash(options: TxProofOptions, number: number): Hex | undefined {
  const hashes = options.trustedBlockHashes;
  if (hashes === undefined) return undefined;
  return hashes instanceof Map ? hashes.get(number) : (hashes as Record<number, Hex>)[number];
}

function checkCore(proof: TxInclusionProof): boolean {
  const { header } = proof;
  if (header.channel !== proof.channel) {
    refuse(
      ProofFailure.CHANNEL_MISMATCH,
      `header.channel ${header.channel} but the proof is for ${proof.channel}`,
    );
  }
  if (header.number !== proof.blockNumber) {
    refuse(
      ProofFailure.NUMBER_MISMATCH,
      `header.number ${header.number} but blockNumber ${proof.blockNumber}`,
    );
  }
  const hash = blockHashOf(header);
  if (hash !== proof.blockHash) {
    refuse(
      ProofFailure.BLOCK_HASH_MISMATCH,
      `the header hashes to ${hash}, not blockHash ${proof.blockHash}`,
    );
  }
  if (proof.treeSize !== header.txCount || proof.txIndex >= proof.treeSize) {
    refuse(
      ProofFailure.TREE_SIZE_MISMATCH,
      `txIndex ${proof.txIndex} of treeSize ${proof.treeSize}, but the block has ${header.txCount} transactions`,
    );
  }
  let txIdBound = false;
  if (proof.envelope !== undefined) {
    const own = toHex(envelopeHash(proof.envelope));
    if (own !== proof.envelopeHash) {
      refuse(
        ProofFailure.ENVELOPE_MISMATCH,
        `the envelope hashes to ${own}, not envelopeHash ${proof.envelopeHash}`,
      );
    }
    const txId = txIdOf(proof.envelope.payload);
    if (txId !== proof.txId)
      refuse(ProofFailure.TXID_MISMATCH, `the envelope's txId is ${txId}, not ${proof.txId}`);
    if (proof.envelope.payload.channel !== proof.channel) {
      refuse(ProofFailure.CHANNEL_MISMATCH, `the envelope is for channel ${proof.envelope.payload.channel}`);
    }
    txIdBound = true;
  }
  const leaf = toHex(merkleLeafHash(fromHex(proof.envelopeHash)));
  const path = { leafIndex: proof.txIndex, treeSize: proof.treeSize, path: proof.auditPath };
  if (!verifyInclusionProof(leaf, path, header.dataHash)) {
    refuse(
      ProofFailure.AUDIT_PATH_MISMATCH,
      `the audit path does not lead from leaf ${proof.txIndex} to the header's dataHash ${header.dataHash}`,
    );
  }
  return txIdBound;
}

function anchorTo(checkpoint: Checkpoint, proof: TxInclusionProof, notes: string[]): ProofAnchor | null {
  if (checkpoint.channel !== proof.channel) {
    refuse(ProofFailure.CHECKPOINT_MISMATCH, `the checkpoint is for channel ${checkpoint.channel}`);
  }
  if (checkpoint.height !== proof.blockNumber) {
    notes.push(
      `the checkpoint of ${checkpoint.peerId} is at block ${checkpoint.height}, not ${proof.blockNumber}: it does not anchor this header`,
    );
    return null;
  }
  if (checkpoint.blockHash !== proof.blockHash) {
    refuse(
      ProofFailure.CHECKPOINT_MISMATCH,
      `${checkpoint.peerId}'s checkpoint at block ${checkpoint.height} has blockHash ${checkpoint.blockHash}, not ${proof.blockHash}`,
    );
  }
  return { by: 'checkpoint', peerId: checkpoint.peerId, height: checkpoint.height };
}

function findAnchor(
  proof: TxInclusionProof,
  options: TxProofOptions,
): { anchor: ProofAnchor | null; notes: string[] } {
  const notes: string[] = [];
  let anchor: ProofAnchor | null = null;
  const known = trustedHash(options, proof.blockNumber);
  if (known !== undefined) {
    if (known !== proof.blockHash) {
      refuse(
        ProofFailure.NOT_TRUSTED,
        `block ${proof.blockNumber} is ${known} in the trusted chain, not ${proof.blockHash}`,
      );
    }
    anchor = { by: 'trusted-hash' };
  }
  if (options.trustedCheckpoint !== undefined)
    anchor = anchorTo(options.trustedCheckpoint, proof, notes) ?? anchor;
  if (proof.checkpoint !== undefined) {
    if (options.checkpointKey === undefined) {
      notes.push(
        `the proof carries a checkpoint of ${proof.checkpoint.peerId}, not checked: no peer key given`,
      );
    } else {
      let checkpoint: Checkpoint;
      try {
        checkpoint = verifyCheckpoint(proof.checkpoint, options.checkpointKey);
      } catch (error) {
        refuse(ProofFailure.CHECKPOINT_INVALID, (error as Error).message);
      }
      anchor = anchorTo(checkpoint, proof, notes) ?? anchor;
    }
  }
  if (anchor === null && options.requireAnchor === true) {
    refuse(
      ProofFailure.NOT_TRUSTED,
      `block ${proof.blockNumber}'s header is not tied to a trusted hash or checkpoint`,
    );
  }
  return { anchor, notes };
}

/**
 * Checks an exported inclusion proof offline (JSON text, bytes or value). Never throws for a
 * bad proof: the result says which check failed and why.
 */
export function verifyTxProof(input: unknown, options: TxProofOptions = {}): TxProofCheck {
  let proof: TxInclusionProof;
  try {
    proof = parseTxProof(input);
  } catch (error) {
    if (error instanceof ProofFormatError)
      return { ok: false, failure: ProofFailure.MALFORMED, reason: error.message };
    throw error;
  }
  try {
    const txIdBound = checkCore(proof);
    const { anchor, notes } = findAnchor(proof, options);
    return { ok: true, proof, txIdBound, anchor, notes: Object.freeze(notes) };
  } catch (error) {
    if (error instanceof ProofCheckFailure)
      return { ok: false, failure: error.failure, reason: error.message };
    throw error;
  }
}

/** Builds the exported proof of envelope `txIndex` of a block (peers and tests use it). */
export function buildTxProof(
  block: Block,
  txIndex: number,
  extra: {
    readonly code?: ValidationCode;
    readonly checkpoint?: Checkpoint;
    readonly includeEnvelope?: boolean;
  } = {},
): TxInclusionProof {
  const envelope = block.envelopes[txIndex];
  if (envelope === undefined)
    throw new RangeError(`buildTxProof: no envelope ${txIndex} in block ${block.header.number}`);
  const inclusion = envelopeInclusionProof(block, txIndex);
  return Object.freeze({
    channel: block.header.channel,
    blockNumber: block.header.number,
    blockHash: blockHashOf(block.header),
    header: block.header,
    txIndex,
    txId: txIdOf(envelope.payload),
    envelopeHash: toHex(envelopeHash(envelope)),
    auditPath: inclusion.path,
    treeSize: block.envelopes.length,
    ...(extra.code === undefined ? {} : { code: extra.code }),
    ...(extra.includeEnvelope === false ? {} : { envelope }),
    ...(extra.checkpoint === undefined ? {} : { checkpoint: extra.checkpoint }),
  });
}

/**
 * Block hashes, building and signing (docs/protocol.md, "Block"). `blockHash = hex(H(header))`
 * chains the headers; consenters sign the 32 raw bytes of the blockHash, as the wire contract
 * says. The metadata (Raft position, config in force) is therefore not signed: verifiers check
 * it against what they know instead (the config in force, the previous block's Raft position).
 */
import { assertBlock } from './block-shape.js';
import { bytesEqual } from './bytes.js';
import { signEd25519, type Ed25519KeyPair } from './ed25519.js';
import { envelopeDigests } from './envelope.js';
import { hashCanonicalHex, ZERO_HASH_HEX } from './hash.js';
import { fromHex, isHex, toHex } from './hex.js';
import { merkleInclusionProof, merkleLeafHash, merkleRoot, verifyInclusionProof } from './merkle.js';
import { readMetadata } from './parse/block.js';
import { parseBlock, resolveLimits, type ParseOptions } from './parse/index.js';
import { formatRfc3339Ms } from './time.js';
import type { Block, BlockHeader, BlockMetadata, Envelope, Hex, InclusionProof } from './types.js';
import { certificatePublicKey } from './x509.js';

/** `hex(H(header))`. */
export function blockHashOf(header: BlockHeader): Hex {
  if (header === null || typeof header !== 'object') throw new TypeError('blockHashOf: header expected');
  return hashCanonicalHex(header);
}

/** What consenters sign: the 32 raw bytes of the blockHash. */
export function blockSigningHash(block: Block): Uint8Array {
  assertBlock(block, 'blockSigningHash');
  return fromHex(blockHashOf(block.header));
}

/** The Merkle leaf hashes of a block's envelopes: SHA-256(0x00 ‖ H(envelope)). */
export function envelopeLeafHashes(envelopes: readonly Envelope[]): Uint8Array[] {
  if (!Array.isArray(envelopes)) throw new TypeError('envelopeLeafHashes: envelope list expected');
  return envelopes.map((envelope) => merkleLeafHash(envelopeDigests(envelope).envelopeHash));
}

/** The block's `dataHash`: the Merkle root over its envelopes, hex. */
export function dataHashOf(envelopes: readonly Envelope[]): Hex {
  return toHex(merkleRoot(envelopeLeafHashes(envelopes)));
}

export interface BlockFields {
  readonly channel: string;
  readonly number: number;
  /** The previous block's hash; 64 zeros for block 0. */
  readonly previousHash: Hex;
  readonly envelopes: readonly Envelope[];
  /** The leader's clock when it cut the block: RFC 3339 with milliseconds, a Date or epoch ms. */
  readonly time: string | Date | number;
  readonly raft: BlockMetadata['raft'];
  readonly configNumber: number;
}

/**
 * An unsigned block over `envelopes` (dataHash and txCount computed). Checked by the strict
 * parser, so a ParseError names anything malformed; signing comes next (signBlock).
 */
export function buildBlock(fields: BlockFields, options: ParseOptions = {}): Block {
  if (fields === null || typeof fields !== 'object' || !Array.isArray(fields.envelopes)) {
    throw new TypeError('buildBlock: fields with an envelope list expected');
  }
  if (fields.number === 0 && fields.previousHash !== ZERO_HASH_HEX) {
    throw new RangeError('buildBlock: block 0 has previousHash 64 zeros');
  }
  const time = typeof fields.time === 'string' ? fields.time : formatRfc3339Ms(fields.time);
  const block = {
    header: {
      channel: fields.channel,
      number: fields.number,
      previousHash: fields.previousHash,
      dataHash: dataHashOf(fields.envelopes),
      txCount: fields.envelopes.length,
      time,
    },
    envelopes: fields.envelopes,
    metadata: { signatures: [], raft: fields.raft, configNumber: fields.configNumber },
  };
  return parseBlock(block, options);
}

/** A consenter that signs blocks: node id, organisation, certificate and its key. */
export interface BlockSigner {
  readonly nodeId: string;
  readonly mspId: string;
  readonly cert: string;
  readonly key: Ed25519KeyPair;
}

/**
 * The block with `signer`'s signature appended: a new frozen block sharing the header and
 * envelopes of `block`, which must come from buildBlock or parseBlock (frozen) so that only
 * the new metadata needs checking.
 */
export function signBlock(block: Block, signer: BlockSigner, options: ParseOptions = {}): Block {
  assertBlock(block, 'signBlock');
  if (!Object.isFrozen(block) || !Object.isFrozen(block.header)) {
    throw new TypeError('signBlock: sign a block made by buildBlock or parseBlock');
  }
  if (
    signer === null ||
    typeof signer !== 'object' ||
    !signer.key ||
    !(signer.key.publicKey instanceof Uint8Array)
  ) {
    throw new TypeError('signBlock: signer {nodeId, mspId, cert, key} expected');
  }
  if (!bytesEqual(certificatePublicKey(signer.cert), signer.key.publicKey)) {
    throw new RangeError('signBlock: the key is not the one in the certificate');
  }
  if (block.metadata.signatures.some((s) => s.nodeId === signer.nodeId)) {
    throw new RangeError(`signBlock: ${signer.nodeId} has signed this block already`);
  }
  const signature = toHex(signEd25519(blockSigningHash(block), signer.key));
  const entry = { nodeId: signer.nodeId, mspId: signer.mspId, cert: signer.cert, signature };
  const metadata = { ...block.metadata, signatures: [...block.metadata.signatures, entry] };
  const limits = resolveLimits(options.limits);
  return Object.freeze({ ...block, metadata: readMetadata(metadata, 'metadata', limits) });
}

/** Inclusion proof of envelope `index` in the block's dataHash. */
export function envelopeInclusionProof(block: Block, index: number): InclusionProof {
  assertBlock(block, 'envelopeInclusionProof');
  return merkleInclusionProof(envelopeLeafHashes(block.envelopes), index);
}

/** True when `proof` shows `envelope` in the tree whose root is `dataHash`. */
export function verifyEnvelopeInclusion(envelope: Envelope, proof: InclusionProof, dataHash: Hex): boolean {
  if (!isHex(dataHash, 32)) return false;
  const leaf = merkleLeafHash(envelopeDigests(envelope).envelopeHash);
  return verifyInclusionProof(toHex(leaf), proof, dataHash);
}

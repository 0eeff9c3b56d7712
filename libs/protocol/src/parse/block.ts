/**
 * The strict parser of blocks (docs/protocol.md, "Block").
 */
import { canonicalize } from '../canonical-json.js';
import { ED25519_SIGNATURE_BYTES } from '../ed25519.js';
import type { Block, BlockHeader, BlockMetadata, BlockSignature, Envelope } from '../types.js';
import {
  expectArray,
  expectCertificate,
  expectCount,
  expectHex,
  expectName,
  expectObject,
  expectTime,
  fieldPath,
  checkSize,
  itemPath,
} from './checks.js';
import { readEnvelope } from './envelope.js';
import type { Read } from './payload.js';
import { BadValueError, TooLargeError } from './errors.js';
import type { ProtocolLimits } from './limits.js';

const HASH_BYTES = 32;

export function readBlock(value: unknown, path: string, limits: ProtocolLimits): Read<Block> {
  const o = expectObject(value, path, ['header', 'envelopes', 'metadata']);
  const header = readHeader(o.header, fieldPath(path, 'header'));
  const envelopesPath = fieldPath(path, 'envelopes');
  const items = expectArray(o.envelopes, envelopesPath, limits.envelopesMax);
  const envelopes: Envelope[] = [];
  const texts: string[] = [];
  let chars = 0;
  for (let i = 0; i < items.length; i++) {
    const read = readEnvelope(items[i], itemPath(envelopesPath, i), limits);
    // Stop early on a block far over the limit (a character is at least one byte).
    chars += read.text.length;
    if (chars > limits.blockBytesMax)
      throw new TooLargeError(path, `block is over ${limits.blockBytesMax} bytes`);
    envelopes.push(read.value);
    texts.push(read.text);
  }
  const metadata = readMetadata(o.metadata, fieldPath(path, 'metadata'), limits);
  const block: Block = { header, envelopes: Object.freeze(envelopes), metadata };
  const text = canonicalBlockText(texts, canonicalize(header), canonicalize(metadata));
  checkSize(text, limits.blockBytesMax, path, 'block');
  return { value: Object.freeze(block), text };
}

/**
 * A block's canonical JSON text from the canonical texts of its parts: RFC 8785 sorts the members
 * as envelopes < header < metadata and adds no whitespace, so the whole is the parts joined. Lets
 * a store that keeps the parts' texts give back the exact wire form without re-encoding.
 */
export function canonicalBlockText(
  envelopeTexts: readonly string[],
  headerText: string,
  metadataText: string,
): string {
  return `{"envelopes":[${envelopeTexts.join(',')}],"header":${headerText},"metadata":${metadataText}}`;
}

export function readHeader(value: unknown, path: string): BlockHeader {
  const o = expectObject(value, path, ['channel', 'number', 'previousHash', 'dataHash', 'txCount', 'time']);
  return Object.freeze({
    channel: expectName('CHANNEL', o.channel, fieldPath(path, 'channel')),
    number: expectCount(o.number, fieldPath(path, 'number')),
    previousHash: expectHex(o.previousHash, fieldPath(path, 'previousHash'), HASH_BYTES),
    dataHash: expectHex(o.dataHash, fieldPath(path, 'dataHash'), HASH_BYTES),
    txCount: expectCount(o.txCount, fieldPath(path, 'txCount')),
    time: expectTime(o.time, fieldPath(path, 'time')),
  });
}

export function readMetadata(value: unknown, path: string, limits: ProtocolLimits): BlockMetadata {
  const o = expectObject(value, path, ['signatures', 'raft', 'configNumber']);
  const raft = expectObject(o.raft, fieldPath(path, 'raft'), ['term', 'index']);
  return Object.freeze({
    signatures: readSignatures(o.signatures, fieldPath(path, 'signatures'), limits),
    raft: Object.freeze({
      term: expectCount(raft.term, fieldPath(path, 'raft.term')),
      index: expectCount(raft.index, fieldPath(path, 'raft.index')),
    }),
    configNumber: expectCount(o.configNumber, fieldPath(path, 'configNumber')),
  });
}

function readSignatures(value: unknown, path: string, limits: ProtocolLimits): readonly BlockSignature[] {
  const seen = new Set<string>();
  return Object.freeze(
    expectArray(value, path, limits.signaturesMax).map((item, i) => {
      const at = itemPath(path, i);
      const o = expectObject(item, at, ['nodeId', 'mspId', 'cert', 'signature']);
      const nodeId = expectName('NODE_ID', o.nodeId, fieldPath(at, 'nodeId'));
      if (seen.has(nodeId))
        throw new BadValueError(fieldPath(at, 'nodeId'), `consenter ${nodeId} signs twice`);
      seen.add(nodeId);
      return Object.freeze({
        nodeId,
        mspId: expectName('MSP_ID', o.mspId, fieldPath(at, 'mspId')),
        cert: expectCertificate(o.cert, fieldPath(at, 'cert')),
        signature: expectHex(o.signature, fieldPath(at, 'signature'), ED25519_SIGNATURE_BYTES),
      });
    }),
  );
}

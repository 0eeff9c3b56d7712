import {
  blockHashOf,
  blockSigningHash,
  canonicalize,
  merkleLeafHash,
  merkleRoot,
  signEd25519,
  toHex,
  type Block,
  type BlockHeader,
  type BlockMetadata,
  type BlockSigner,
  type Hex,
} from '@civic/protocol';

/**
 * Builds a signed block's canonical bytes straight from its envelopes' canonical bytes.
 * protocol's buildBlock/signBlock/serializeBlock parse and canonicalise every envelope again
 * (three passes over up to 900 kB per block); the leader already holds each envelope's
 * canonical bytes and hash from intake, and RFC 8785 orders the block's members
 * `envelopes` < `header` < `metadata`, so the block's canonical JSON is a concatenation.
 * The result is byte-identical to serializeBlock(signBlock(buildBlock(…))) (tested).
 */
export interface BlockDraft {
  readonly channel: string;
  readonly number: number;
  readonly previousHash: Hex;
  /** RFC 3339 with milliseconds. */
  readonly time: string;
  readonly raft: BlockMetadata['raft'];
  readonly configNumber: number;
  readonly envelopes: readonly { readonly bytes: Uint8Array; readonly envelopeHash: Uint8Array }[];
}

export interface AssembledBlock {
  readonly bytes: Uint8Array;
  readonly header: BlockHeader;
  readonly metadata: BlockMetadata;
  readonly blockHash: Hex;
}

const utf8 = new TextEncoder();
const OPEN = utf8.encode('{"envelopes":[');
const COMMA = utf8.encode(',');

export function assembleSignedBlock(draft: BlockDraft, signer: BlockSigner): AssembledBlock {
  const leaves = draft.envelopes.map((e) => merkleLeafHash(e.envelopeHash));
  const header: BlockHeader = {
    channel: draft.channel,
    number: draft.number,
    previousHash: draft.previousHash,
    dataHash: toHex(merkleRoot(leaves)),
    txCount: draft.envelopes.length,
    time: draft.time,
  };
  const unsigned: Block = {
    header,
    envelopes: [],
    metadata: { signatures: [], raft: draft.raft, configNumber: draft.configNumber },
  };
  const signature = toHex(signEd25519(blockSigningHash(unsigned), signer.key));
  const metadata: BlockMetadata = {
    signatures: [{ nodeId: signer.nodeId, mspId: signer.mspId, cert: signer.cert, signature }],
    raft: draft.raft,
    configNumber: draft.configNumber,
  };
  const tail = utf8.encode(`],"header":${canonicalize(header)},"metadata":${canonicalize(metadata)}}`);
  let size = OPEN.length + tail.length + Math.max(0, draft.envelopes.length - 1);
  for (const e of draft.envelopes) size += e.bytes.length;
  const bytes = new Uint8Array(size);
  bytes.set(OPEN, 0);
  let at = OPEN.length;
  draft.envelopes.forEach((e, i) => {
    if (i > 0) {
      bytes.set(COMMA, at);
      at += 1;
    }
    bytes.set(e.bytes, at);
    at += e.bytes.length;
  });
  bytes.set(tail, at);
  return { bytes, header, metadata, blockHash: blockHashOf(header) };
}

/**
 * The wire types of the contract (docs/protocol.md). These are plain JSON shapes: what goes on
 * NATS, into block files and into the database is exactly these objects, canonicalised.
 */

/** Hex strings: 64 characters for hashes and txIds, 128 for signatures. */
export type Hex = string;
/** Base64 of an X.509 certificate's DER. */
export type CertBase64 = string;
/** RFC 3339 UTC time with milliseconds, e.g. `2026-11-28T10:07:29.123Z`. */
export type Rfc3339 = string;

export const TxType = { TX: 'tx', CONFIG: 'config' } as const;
export type TxType = (typeof TxType)[keyof typeof TxType];

export interface Creator {
  readonly mspId: string;
  readonly cert: CertBase64;
}

/** A key the transaction read, with the version it saw (`"<block>:<tx>"`, or null when absent). */
export interface ReadEntry {
  readonly key: string;
  readonly version: string | null;
}

export interface PutWrite {
  readonly key: string;
  readonly value: unknown;
}

export interface DeleteWrite {
  readonly key: string;
  readonly delete: true;
}

export type WriteEntry = PutWrite | DeleteWrite;

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/** A salted hash of personal data kept off-chain in a department's private store. */
export interface PrivateDataHash {
  readonly collection: string;
  readonly key: string;
  readonly hash: Hex;
}

export interface TxPayload {
  readonly type: TxType;
  readonly channel: string;
  readonly namespace: string;
  readonly action: string;
  readonly txTime: Rfc3339;
  readonly nonce: Hex;
  readonly creator: Creator;
  readonly reads: readonly ReadEntry[];
  readonly writes: readonly WriteEntry[];
  readonly event: DomainEvent;
  readonly private?: readonly PrivateDataHash[];
}

export interface Endorsement {
  readonly mspId: string;
  readonly cert: CertBase64;
  /** Ed25519 over the 32 raw bytes of the txId. */
  readonly signature: Hex;
}

export interface Envelope {
  readonly payload: TxPayload;
  /** The creator's Ed25519 signature over the 32 raw bytes of the txId. */
  readonly signature: Hex;
  readonly endorsements: readonly Endorsement[];
}

export interface BlockHeader {
  readonly channel: string;
  readonly number: number;
  readonly previousHash: Hex;
  /** Merkle root (RFC 6962 shape) over the envelopes. */
  readonly dataHash: Hex;
  readonly txCount: number;
  readonly time: Rfc3339;
}

export interface BlockSignature {
  readonly nodeId: string;
  readonly mspId: string;
  readonly cert: CertBase64;
  /** Ed25519 over the 32 raw bytes of the blockHash. */
  readonly signature: Hex;
}

export interface BlockMetadata {
  readonly signatures: readonly BlockSignature[];
  readonly raft: { readonly term: number; readonly index: number };
  /** Number of the config block in force when this block was cut (0 for the genesis block). */
  readonly configNumber: number;
}

export interface Block {
  readonly header: BlockHeader;
  readonly envelopes: readonly Envelope[];
  readonly metadata: BlockMetadata;
}

export const ValidationCode = {
  VALID: 'VALID',
  MALFORMED: 'MALFORMED',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  UNKNOWN_IDENTITY: 'UNKNOWN_IDENTITY',
  EXPIRED_IDENTITY: 'EXPIRED_IDENTITY',
  WRITER_NOT_ALLOWED: 'WRITER_NOT_ALLOWED',
  ENDORSEMENT_POLICY_FAILURE: 'ENDORSEMENT_POLICY_FAILURE',
  MVCC_READ_CONFLICT: 'MVCC_READ_CONFLICT',
  DUPLICATE_TXID: 'DUPLICATE_TXID',
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

/** What a peer publishes on `civic.<channel>.commits.<peerId>` after committing a block. */
export interface CommitReceipt {
  readonly number: number;
  readonly blockHash: Hex;
  readonly commitHash: Hex;
  /** txId → code; for a txId repeated in the block, the code of its first occurrence. */
  readonly codes: Readonly<Record<string, ValidationCode>>;
}

/** Reply on `civic.<channel>.tx.submit`. */
export type SubmitReply =
  | { readonly status: 'ACCEPTED'; readonly txId: Hex }
  | { readonly status: 'REJECTED'; readonly code: string; readonly reason: string; readonly txId?: Hex };

/** A consenter of the config in force: who may sign blocks (from the channel config). */
export interface Consenter {
  readonly nodeId: string;
  readonly mspId: string;
  readonly cert: CertBase64;
}

/** RFC 6962 audit path: proves that a leaf is at `leafIndex` of a tree of `treeSize` leaves. */
export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes from the leaf up to the root, lowercase hex. */
  readonly path: readonly Hex[];
}

/** RFC 9162 §2.1.4 consistency proof: the tree of `oldSize` leaves is a prefix of the one of `newSize`. */
export interface ConsistencyProof {
  readonly oldSize: number;
  readonly newSize: number;
  readonly path: readonly Hex[];
}

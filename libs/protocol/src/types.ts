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

/** Reply on `civic.<channel>.tx.submit`. `code` is a {@link SubmitCode} (a string on the wire). */
export type SubmitReply =
  | { readonly status: 'ACCEPTED'; readonly txId: Hex }
  | { readonly status: 'REJECTED'; readonly code: string; readonly reason: string; readonly txId?: Hex };

/**
 * Why `civic.<channel>.tx.submit` refused an envelope (docs/protocol.md, "Submitting
 * transactions"): the contract's validation codes where one applies, plus the orderer's own.
 * Retryable codes say "not now": the same envelope may be submitted again after a short wait.
 * The others say the envelope will never be ordered as it is.
 */
export const SubmitCode = {
  /** Not JSON, not an envelope of the contract, or a field out of its grammar. */
  MALFORMED: ValidationCode.MALFORMED,
  /** The creator's signature over the txId does not verify. */
  BAD_SIGNATURE: ValidationCode.BAD_SIGNATURE,
  /** The creator's organisation is not in the config, or its certificate does not chain to it. */
  UNKNOWN_IDENTITY: ValidationCode.UNKNOWN_IDENTITY,
  /** The creator's certificate is not yet valid, expired, or revoked (the reason says which). */
  EXPIRED_IDENTITY: ValidationCode.EXPIRED_IDENTITY,
  /** The namespace is not in the config, or its writers policy does not admit the creator. */
  WRITER_NOT_ALLOWED: ValidationCode.WRITER_NOT_ALLOWED,
  /** The txId is in the chain or already accepted (within the duplicate window). */
  DUPLICATE_TXID: ValidationCode.DUPLICATE_TXID,
  /** A config transaction whose new config may not follow the one in force (rules, sequence, read version). */
  INVALID_CONFIG: ValidationCode.INVALID_CONFIG,
  /** The envelope is larger than the config's `batch.absoluteMaxBytes`. */
  TOO_LARGE: 'TOO_LARGE',
  /** The payload names another channel than the one it was submitted on. */
  WRONG_CHANNEL: 'WRONG_CHANNEL',
  /** `txTime` is further from the orderer's clock than the duplicate window allows. */
  TX_TIME_OUT_OF_WINDOW: 'TX_TIME_OUT_OF_WINDOW',
  /** A config transaction the admins policy does not allow, or that would cost the cluster its quorum. */
  CONFIG_NOT_ALLOWED: 'CONFIG_NOT_ALLOWED',
  /** Retryable: another config transaction or membership change is still being ordered. */
  CONFIG_PENDING: 'CONFIG_PENDING',
  /** Retryable: this orderer is starting, or a new leader is still applying its log. */
  NOT_READY: 'NOT_READY',
  /** Retryable: no leader is known right now (an election is running). */
  NO_LEADER: 'NO_LEADER',
  /** Retryable: a forwarded envelope reached an orderer that is no longer the leader. */
  NOT_LEADER: 'NOT_LEADER',
  /** Retryable: the leader's queues are full (back-pressure). */
  OVERLOADED: 'OVERLOADED',
} as const;
export type SubmitCode = (typeof SubmitCode)[keyof typeof SubmitCode];

/** The submit codes that mean "not now": resubmit the same envelope after a short wait. */
export const RETRYABLE_SUBMIT_CODES: ReadonlySet<SubmitCode> = new Set([
  SubmitCode.CONFIG_PENDING,
  SubmitCode.NOT_READY,
  SubmitCode.NO_LEADER,
  SubmitCode.NOT_LEADER,
  SubmitCode.OVERLOADED,
]);

/** True for a code of {@link RETRYABLE_SUBMIT_CODES} (any other string, known or not, is final). */
export function isRetryableSubmitCode(code: string): boolean {
  return RETRYABLE_SUBMIT_CODES.has(code as SubmitCode);
}

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

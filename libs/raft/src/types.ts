/**
 * The data Raft exchanges and persists. Everything here is plain data (no methods), so that a
 * driver can store it, send it and log it without knowing the state machine's internals.
 *
 * Node ids are strings chosen by the driver (for example "orderer1"): they appear in messages,
 * hard state (the vote) and configurations as they are, so logs and metrics read naturally.
 * Raft never mutates the `Uint8Array` payloads it is given or hands out; neither must the driver.
 */

/** A node's identity in the cluster. Never reuse the id of a removed node. */
export type NodeId = string;

export const EntryType = {
  /** Opaque application data (an orderer block, or empty: the entry a new leader appends). */
  Normal: 'normal',
  /** An encoded {@link ConfChange}; takes effect on each node when it is applied. */
  ConfChange: 'confChange',
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** One slot of the replicated log. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be on disk before any message of the same Ready leaves the node. */
export interface HardState {
  /** The latest term this node has seen. */
  readonly term: number;
  /** Whom this node voted for in `term`, or null. */
  readonly vote: NodeId | null;
  /** The highest log index known to be committed. */
  readonly commit: number;
}

export const Role = {
  Follower: 'follower',
  /** Asking for pre-votes before disturbing the cluster with a real election (thesis §9.6). */
  PreCandidate: 'preCandidate',
  Candidate: 'candidate',
  Leader: 'leader',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Volatile state, handy for the driver (who leads?) and never persisted. */
export interface SoftState {
  readonly role: Role;
  readonly leader: NodeId | null;
}

/** A cluster membership: who votes and who only receives the log. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export const ConfChangeType = {
  /** Add a voter, or promote an existing learner to voter. */
  AddVoter: 'addVoter',
  /** Add a non-voting member that receives the log (catch up before promotion). */
  AddLearner: 'addLearner',
  /** Remove a voter or a learner. */
  RemoveNode: 'removeNode',
} as const;
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];

/** One membership change. Only one may be pending at a time (single-server changes). */
export interface ConfChange {
  readonly type: ConfChangeType;
  readonly nodeId: NodeId;
  /** Opaque bytes for the driver, such as the new node's address or certificate. */
  readonly context?: Uint8Array;
}

export interface SnapshotMetadata {
  /** The last log index the snapshot covers. */
  readonly index: number;
  /** The term of the entry at `index`. */
  readonly term: number;
  /** The membership in force after applying every entry up to `index`. */
  readonly confState: ConfState;
}

/** The application's state up to an index, replacing the log before it. */
export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

export const MessageType = {
  /** Leader → follower: entries after (index, logTerm), and the leader's commit index. */
  App: 'app',
  /** Follower → leader: accepted up to `index`, or rejected with a hint (rejectHint, logTerm). */
  AppResp: 'appResp',
  Vote: 'vote',
  VoteResp: 'voteResp',
  /** Would you vote for me at `term`? Changes nobody's term or vote. */
  PreVote: 'preVote',
  PreVoteResp: 'preVoteResp',
  /** Leader → follower: a snapshot, for a follower whose next entries are compacted away. */
  Snap: 'snap',
  /** Leader → follower: I am alive; you may commit up to `commit`. */
  Heartbeat: 'heartbeat',
  HeartbeatResp: 'heartbeatResp',
  /** Leader → transferee: start an election now (leadership transfer). */
  TimeoutNow: 'timeoutNow',
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * A message between nodes. One flat shape for all types (fields a type does not use are 0,
 * false, empty or null), which keeps the codec and logging simple.
 */
export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term (vote requests and granted vote replies carry the election's term). */
  readonly term: number;
  /** app: term of the entry at `index`; vote: candidate's last term; rejected appResp: hint. */
  readonly logTerm: number;
  /** app: index before `entries`; appResp: last accepted / rejected index; vote: last index. */
  readonly index: number;
  readonly entries: readonly Entry[];
  /** app and heartbeat: the leader's commit index (bounded by what the follower matches). */
  readonly commit: number;
  readonly reject: boolean;
  /** Rejected appResp: the follower's guess of the last index that may match. */
  readonly rejectHint: number;
  readonly snapshot: Snapshot | null;
  /** vote/preVote sent because of a leadership transfer: voters ignore their leader lease. */
  readonly leaderTransfer: boolean;
}

/** Where a proposal landed: it is committed once an entry with this index and term is applied. */
export interface ProposalResult {
  readonly index: number;
  readonly term: number;
}

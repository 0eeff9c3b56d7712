import { RaftConfigError } from './errors.js';
import { fnv1a32 } from './prng.js';
import type { NodeId } from './types.js';

/** Upper bound of the bytes an entry's header adds to its data in a message (see codec.ts). */
export const ENTRY_OVERHEAD_BYTES = 24;

/** Node ids: 1 to 64 characters, letters, digits, '.', '_' and '-', not starting with a sign. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * How a node behaves. Time is counted in ticks: the driver calls `tick()` at a fixed interval
 * (for example every 100 ms), so every timeout below is a number of ticks, never of ms.
 */
export interface RaftConfig {
  /** This node's id; must be a member of the configuration to vote or lead. */
  readonly id: NodeId;

  /**
   * Ticks without hearing from a leader before a follower starts an election; the actual
   * timeout is drawn in [electionTicks, 2 × electionTicks) at every reset. Also the period of
   * check-quorum and the leadership-transfer timeout. Default 10. Smaller: faster failover;
   * larger: fewer needless elections when the network or a process stalls. Must exceed
   * heartbeatTicks (the thesis advises about 10 heartbeats per election timeout).
   */
  readonly electionTicks?: number;

  /**
   * Ticks between the leader's heartbeats. Default 1. Heartbeats also carry the commit index
   * and retry stalled replication, so a smaller value lowers latency after a loss at the cost
   * of more messages.
   */
  readonly heartbeatTicks?: number;

  /**
   * Seed of this node's election-timeout randomization. Default: a hash of the id, which
   * differs between nodes but repeats across restarts; production drivers should pass a fresh
   * random number at each start (timeouts then differ between incarnations as well).
   */
  readonly randomSeed?: number;

  /**
   * Pre-vote (thesis §9.6): a node first asks whether it could win, without raising its term.
   * Default true. Stops a node coming back from a partition from deposing a healthy leader;
   * costs one extra round trip per election.
   */
  readonly preVote?: boolean;

  /**
   * Check-quorum: a leader that has not heard from a majority in electionTicks steps down,
   * and followers that heard a leader within electionTicks ignore vote requests (leader lease).
   * Default true. Ends a partitioned minority leader's reign; may step down on a slow network.
   */
  readonly checkQuorum?: boolean;

  /**
   * Most entry bytes (data + ENTRY_OVERHEAD_BYTES each) per append message; one entry is
   * always sent, however large. Default 983,040 (1 MiB − 64 KiB): an encoded message then
   * stays below NATS's default 1 MiB payload. Smaller: less head-of-line blocking, more
   * messages; larger: better throughput on a fast link.
   */
  readonly maxSizePerMsgBytes?: number;

  /**
   * Largest data a proposal may carry. Default maxSizePerMsgBytes − ENTRY_OVERHEAD_BYTES, so
   * that any single entry fits a message. All nodes of a cluster should use the same value.
   */
  readonly maxEntryBytes?: number;

  /**
   * Most append messages in flight (sent, not acknowledged) to one follower in replicate
   * state. Default 256. Bounds memory and retransmission after a loss; too small limits
   * throughput on a long, fat link.
   */
  readonly maxInflightMsgs?: number;

  /**
   * Most entry bytes in flight to one follower. Default 16 MiB. The byte twin of
   * maxInflightMsgs, for large entries such as ~1 MiB blocks. Must be ≥ maxSizePerMsgBytes.
   */
  readonly maxInflightBytes?: number;

  /**
   * Most bytes of proposed but not yet committed entries the leader accepts; further proposals
   * fail with ProposalDroppedError. Default 64 MiB. Back-pressure for a leader that cannot
   * reach a quorum; the empty entry of a new leader is always accepted.
   */
  readonly maxUncommittedEntriesBytes?: number;

  /**
   * Most committed-entry bytes handed out by one Ready (at least one entry). Default 16 MiB.
   * Bounds the memory of one apply batch; smaller batches mean more ready/advance cycles.
   */
  readonly maxCommittedBytesPerReady?: number;

  /**
   * Most outgoing messages queued between two ready() calls; newer ones are dropped (Raft
   * tolerates loss, and the count shows in status). Default 10,000. Bounds memory when the
   * driver falls behind.
   */
  readonly maxQueuedMessages?: number;

  /**
   * Ticks the leader waits for a follower to acknowledge a snapshot before probing it again
   * (and re-sending the snapshot if still needed). Default 2 × electionTicks. Smaller: faster
   * recovery from a lost snapshot; larger: fewer duplicate snapshot transfers on a slow link.
   */
  readonly snapshotRetryTicks?: number;

  /**
   * On restart, the last index the application had applied (0 for a new node). Entries after
   * it are handed out again as committed entries; membership changes up to it are replayed
   * from the log. Must not exceed the persisted commit index.
   */
  readonly applied?: number;
}

export type ResolvedRaftConfig = { readonly [K in keyof RaftConfig]-?: NonNullable<RaftConfig[K]> };

export const RAFT_DEFAULTS = {
  electionTicks: 10,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  maxSizePerMsgBytes: 1024 * 1024 - 64 * 1024,
  maxInflightMsgs: 256,
  maxInflightBytes: 16 * 1024 * 1024,
  maxUncommittedEntriesBytes: 64 * 1024 * 1024,
  maxCommittedBytesPerReady: 16 * 1024 * 1024,
  maxQueuedMessages: 10_000,
  applied: 0,
} as const;

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'electionTicks',
  'heartbeatTicks',
  'randomSeed',
  'preVote',
  'checkQuorum',
  'maxSizePerMsgBytes',
  'maxEntryBytes',
  'maxInflightMsgs',
  'maxInflightBytes',
  'maxUncommittedEntriesBytes',
  'maxCommittedBytesPerReady',
  'maxQueuedMessages',
  'snapshotRetryTicks',
  'applied',
]);

function positiveInt(field: string, value: number, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RaftConfigError(field, `must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function bool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new RaftConfigError(field, `must be a boolean, got ${String(value)}`);
  return value;
}

/** Checks a node id; throws RaftConfigError naming `field` when it is malformed. */
export function checkNodeId(field: string, id: unknown): NodeId {
  if (typeof id !== 'string' || !NODE_ID_PATTERN.test(id)) {
    throw new RaftConfigError(field, `must match ${String(NODE_ID_PATTERN)}, got ${JSON.stringify(id)}`);
  }
  return id;
}

/** Fills defaults and validates every field; throws RaftConfigError naming the bad field. */
export function resolveConfig(config: RaftConfig): ResolvedRaftConfig {
  for (const key of Object.keys(config)) {
    if (!KNOWN_FIELDS.has(key)) throw new RaftConfigError(key, 'is not a raft config field');
  }
  const id = checkNodeId('id', config.id);
  const heartbeatTicks = positiveInt('heartbeatTicks', config.heartbeatTicks ?? RAFT_DEFAULTS.heartbeatTicks);
  const electionTicks = positiveInt('electionTicks', config.electionTicks ?? RAFT_DEFAULTS.electionTicks, 2);
  if (electionTicks <= heartbeatTicks) {
    throw new RaftConfigError(
      'electionTicks',
      `(${electionTicks}) must exceed heartbeatTicks (${heartbeatTicks})`,
    );
  }
  const maxSizePerMsgBytes = positiveInt(
    'maxSizePerMsgBytes',
    config.maxSizePerMsgBytes ?? RAFT_DEFAULTS.maxSizePerMsgBytes,
    ENTRY_OVERHEAD_BYTES + 1,
  );
  const maxEntryBytes = positiveInt(
    'maxEntryBytes',
    config.maxEntryBytes ?? maxSizePerMsgBytes - ENTRY_OVERHEAD_BYTES,
    0,
  );
  if (maxEntryBytes + ENTRY_OVERHEAD_BYTES > maxSizePerMsgBytes) {
    throw new RaftConfigError(
      'maxEntryBytes',
      `(${maxEntryBytes}) + ${ENTRY_OVERHEAD_BYTES} must not exceed maxSizePerMsgBytes (${maxSizePerMsgBytes})`,
    );
  }
  const maxInflightBytes = positiveInt(
    'maxInflightBytes',
    config.maxInflightBytes ?? RAFT_DEFAULTS.maxInflightBytes,
  );
  if (maxInflightBytes < maxSizePerMsgBytes) {
    throw new RaftConfigError(
      'maxInflightBytes',
      `(${maxInflightBytes}) must be ≥ maxSizePerMsgBytes (${maxSizePerMsgBytes})`,
    );
  }
  const maxUncommittedEntriesBytes = positiveInt(
    'maxUncommittedEntriesBytes',
    config.maxUncommittedEntriesBytes ?? RAFT_DEFAULTS.maxUncommittedEntriesBytes,
  );
  if (maxUncommittedEntriesBytes < maxEntryBytes) {
    throw new RaftConfigError(
      'maxUncommittedEntriesBytes',
      `(${maxUncommittedEntriesBytes}) must be ≥ maxEntryBytes (${maxEntryBytes})`,
    );
  }
  const randomSeed = config.randomSeed ?? fnv1a32(id);
  if (!Number.isSafeInteger(randomSeed))
    throw new RaftConfigError('randomSeed', `must be a safe integer, got ${String(randomSeed)}`);
  return {
    id,
    electionTicks,
    heartbeatTicks,
    randomSeed,
    preVote: bool('preVote', config.preVote ?? RAFT_DEFAULTS.preVote),
    checkQuorum: bool('checkQuorum', config.checkQuorum ?? RAFT_DEFAULTS.checkQuorum),
    maxSizePerMsgBytes,
    maxEntryBytes,
    maxInflightMsgs: positiveInt('maxInflightMsgs', config.maxInflightMsgs ?? RAFT_DEFAULTS.maxInflightMsgs),
    maxInflightBytes,
    maxUncommittedEntriesBytes,
    maxCommittedBytesPerReady: positiveInt(
      'maxCommittedBytesPerReady',
      config.maxCommittedBytesPerReady ?? RAFT_DEFAULTS.maxCommittedBytesPerReady,
    ),
    maxQueuedMessages: positiveInt(
      'maxQueuedMessages',
      config.maxQueuedMessages ?? RAFT_DEFAULTS.maxQueuedMessages,
    ),
    snapshotRetryTicks: positiveInt('snapshotRetryTicks', config.snapshotRetryTicks ?? 2 * electionTicks),
    applied: positiveInt('applied', config.applied ?? RAFT_DEFAULTS.applied, 0),
  };
}

/** The bytes an entry counts for in message and in-flight limits. */
export function entrySizeBytes(entry: { readonly data: Uint8Array }): number {
  return entry.data.length + ENTRY_OVERHEAD_BYTES;
}

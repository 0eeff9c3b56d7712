import type { ProgressState } from './progress.js';
import type { ConfState, NodeId, Role } from './types.js';

/** The leader's view of one member's replication, for metrics and debugging. */
export interface PeerStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly paused: boolean;
  readonly inflightMsgs: number;
  readonly inflightBytes: number;
  readonly recentActive: boolean;
  readonly isLearner: boolean;
  readonly pendingSnapshot: number;
}

/** A read-only copy of a node's state (for metrics: term, role, leader, commit, applied, peers). */
export interface RaftStatus {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId | null;
  readonly role: Role;
  readonly leader: NodeId | null;
  readonly commit: number;
  readonly applied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly config: ConfState;
  readonly leadTransferee: NodeId | null;
  /** Outgoing messages dropped because the queue was full (maxQueuedMessages). */
  readonly droppedMessages: number;
  /** Per member, on the leader only (empty elsewhere). */
  readonly progress: Readonly<Record<NodeId, PeerStatus>>;
}

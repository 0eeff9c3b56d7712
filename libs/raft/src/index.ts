/**
 * @civic/raft: the Raft consensus state machine (pure: no timers, no I/O, no clock, no
 * randomness of its own). See docs/raft.md for the driver loop contract. The deterministic
 * simulator is a separate entry: `@civic/raft/sim`.
 */
export type {
  NodeId,
  Entry,
  HardState,
  SoftState,
  ConfState,
  ConfChange,
  Snapshot,
  SnapshotMetadata,
  Message,
  ProposalResult,
} from './types.js';
export { EntryType, Role, ConfChangeType, MessageType } from './types.js';
export type { RaftConfig, ResolvedRaftConfig } from './config.js';
export {
  RAFT_DEFAULTS,
  ENTRY_OVERHEAD_BYTES,
  NODE_ID_PATTERN,
  resolveConfig,
  entrySizeBytes,
} from './config.js';
export type { Storage, InitialState } from './storage.js';
export { MemoryStorage, BOOTSTRAP_INDEX, BOOTSTRAP_TERM } from './memory-storage.js';
export type { Ready } from './ready.js';
export type { RaftStatus, PeerStatus } from './status.js';
export { ProgressState } from './progress.js';
export { RaftNode } from './raft-node.js';
export {
  encodeMessage,
  decodeMessage,
  encodeConfChange,
  decodeConfChange,
  MESSAGE_HEADER_MAX_BYTES,
} from './codec.js';
export { makeMessage } from './message.js';
export { Prng } from './prng.js';
export {
  RaftError,
  RaftConfigError,
  CompactedError,
  UnavailableError,
  SnapshotTemporarilyUnavailableError,
  SnapshotOutOfDateError,
  LogGapError,
  CorruptStateError,
  NotLeaderError,
  ProposalDroppedError,
  ProposalDropReason,
  EntryTooLargeError,
  ConfChangePendingError,
  InvalidConfChangeError,
  InvalidNodeIdError,
  InvalidMessageError,
  ReadyStateError,
  CodecError,
  RaftAssertionError,
} from './errors.js';

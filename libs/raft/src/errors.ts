import type { NodeId } from './types.js';

/** The base of every error `@civic/raft` throws. */
export class RaftError extends Error {
  override name = 'RaftError';
}

/** A configuration field is missing, out of range or inconsistent with another. */
export class RaftConfigError extends RaftError {
  override name = 'RaftConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`raft config: ${field} ${message}`);
  }
}

/** The requested index is older than the first entry still stored (it is in a snapshot). */
export class CompactedError extends RaftError {
  override name = 'CompactedError';
  constructor(
    readonly index: number,
    readonly firstIndex: number,
  ) {
    super(`log index ${index} is compacted (first stored index is ${firstIndex})`);
  }
}

/** The requested index is after the last entry stored. */
export class UnavailableError extends RaftError {
  override name = 'UnavailableError';
  constructor(
    readonly index: number,
    readonly lastIndex: number,
  ) {
    super(`log index ${index} is not available (last index is ${lastIndex})`);
  }
}

/** Storage cannot produce a snapshot right now; the leader retries later. */
export class SnapshotTemporarilyUnavailableError extends RaftError {
  override name = 'SnapshotTemporarilyUnavailableError';
}

/** A snapshot older than (or as old as) the one already stored was offered. */
export class SnapshotOutOfDateError extends RaftError {
  override name = 'SnapshotOutOfDateError';
  constructor(
    readonly index: number,
    readonly currentIndex: number,
  ) {
    super(`snapshot at index ${index} is not newer than the stored one at ${currentIndex}`);
  }
}

/** Appending these entries would leave a hole in the log, or they are not contiguous. */
export class LogGapError extends RaftError {
  override name = 'LogGapError';
}

/** The persisted state contradicts itself (for example a commit index past the last entry). */
export class CorruptStateError extends RaftError {
  override name = 'CorruptStateError';
}

/** Only the leader can do this; `leader` is who this node believes leads, if anyone. */
export class NotLeaderError extends RaftError {
  override name = 'NotLeaderError';
  constructor(
    readonly operation: string,
    readonly leader: NodeId | null,
  ) {
    super(`${operation}: this node is not the leader (leader: ${leader ?? 'unknown'})`);
  }
}

export const ProposalDropReason = {
  /** A leadership transfer is in progress; proposals wait for the new leader. */
  LeaderTransfer: 'leaderTransfer',
  /** Too many uncommitted bytes in the log already (maxUncommittedEntriesBytes). */
  UncommittedLimit: 'uncommittedLimit',
} as const;
export type ProposalDropReason = (typeof ProposalDropReason)[keyof typeof ProposalDropReason];

/** The leader refused a proposal for now; retrying later may succeed. */
export class ProposalDroppedError extends RaftError {
  override name = 'ProposalDroppedError';
  constructor(readonly reason: ProposalDropReason) {
    super(`proposal dropped: ${reason}`);
  }
}

/** A proposal's data is larger than maxEntryBytes. */
export class EntryTooLargeError extends RaftError {
  override name = 'EntryTooLargeError';
  constructor(
    readonly sizeBytes: number,
    readonly maxEntryBytes: number,
  ) {
    super(`entry of ${sizeBytes} bytes exceeds maxEntryBytes ${maxEntryBytes}`);
  }
}

/** A membership change is still pending (proposed, not yet applied by the leader). */
export class ConfChangePendingError extends RaftError {
  override name = 'ConfChangePendingError';
  constructor(readonly pendingIndex: number) {
    super(`a membership change at index ${pendingIndex} is not applied yet`);
  }
}

/** A membership change that makes no sense against the current configuration. */
export class InvalidConfChangeError extends RaftError {
  override name = 'InvalidConfChangeError';
}

/** A node id that is malformed, or unknown where a member is required. */
export class InvalidNodeIdError extends RaftError {
  override name = 'InvalidNodeIdError';
}

/** A message from the network that is malformed or not addressed to this node. */
export class InvalidMessageError extends RaftError {
  override name = 'InvalidMessageError';
}

/** ready()/advance() called out of order. */
export class ReadyStateError extends RaftError {
  override name = 'ReadyStateError';
}

/** Bytes that do not decode to a message or a membership change. */
export class CodecError extends RaftError {
  override name = 'CodecError';
}

/** An internal invariant does not hold: a bug in this library, never a user error. */
export class RaftAssertionError extends RaftError {
  override name = 'RaftAssertionError';
}

/** Throws {@link RaftAssertionError} when `condition` is false. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RaftAssertionError(message);
}

import { encodeConfChange } from './codec.js';
import { checkConfChange } from './conf-change.js';
import {
  assert,
  ConfChangePendingError,
  EntryTooLargeError,
  InvalidNodeIdError,
  NotLeaderError,
  ProposalDroppedError,
  ProposalDropReason,
  SnapshotTemporarilyUnavailableError,
} from './errors.js';
import type { Progress } from './progress.js';
import { ProgressState } from './progress.js';
import type { Raft } from './raft.js';
import type { ConfChange, Entry, Message, NodeId, ProposalResult } from './types.js';
import { EntryType, MessageType, Role } from './types.js';

function requireLeader(r: Raft, operation: string): void {
  if (r.role !== Role.Leader) throw new NotLeaderError(operation, r.leader);
}

/**
 * Appends entries at the leader's term. Returns false (appending nothing) when they would
 * exceed maxUncommittedEntriesBytes, unless `force` (the new leader's empty entry).
 */
export function appendEntries(r: Raft, entries: readonly Entry[], force = false): boolean {
  let bytes = 0;
  for (const entry of entries) bytes += entry.data.length;
  if (!force && r.uncommittedBytes > 0 && r.uncommittedBytes + bytes > r.cfg.maxUncommittedEntriesBytes)
    return false;
  r.uncommittedBytes += bytes;
  let index = r.log.lastIndex();
  const stamped = entries.map((entry) => ({ ...entry, term: r.term, index: ++index }));
  r.log.append(stamped);
  // The leader's own copy counts towards the quorum only once persisted (see leaderPersisted).
  return true;
}

/**
 * The leader's entries up to the log's persisted index are on its disk: they count towards
 * the quorum now, so the commit index only ever reflects entries durable on a majority.
 */
export function leaderPersisted(r: Raft): void {
  if (r.role !== Role.Leader) return;
  const self = r.tracker.progress.get(r.id);
  if (self !== undefined && self.maybeUpdate(r.log.persistedIndex()) && maybeCommit(r)) bcastAppend(r);
}

/** Commits the highest index stored on a majority, if it is of the current term (Figure 8). */
export function maybeCommit(r: Raft): boolean {
  const index = r.tracker.committedIndex();
  return r.log.maybeCommit(index, r.term, r.knobs.commitPreviousTermByCounting === true);
}

export function propose(r: Raft, data: Uint8Array): ProposalResult {
  requireLeader(r, 'propose');
  if (data.length > r.cfg.maxEntryBytes) throw new EntryTooLargeError(data.length, r.cfg.maxEntryBytes);
  return proposeEntry(r, EntryType.Normal, data);
}

function proposeEntry(r: Raft, type: EntryType, data: Uint8Array): ProposalResult {
  if (r.leadTransferee !== null) throw new ProposalDroppedError(ProposalDropReason.LeaderTransfer);
  if (!appendEntries(r, [{ term: 0, index: 0, type, data }])) {
    throw new ProposalDroppedError(ProposalDropReason.UncommittedLimit);
  }
  bcastAppend(r);
  return { index: r.log.lastIndex(), term: r.term };
}

export function proposeConfChange(r: Raft, change: ConfChange): ProposalResult {
  requireLeader(r, 'proposeConfChange');
  if (r.pendingConfIndex > r.log.applied) throw new ConfChangePendingError(r.pendingConfIndex);
  checkConfChange(r.tracker, change);
  const result = proposeEntry(r, EntryType.ConfChange, encodeConfChange(change));
  r.pendingConfIndex = result.index;
  return result;
}

/**
 * Sends the entries `to` is missing, if its progress allows; a snapshot when they are compacted.
 * With `sendIfEmpty` false, sends nothing when there are no new entries. Returns whether sent.
 */
export function sendAppend(r: Raft, to: NodeId, sendIfEmpty = true): boolean {
  const progress = r.tracker.progress.get(to);
  if (progress === undefined || progress.isPaused()) return false;
  const prevIndex = progress.next - 1;
  const prevTerm = r.log.term(prevIndex);
  const entries =
    prevTerm === undefined ? undefined : r.log.entriesFrom(progress.next, r.cfg.maxSizePerMsgBytes);
  if (prevTerm === undefined || entries === undefined) return sendSnapshot(r, to, progress);
  if (entries.length === 0 && !sendIfEmpty) return false;
  r.send({
    type: MessageType.App,
    to,
    index: prevIndex,
    logTerm: prevTerm,
    entries,
    commit: r.log.committed,
  });
  progress.sentEntries(entries);
  return true;
}

function sendSnapshot(r: Raft, to: NodeId, progress: Progress): boolean {
  // A follower not heard from lately may be down: do not ship a large snapshot into the void.
  if (!progress.recentActive) return false;
  let snapshot;
  try {
    snapshot = r.log.snapshot();
  } catch (error) {
    if (error instanceof SnapshotTemporarilyUnavailableError) return false;
    throw error;
  }
  assert(snapshot.metadata.index > 0, `need a snapshot for ${to}, but storage has none`);
  progress.becomeSnapshot(snapshot.metadata.index);
  r.send({ type: MessageType.Snap, to, snapshot });
  return true;
}

export function bcastAppend(r: Raft): void {
  for (const id of r.tracker.progress.keys()) if (id !== r.id) sendAppend(r, id);
}

function bcastHeartbeat(r: Raft): void {
  for (const [id, progress] of r.tracker.progress) {
    if (id === r.id) continue;
    // Never let a follower commit past what it is known to match.
    r.send({ type: MessageType.Heartbeat, to: id, commit: Math.min(progress.match, r.log.committed) });
  }
}

export function tickLeader(r: Raft): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  if (r.electionElapsed >= r.cfg.electionTicks) {
    r.electionElapsed = 0;
    if (r.cfg.checkQuorum && !r.tracker.quorumActiveAndReset(r.id)) {
      r.becomeFollower(r.term, null);
      return;
    }
    // A transfer not done within an election timeout is abandoned; proposals resume.
    r.leadTransferee = null;
  }
  for (const [id, progress] of r.tracker.progress) {
    if (progress.state !== ProgressState.Snapshot) continue;
    if (++progress.snapshotTicks >= r.cfg.snapshotRetryTicks) {
      // The snapshot or its acknowledgement was probably lost: probe again.
      progress.becomeProbe();
      sendAppend(r, id);
    }
  }
  if (r.heartbeatElapsed >= r.cfg.heartbeatTicks) {
    r.heartbeatElapsed = 0;
    bcastHeartbeat(r);
  }
}

export function stepLeader(r: Raft, m: Message): void {
  const progress = r.tracker.progress.get(m.from);
  if (progress === undefined) return;
  if (m.type === MessageType.AppResp) handleAppendResponse(r, progress, m);
  else if (m.type === MessageType.HeartbeatResp) handleHeartbeatResponse(r, progress, m);
}

function handleAppendResponse(r: Raft, progress: Progress, m: Message): void {
  progress.recentActive = true;
  if (m.reject) {
    // Skip a whole term of conflicting entries when the follower told us its term there.
    const hint = m.logTerm > 0 ? r.log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
    if (progress.maybeDecrTo(m.index, hint)) {
      if (progress.state === ProgressState.Replicate) progress.becomeProbe();
      sendAppend(r, m.from);
    }
    return;
  }
  const wasPaused = progress.isPaused();
  if (
    !progress.maybeUpdate(m.index) &&
    !(progress.match === m.index && progress.state === ProgressState.Probe)
  )
    return;
  if (progress.state === ProgressState.Probe) {
    progress.becomeReplicate();
  } else if (progress.state === ProgressState.Snapshot) {
    if (progress.match + 1 >= r.log.firstIndex()) {
      progress.becomeProbe();
      progress.becomeReplicate();
    }
  } else {
    progress.inflights.freeLE(m.index);
  }
  if (maybeCommit(r)) bcastAppend(r);
  else if (wasPaused) sendAppend(r, m.from);
  // Stream what is left, up to the in-flight bounds.
  for (let i = 0; i < r.cfg.maxInflightMsgs && sendAppend(r, m.from, false); i++);
  if (m.from === r.leadTransferee && progress.match === r.log.lastIndex()) sendTimeoutNow(r, m.from);
}

function handleHeartbeatResponse(r: Raft, progress: Progress, m: Message): void {
  progress.recentActive = true;
  progress.probeSent = false;
  // A full window with a live follower means appends were lost: let one through to find out.
  if (progress.state === ProgressState.Replicate && progress.inflights.full())
    progress.inflights.freeFirstOne();
  if (progress.match < r.log.lastIndex() || progress.state === ProgressState.Probe) sendAppend(r, m.from);
}

function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send({ type: MessageType.TimeoutNow, to });
}

export function transferLeadership(r: Raft, to: NodeId): void {
  requireLeader(r, 'transferLeadership');
  const progress = r.tracker.progress.get(to);
  if (progress === undefined)
    throw new InvalidNodeIdError(`cannot transfer leadership to ${to}: not a member`);
  if (progress.isLearner) throw new InvalidNodeIdError(`cannot transfer leadership to ${to}: a learner`);
  if (to === r.id || r.leadTransferee === to) return;
  // The transfer must finish within an election timeout (tickLeader abandons it).
  r.electionElapsed = 0;
  r.leadTransferee = to;
  if (progress.match === r.log.lastIndex()) sendTimeoutNow(r, to);
  else sendAppend(r, to);
}

/** The driver could not deliver to `to`: stop streaming and probe. */
export function reportUnreachable(r: Raft, to: NodeId): void {
  const progress = r.tracker.progress.get(to);
  if (r.role === Role.Leader && progress?.state === ProgressState.Replicate) progress.becomeProbe();
}

/** The driver knows whether the snapshot sent to `to` arrived. */
export function reportSnapshot(r: Raft, to: NodeId, delivered: boolean): void {
  const progress = r.tracker.progress.get(to);
  if (r.role !== Role.Leader || progress?.state !== ProgressState.Snapshot) return;
  if (!delivered) progress.pendingSnapshot = 0;
  progress.becomeProbe();
  // Wait for the next heartbeat reply before probing (the follower may be busy applying).
  progress.probeSent = true;
}

/** Leader bookkeeping when entries are applied: they no longer count as uncommitted. */
export function releaseUncommitted(r: Raft, entries: readonly Entry[]): void {
  if (r.role !== Role.Leader || r.uncommittedBytes === 0) return;
  let bytes = 0;
  for (const entry of entries) bytes += entry.data.length;
  r.uncommittedBytes = Math.max(0, r.uncommittedBytes - bytes);
}

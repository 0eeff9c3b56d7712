import type { Raft } from './raft.js';
import { CampaignType } from './raft.js';
import { VoteResult } from './tracker.js';
import type { Message, Snapshot } from './types.js';
import { MessageType, Role } from './types.js';

export function stepFollower(r: Raft, m: Message): void {
  if (fromLeader(m)) {
    r.electionElapsed = 0;
    r.leader = m.from;
    handleLeaderMessage(r, m);
  } else if (m.type === MessageType.TimeoutNow) {
    // The leader hands over: campaign now, without pre-vote, overriding leader leases.
    r.hup(CampaignType.Transfer);
  }
}

/** Candidates and pre-candidates: count votes; a leader of this term makes us follow it. */
export function stepCandidate(r: Raft, m: Message): void {
  const voteReply = r.role === Role.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
  if (fromLeader(m)) {
    r.becomeFollower(m.term, m.from);
    handleLeaderMessage(r, m);
  } else if (m.type === voteReply) {
    const result = r.poll(m.from, !m.reject);
    if (result === VoteResult.Won) {
      if (r.role === Role.PreCandidate) r.campaign(CampaignType.Election);
      else r.winElection();
    } else if (result === VoteResult.Lost) {
      r.becomeFollower(r.term, null);
    }
  }
}

/** Only a leader sends these (of the receiver's term, once step() has checked terms). */
function fromLeader(m: Message): boolean {
  return m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap;
}

function handleLeaderMessage(r: Raft, m: Message): void {
  if (m.type === MessageType.App) handleAppend(r, m);
  else if (m.type === MessageType.Heartbeat) handleHeartbeat(r, m);
  else handleSnapshot(r, m);
}

function handleAppend(r: Raft, m: Message): void {
  if (m.index < r.log.committed) {
    // Entries we already committed: tell the leader where we are.
    r.send({ type: MessageType.AppResp, to: m.from, index: r.log.committed });
    return;
  }
  const lastNew = r.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew !== undefined) {
    r.send({ type: MessageType.AppResp, to: m.from, index: lastNew });
    return;
  }
  // Mismatch at m.index: hint the last index that may match, with its term, so the leader can
  // skip every entry of a conflicting term at once.
  const hint = r.log.findConflictByTerm(Math.min(m.index, r.log.lastIndex()), m.logTerm);
  r.send({
    type: MessageType.AppResp,
    to: m.from,
    index: m.index,
    reject: true,
    rejectHint: hint.index,
    logTerm: hint.term,
  });
}

function handleHeartbeat(r: Raft, m: Message): void {
  // The leader sends min(our match, its commit): past our last index means we lost entries.
  r.log.commitTo(m.commit);
  r.send({ type: MessageType.HeartbeatResp, to: m.from });
}

function handleSnapshot(r: Raft, m: Message): void {
  const snapshot = m.snapshot as Snapshot;
  const index = restore(r, snapshot) ? r.log.lastIndex() : r.log.committed;
  r.send({ type: MessageType.AppResp, to: m.from, index });
}

/** Installs a snapshot newer than our commit index. False when nothing had to change. */
function restore(r: Raft, snapshot: Snapshot): boolean {
  const { index, term } = snapshot.metadata;
  if (index <= r.log.committed) return false;
  if (r.log.matchTerm(index, term)) {
    // We have the entries: the snapshot only tells us they are committed.
    r.log.commitTo(index);
    return false;
  }
  r.log.restore(snapshot);
  r.tracker.resetConf(snapshot.metadata.confState, r.log.lastIndex() + 1);
  return true;
}

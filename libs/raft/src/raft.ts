import type { RaftConfig, ResolvedRaftConfig } from './config.js';
import { resolveConfig } from './config.js';
import { applyConfChange } from './conf-change.js';
import { decodeConfChange } from './codec.js';
import { assert, CorruptStateError, RaftConfigError } from './errors.js';
import { stepCandidate, stepFollower } from './follower.js';
import type { UnsafeKnobs } from './knobs.js';
import { unsafeKnobsOf } from './knobs.js';
import { appendEntries, bcastAppend, stepLeader, tickLeader } from './leader.js';
import { makeMessage, voteResponseType } from './message.js';
import { Prng } from './prng.js';
import { RaftLog } from './raft-log.js';
import type { Storage } from './storage.js';
import { ProgressTracker, VoteResult } from './tracker.js';
import type { HardState, Message, NodeId } from './types.js';
import { EntryType, MessageType, Role } from './types.js';

export const CampaignType = {
  /** Ask for pre-votes first (when preVote is on). */
  PreElection: 'preElection',
  Election: 'election',
  /** Asked by the leader (timeoutNow): skip pre-vote, override leader leases. */
  Transfer: 'transfer',
} as const;
export type CampaignType = (typeof CampaignType)[keyof typeof CampaignType];

const EMPTY = new Uint8Array(0);

/** Fields a node fills in itself when it sends a message. */
type Outgoing = Partial<Message> & Pick<Message, 'type' | 'to'>;

/**
 * The Raft state machine. No clock, no I/O, no randomness of its own: time is `tick()`, input
 * is `step()`, output accumulates in `msgs` and the log's unstable part, and RaftNode packs
 * both into Ready batches. Leader and follower behaviour live in leader.ts and follower.ts.
 */
export class Raft {
  readonly id: NodeId;
  readonly cfg: ResolvedRaftConfig;
  readonly knobs: UnsafeKnobs;
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  private readonly prng: Prng;

  term = 0;
  vote: NodeId | null = null;
  role: Role = Role.Follower;
  leader: NodeId | null = null;
  /** Outgoing messages, bounded by maxQueuedMessages. */
  msgs: Message[] = [];
  droppedMessages = 0;
  /** Ticks since the last reset (election timer; check-quorum and transfer timer on the leader). */
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  leadTransferee: NodeId | null = null;
  /** The index of the latest membership change the leader proposed; one at a time. */
  pendingConfIndex = 0;
  /** Bytes of the leader's entries not yet applied (maxUncommittedEntriesBytes). */
  uncommittedBytes = 0;

  constructor(config: RaftConfig, storage: Storage) {
    this.cfg = resolveConfig(config);
    this.knobs = unsafeKnobsOf(config);
    this.id = this.cfg.id;
    this.prng = new Prng(this.cfg.randomSeed, 'raft.election');
    this.log = new RaftLog(storage, this.cfg.maxCommittedBytesPerReady);
    this.tracker = new ProgressTracker(this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes);
    const { hardState, confState } = storage.initialState();
    this.tracker.resetConf(confState, this.log.lastIndex() + 1);
    this.loadHardState(hardState);
    this.replayAppliedConfChanges(this.cfg.applied);
    this.becomeFollower(this.term, null);
  }

  private loadHardState(hardState: HardState): void {
    if (hardState.commit < this.log.committed || hardState.commit > this.log.lastIndex()) {
      throw new CorruptStateError(
        `persisted commit ${hardState.commit} is outside the stored log [${this.log.committed}, ${this.log.lastIndex()}]`,
      );
    }
    this.log.committed = hardState.commit;
    this.term = hardState.term;
    this.vote = hardState.vote;
  }

  /** Rebuilds the membership of a restarted node from the changes it had already applied. */
  private replayAppliedConfChanges(applied: number): void {
    if (applied <= this.log.applied) return;
    if (applied > this.log.committed) {
      throw new RaftConfigError(
        'applied',
        `(${applied}) is past the persisted commit index ${this.log.committed}`,
      );
    }
    let lo = this.log.applied + 1;
    while (lo <= applied) {
      const batch = this.log.slice(lo, applied + 1, this.cfg.maxCommittedBytesPerReady);
      for (const entry of batch) {
        if (entry.type === EntryType.ConfChange) applyConfChange(this, decodeConfChange(entry.data));
      }
      lo += batch.length;
    }
    this.log.appliedTo(applied);
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  promotable(): boolean {
    return this.tracker.voters.has(this.id);
  }

  // ---- transitions -------------------------------------------------------------------------

  private reset(term: number): void {
    assert(term >= this.term, `term would go back from ${this.term} to ${term}`);
    if (this.term !== term) {
      this.term = term;
      this.vote = null;
    }
    this.leader = null;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.prng.below(this.cfg.electionTicks);
    this.leadTransferee = null;
    this.tracker.resetVotes();
    const last = this.log.lastIndex();
    const persisted = this.log.persistedIndex();
    for (const [id, progress] of this.tracker.progress)
      progress.reset(last + 1, id === this.id ? persisted : 0);
    this.pendingConfIndex = 0;
    this.uncommittedBytes = 0;
  }

  becomeFollower(term: number, leader: NodeId | null): void {
    this.reset(term);
    this.leader = leader;
    this.role = Role.Follower;
  }

  /** Pre-candidates change neither term nor vote (that is the point of pre-vote). */
  private becomePreCandidate(): void {
    assert(this.role !== Role.Leader, 'a leader cannot become pre-candidate');
    this.role = Role.PreCandidate;
    this.tracker.resetVotes();
    this.leader = null;
  }

  private becomeCandidate(): void {
    assert(this.role !== Role.Leader, 'a leader cannot become candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = Role.Candidate;
  }

  becomeLeader(): void {
    assert(this.role === Role.Candidate, `only a candidate can become leader (was ${this.role})`);
    this.reset(this.term);
    this.leader = this.id;
    this.role = Role.Leader;
    const self = this.tracker.progress.get(this.id);
    assert(self !== undefined, 'a leader must be a member');
    self.becomeReplicate();
    self.recentActive = true;
    // No membership change until everything before this term is applied (etcd's rule; closes
    // the single-server change bug of a new leader with an uncommitted change in its log).
    this.pendingConfIndex = this.log.lastIndex();
    // An entry of the new term, so that earlier entries can commit (Figure 8).
    appendEntries(this, [{ term: 0, index: 0, type: EntryType.Normal, data: EMPTY }], true);
  }

  // ---- messages ----------------------------------------------------------------------------

  send(fields: Outgoing): void {
    if (this.msgs.length >= this.cfg.maxQueuedMessages) {
      this.droppedMessages++;
      return;
    }
    this.msgs.push(makeMessage({ from: this.id, term: this.term, ...fields }));
  }

  // ---- time --------------------------------------------------------------------------------

  tick(): void {
    if (this.role === Role.Leader) {
      tickLeader(this);
      return;
    }
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup(this.cfg.preVote ? CampaignType.PreElection : CampaignType.Election);
    }
  }

  // ---- elections ---------------------------------------------------------------------------

  hup(type: CampaignType): void {
    if (this.role === Role.Leader || !this.promotable() || this.hasUnappliedConfChanges()) return;
    this.campaign(type);
  }

  /** A committed membership change not applied yet may change who votes: wait for it. */
  private hasUnappliedConfChanges(): boolean {
    const hi = this.log.committed + 1;
    let lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    while (lo < hi) {
      const batch = this.log.slice(lo, hi, this.cfg.maxCommittedBytesPerReady);
      if (batch.some((entry) => entry.type === EntryType.ConfChange)) return true;
      lo += batch.length;
    }
    return false;
  }

  campaign(type: CampaignType): void {
    let voteType: typeof MessageType.Vote | typeof MessageType.PreVote;
    let term: number;
    if (type === CampaignType.PreElection) {
      this.becomePreCandidate();
      voteType = MessageType.PreVote;
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteType = MessageType.Vote;
      term = this.term;
    }
    if (this.poll(this.id, true) === VoteResult.Won) {
      // A single voter wins at once.
      if (type === CampaignType.PreElection) this.campaign(CampaignType.Election);
      else this.becomeLeader();
      return;
    }
    const index = this.log.lastIndex();
    const logTerm = this.log.lastTerm();
    for (const id of this.tracker.voters) {
      if (id === this.id) continue;
      this.send({
        type: voteType,
        to: id,
        term,
        index,
        logTerm,
        leaderTransfer: type === CampaignType.Transfer,
      });
    }
  }

  poll(id: NodeId, granted: boolean): VoteResult {
    this.tracker.recordVote(id, granted);
    return this.tracker.tallyVotes().result;
  }

  /** Called by stepCandidate when an election is won. */
  winElection(): void {
    this.becomeLeader();
    bcastAppend(this);
  }

  // ---- input -------------------------------------------------------------------------------

  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        // Leader lease (thesis §4.2.3): a follower that heard a leader within the minimum
        // election timeout ignores vote requests, unless the leader itself asked for them.
        const inLease =
          this.cfg.checkQuorum && this.leader !== null && this.electionElapsed < this.cfg.electionTicks;
        if (inLease && !m.leaderTransfer) return;
      }
      if (m.type === MessageType.PreVote) {
        // A pre-vote never changes our term.
      } else if (m.type === MessageType.PreVoteResp && !m.reject) {
        // A granted pre-vote carries the prospective term; ours changes when the pre-vote wins.
      } else if (
        m.type === MessageType.App ||
        m.type === MessageType.Heartbeat ||
        m.type === MessageType.Snap
      ) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, null);
      }
    } else if (m.term < this.term) {
      if (
        (this.cfg.checkQuorum || this.cfg.preVote) &&
        (m.type === MessageType.Heartbeat || m.type === MessageType.App)
      ) {
        // Tell a stale leader our term so it steps down; with leases and pre-vote it could
        // otherwise never learn that the cluster moved on.
        this.send({ type: MessageType.AppResp, to: m.from });
      } else if (m.type === MessageType.PreVote) {
        this.send({ type: MessageType.PreVoteResp, to: m.from, reject: true });
      }
      return;
    }

    if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case Role.Leader:
        stepLeader(this, m);
        break;
      case Role.Candidate:
      case Role.PreCandidate:
        stepCandidate(this, m);
        break;
      case Role.Follower:
        stepFollower(this, m);
        break;
    }
  }

  private handleVoteRequest(m: Message): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === null && this.leader === null) ||
      (m.type === MessageType.PreVote && m.term > this.term);
    const upToDate = this.knobs.voteWithoutLogCheck === true || this.log.isUpToDate(m.index, m.logTerm);
    const type = voteResponseType(m.type);
    if (canVote && upToDate) {
      // A grant carries the election's term (for a pre-vote, the term asked for).
      this.send({ type, to: m.from, term: m.term });
      if (m.type === MessageType.Vote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type, to: m.from, reject: true });
    }
  }
}

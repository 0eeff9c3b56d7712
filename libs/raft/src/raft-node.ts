import { decodeConfChange } from './codec.js';
import { applyConfChange } from './conf-change.js';
import type { RaftConfig } from './config.js';
import { CorruptStateError, InvalidMessageError, ReadyStateError } from './errors.js';
import * as leader from './leader.js';
import { validateMessage } from './message.js';
import { CampaignType, Raft } from './raft.js';
import type { Ready } from './ready.js';
import type { PeerStatus, RaftStatus } from './status.js';
import type { Storage } from './storage.js';
import type { ConfChange, HardState, Message, NodeId, ProposalResult, SoftState } from './types.js';
import { EntryType } from './types.js';

const internals = new WeakMap<RaftNode, Raft>();

/** The state machine behind a node, for the simulator's invariant checks (not public API). */
export function internalRaft(node: RaftNode): Raft {
  return internals.get(node) as Raft;
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/**
 * A Raft node: the public face of the state machine. Drive it with tick() at a fixed interval
 * and step() for every message received; hand client data to propose(); then, whenever
 * hasReady(), take ready(), handle it (see {@link Ready}) and call advance(). Every method is
 * synchronous and deterministic given the config (including its randomSeed), the storage and
 * the sequence of calls.
 */
export class RaftNode {
  private readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private inFlight: Ready | null = null;

  /**
   * Starts (or restarts) a node over `storage`, which holds what was persisted before. Throws
   * RaftConfigError for a bad config, CorruptStateError for inconsistent storage.
   */
  constructor(config: RaftConfig, storage: Storage) {
    this.raft = new Raft(config, storage);
    this.prevSoft = { role: this.raft.role, leader: this.raft.leader };
    this.prevHard = this.raft.hardState();
    internals.set(this, this.raft);
  }

  get id(): NodeId {
    return this.raft.id;
  }

  /** Advances logical time by one tick (election and heartbeat timers). */
  tick(): void {
    this.raft.tick();
  }

  /**
   * Feeds a message received from another node. Throws InvalidMessageError (and changes
   * nothing) when it is malformed or not addressed to this node; stale messages are ignored.
   */
  step(message: Message): void {
    validateMessage(message);
    if (message.to !== this.raft.id)
      throw new InvalidMessageError(`message for ${message.to} stepped into ${this.raft.id}`);
    if (message.from === this.raft.id)
      throw new InvalidMessageError(`message from ${message.from} to itself`);
    this.raft.step(message);
  }

  /**
   * Appends `data` to the log (leader only) and returns its index and term: it is committed
   * when an entry with that index and term comes out in committedEntries. Throws
   * NotLeaderError, EntryTooLargeError or ProposalDroppedError, changing nothing.
   */
  propose(data: Uint8Array): ProposalResult {
    if (!(data instanceof Uint8Array)) throw new TypeError('proposal data must be a Uint8Array');
    return leader.propose(this.raft, data);
  }

  /**
   * Proposes one membership change (leader only). It takes effect on each node when the node
   * applies it (at advance()). Throws ConfChangePendingError while another is not applied,
   * InvalidConfChangeError when it does not fit the membership, NotLeaderError.
   */
  proposeConfChange(change: ConfChange): ProposalResult {
    return leader.proposeConfChange(this.raft, change);
  }

  /** Starts an election now (with pre-vote when configured); ignored by leaders and non-voters. */
  campaign(): void {
    this.raft.hup(this.raft.cfg.preVote ? CampaignType.PreElection : CampaignType.Election);
  }

  /**
   * Hands leadership to `to` (leader only): once `to` has every entry it is told to campaign.
   * Proposals are refused meanwhile; abandoned after electionTicks. Throws NotLeaderError, or
   * InvalidNodeIdError when `to` is not a voter.
   */
  transferLeadership(to: NodeId): void {
    leader.transferLeadership(this.raft, to);
  }

  /** The transport failed to reach `to`: the leader stops streaming to it and probes instead. */
  reportUnreachable(to: NodeId): void {
    leader.reportUnreachable(this.raft, to);
  }

  /** The transport knows whether a snapshot sent to `to` was delivered. */
  reportSnapshot(to: NodeId, delivered: boolean): void {
    leader.reportSnapshot(this.raft, to, delivered);
  }

  hasReady(): boolean {
    if (this.inFlight !== null) return false;
    const r = this.raft;
    return (
      r.msgs.length > 0 ||
      r.log.unstable.entries.length > 0 ||
      r.log.unstable.snapshot !== null ||
      r.log.hasNextCommittedEntries() ||
      r.role !== this.prevSoft.role ||
      r.leader !== this.prevSoft.leader ||
      !sameHardState(r.hardState(), this.prevHard)
    );
  }

  /** The next batch of work (see {@link Ready}); one at a time, until advance(). */
  ready(): Ready {
    if (this.inFlight !== null) throw new ReadyStateError('ready() called again before advance()');
    const r = this.raft;
    const soft: SoftState = { role: r.role, leader: r.leader };
    const hard = r.hardState();
    const entries = r.log.unstableEntries();
    const snapshot = r.log.unstable.snapshot;
    const ready: Ready = {
      softState: soft.role === this.prevSoft.role && soft.leader === this.prevSoft.leader ? null : soft,
      hardState: sameHardState(hard, this.prevHard) ? null : hard,
      entries,
      snapshot,
      committedEntries: r.log.nextCommittedEntries(),
      messages: r.msgs,
      mustSync:
        hard.term !== this.prevHard.term ||
        hard.vote !== this.prevHard.vote ||
        entries.length > 0 ||
        snapshot !== null,
    };
    r.msgs = [];
    this.inFlight = ready;
    return ready;
  }

  /**
   * Tells the node that `ready` was persisted, sent and applied. Applies its membership
   * changes. Throws ReadyStateError when `ready` is not the one last returned by ready().
   */
  advance(ready: Ready): void {
    if (ready !== this.inFlight || ready === null)
      throw new ReadyStateError('advance() needs the Ready returned by the last ready()');
    const changes = ready.committedEntries.flatMap((entry) => {
      if (entry.type !== EntryType.ConfChange) return [];
      try {
        return [decodeConfChange(entry.data)];
      } catch (cause) {
        throw new CorruptStateError(`committed membership change at index ${entry.index} does not decode`, {
          cause,
        });
      }
    });
    const r = this.raft;
    this.inFlight = null;
    if (ready.softState !== null) this.prevSoft = ready.softState;
    if (ready.hardState !== null) this.prevHard = ready.hardState;
    const lastEntry = ready.entries.at(-1);
    if (lastEntry !== undefined) r.log.unstable.stableTo(lastEntry.index, lastEntry.term);
    if (ready.snapshot !== null) {
      r.log.unstable.stableSnapTo(ready.snapshot.metadata.index);
      r.log.appliedTo(ready.snapshot.metadata.index);
    }
    leader.leaderPersisted(r);
    for (const change of changes) applyConfChange(r, change);
    const lastApplied = ready.committedEntries.at(-1);
    if (lastApplied !== undefined) r.log.appliedTo(lastApplied.index);
    leader.releaseUncommitted(r, ready.committedEntries);
  }

  /** A read-only copy of the node's state, for metrics and debugging. */
  status(): RaftStatus {
    const r = this.raft;
    const progress: Record<NodeId, PeerStatus> = {};
    if (r.role === 'leader') {
      for (const [id, p] of r.tracker.progress) {
        progress[id] = {
          match: p.match,
          next: p.next,
          state: p.state,
          paused: p.isPaused(),
          inflightMsgs: p.inflights.size(),
          inflightBytes: p.inflights.sizeBytes(),
          recentActive: p.recentActive,
          isLearner: p.isLearner,
          pendingSnapshot: p.pendingSnapshot,
        };
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      role: r.role,
      leader: r.leader,
      commit: r.log.committed,
      applied: r.log.applied,
      firstIndex: r.log.firstIndex(),
      lastIndex: r.log.lastIndex(),
      lastTerm: r.log.lastTerm(),
      config: r.tracker.confState(),
      leadTransferee: r.leadTransferee,
      droppedMessages: r.droppedMessages,
      progress,
    };
  }
}

import { Progress } from './progress.js';
import type { ConfState, NodeId } from './types.js';

export const VoteResult = { Pending: 'pending', Won: 'won', Lost: 'lost' } as const;
export type VoteResult = (typeof VoteResult)[keyof typeof VoteResult];

/**
 * The membership (voters and learners), a Progress per member, and the votes of the current
 * election. Quorums are majorities of the voters; learners never count.
 */
export class ProgressTracker {
  readonly voters = new Set<NodeId>();
  readonly learners = new Set<NodeId>();
  /** Every member's progress, in a deterministic order (the order members were added). */
  readonly progress = new Map<NodeId, Progress>();
  private readonly votes = new Map<NodeId, boolean>();

  constructor(
    private readonly maxInflightMsgs: number,
    private readonly maxInflightBytes: number,
  ) {}

  /** Replaces the membership (at start-up and when a snapshot is restored). */
  resetConf(conf: ConfState, nextIndex: number): void {
    this.voters.clear();
    this.learners.clear();
    this.progress.clear();
    this.votes.clear();
    for (const id of conf.voters) this.addVoter(id, nextIndex);
    for (const id of conf.learners) this.addLearner(id, nextIndex);
  }

  confState(): ConfState {
    return { voters: [...this.voters].sort(), learners: [...this.learners].sort() };
  }

  isMember(id: NodeId): boolean {
    return this.progress.has(id);
  }

  /** Adds a voter, or promotes a learner (keeping its progress). */
  addVoter(id: NodeId, nextIndex: number): void {
    if (this.voters.has(id)) return;
    const existing = this.progress.get(id);
    if (existing !== undefined) {
      existing.isLearner = false;
      this.learners.delete(id);
    } else {
      this.progress.set(id, this.newProgress(nextIndex, false));
    }
    this.voters.add(id);
  }

  addLearner(id: NodeId, nextIndex: number): void {
    if (this.progress.has(id)) return;
    this.learners.add(id);
    this.progress.set(id, this.newProgress(nextIndex, true));
  }

  remove(id: NodeId): void {
    this.voters.delete(id);
    this.learners.delete(id);
    this.progress.delete(id);
    this.votes.delete(id);
  }

  private newProgress(nextIndex: number, isLearner: boolean): Progress {
    const progress = new Progress(this.maxInflightMsgs, this.maxInflightBytes, isLearner);
    progress.next = nextIndex;
    // A new member counts as active so that check-quorum does not depose the leader at once.
    progress.recentActive = true;
    return progress;
  }

  quorum(): number {
    return Math.floor(this.voters.size / 2) + 1;
  }

  /** The highest index replicated on a majority of voters (0 without voters). */
  committedIndex(): number {
    if (this.voters.size === 0) return 0;
    const matches: number[] = [];
    for (const id of this.voters) matches.push((this.progress.get(id) as Progress).match);
    matches.sort((a, b) => b - a);
    return matches[this.quorum() - 1] as number;
  }

  resetVotes(): void {
    this.votes.clear();
  }

  /** Records a voter's answer; the first answer of each voter counts. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const vote = this.votes.get(id);
      if (vote === true) granted++;
      else if (vote === false) rejected++;
    }
    const quorum = this.quorum();
    let result: VoteResult = VoteResult.Pending;
    if (granted >= quorum) result = VoteResult.Won;
    else if (this.voters.size - rejected < quorum) result = VoteResult.Lost;
    return { granted, rejected, result };
  }

  /**
   * Whether a majority of voters was heard from since the last call (`self` always counts);
   * then forgets who was heard from, starting the next round.
   */
  quorumActiveAndReset(self: NodeId): boolean {
    let active = 0;
    for (const id of this.voters) {
      if (id === self || (this.progress.get(id) as Progress).recentActive) active++;
    }
    for (const [id, progress] of this.progress) progress.recentActive = id === self;
    return active >= this.quorum();
  }
}

import {
  ConfChangePendingError,
  InvalidConfChangeError,
  InvalidNodeIdError,
  NotLeaderError,
  ProposalDroppedError,
} from '../errors.js';
import type { Prng } from '../prng.js';
import type { Raft } from '../raft.js';
import { ConfChangeType, Role } from '../types.js';
import type { SimHost } from './host.js';
import { HostStatus } from './host.js';
import { Invariant, InvariantViolation } from './invariants.js';
import type { NetworkConditions } from './network.js';
import { CALM_NETWORK } from './network.js';
import type { Simulation } from './simulation.js';

const FAULT_KINDS = [
  ['crash', 3],
  ['crashLeader', 2],
  ['isolate', 2],
  ['isolateLeader', 2],
  ['split', 2],
  ['oneWay', 1],
  ['pause', 2],
  ['storm', 1],
] as const;
type FaultKind = (typeof FAULT_KINDS)[number][0];

/** Errors an operator action may legitimately meet (the cluster is in flux). */
function isExpectedRefusal(error: unknown): boolean {
  return (
    error instanceof NotLeaderError ||
    error instanceof ConfChangePendingError ||
    error instanceof InvalidConfChangeError ||
    error instanceof InvalidNodeIdError ||
    error instanceof ProposalDroppedError
  );
}

/**
 * The run's timeline: a calm start, then cycles of (fault phase → heal → recovery measured →
 * calm phase). During a fault phase, faults of every kind are injected at random and undone
 * after random durations; an operator also transfers leadership and changes membership. A heal
 * undoes everything at once, and the cluster must recover within the scenario's bound.
 */
export class FaultScheduler {
  readonly recoveryTicks: number[] = [];
  /** Bumped at every phase change: undo events of an earlier phase do nothing. */
  private phase = 0;
  private cycle = 0;
  private healAtUs = 0;
  private phaseConditions: NetworkConditions = { ...CALM_NETWORK };
  private inFaultPhase = false;

  constructor(
    private readonly sim: Simulation,
    private readonly rng: Prng,
    private readonly admin: Prng,
  ) {}

  begin(): void {
    this.sim.at(300_000, () => this.startFaultPhase());
  }

  private startFaultPhase(): void {
    const sim = this.sim;
    const phase = ++this.phase;
    const durationUs = sim.s.faultPhaseUs[this.cycle] as number;
    sim.record(`phase faults cycle=${this.cycle + 1} for=${durationUs / 1000}ms`);
    this.inFaultPhase = sim.s.faults;
    if (sim.s.faults) {
      const rng = this.rng;
      this.phaseConditions = {
        dropRate: rng.pick([0, 0.01, 0.05, 0.1]),
        duplicateRate: rng.pick([0, 0.01, 0.05]),
        latencyUs: rng.between(100, 2000),
        jitterUs: rng.pick([500, 5000, 20_000]),
        longDelayRate: rng.pick([0, 0.005, 0.02]),
        longDelayUs: rng.between(20_000, 300_000),
      };
      sim.network.conditions = { ...this.phaseConditions };
      this.scheduleFault(phase);
      this.scheduleAdmin(phase);
    }
    sim.at(durationUs, () => this.heal(phase));
  }

  private scheduleFault(phase: number): void {
    this.sim.at(this.rng.between(20_000, 250_000), () => {
      if (phase !== this.phase) return;
      this.inject(this.pickKind());
      this.scheduleFault(phase);
    });
  }

  private pickKind(): FaultKind {
    let total = 0;
    for (const [, weight] of FAULT_KINDS) total += weight;
    let draw = this.rng.below(total);
    for (const [kind, weight] of FAULT_KINDS) {
      if (draw < weight) return kind;
      draw -= weight;
    }
    return 'crash';
  }

  private live(): SimHost[] {
    return this.sim.hosts.filter((h) => h.isUp());
  }

  /** The up leader of the highest term, if any. */
  leader(): SimHost | undefined {
    let best: SimHost | undefined;
    for (const host of this.live()) {
      const r = host.raft as Raft;
      if (r.role === Role.Leader && (best === undefined || r.term > (best.raft as Raft).term)) best = host;
    }
    return best;
  }

  /**
   * Buggify: a leader whose commit index advances for the first time in its term crashes
   * before its next Ready leaves (no follower learns the new commit index). Returns whether
   * it crashed the host.
   */
  crashOnFirstCommit(host: SimHost, commitBefore: number): boolean {
    const r = host.raft;
    if (!this.inFaultPhase || r === null || r.role !== Role.Leader || r.log.committed <= commitBefore)
      return false;
    if (host.firstCommitTerm === r.term) return false;
    host.firstCommitTerm = r.term;
    if (!this.rng.chance(this.sim.s.crashOnFirstCommitRate)) return false;
    this.buggifyCrash(host, `first commit ${r.log.committed} of term ${r.term}`);
    return true;
  }

  /** Buggify: a node that just won an election crashes after its fsync, before sending. */
  crashAfterElection(host: SimHost, becameLeader: boolean): boolean {
    if (!becameLeader || !this.inFaultPhase || !this.rng.chance(this.sim.s.crashAfterElectionRate))
      return false;
    this.buggifyCrash(host, 'after election, before sending');
    return true;
  }

  private buggifyCrash(host: SimHost, what: string): void {
    this.sim.record(`buggify crash ${host.id}: ${what}`);
    this.sim.crashHost(host);
    const phase = this.phase;
    this.sim.at(this.rng.between(5_000, 300_000), () => {
      if (phase === this.phase && host.status === HostStatus.Down) this.sim.startHost(host);
    });
  }

  private inject(kind: FaultKind): void {
    const sim = this.sim;
    const rng = this.rng;
    const phase = this.phase;
    const live = this.live();
    if (live.length === 0) return;
    const members = sim.hosts.filter((h) => h.status === HostStatus.Up || h.status === HostStatus.Down);
    const target = kind.endsWith('Leader') ? (this.leader() ?? rng.pick(live)) : rng.pick(live);
    switch (kind) {
      case 'crash':
      case 'crashLeader': {
        sim.crashHost(target);
        sim.at(rng.between(5_000, 600_000), () => {
          if (phase === this.phase && target.status === HostStatus.Down) sim.startHost(target);
        });
        return;
      }
      case 'isolate':
      case 'isolateLeader':
        sim.network.split(
          [target.id],
          members.filter((h) => h !== target).map((h) => h.id),
        );
        this.partitioned(phase, `isolate ${target.id}`);
        return;
      case 'split': {
        const ids = members.map((h) => h.id);
        for (let i = ids.length - 1; i > 0; i--) {
          const j = rng.below(i + 1);
          [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
        }
        const cutAt = ids.length < 2 ? 0 : rng.between(1, ids.length - 1);
        sim.network.split(ids.slice(0, cutAt), ids.slice(cutAt));
        this.partitioned(phase, `split ${ids.slice(0, cutAt).join('+')} | ${ids.slice(cutAt).join('+')}`);
        return;
      }
      case 'oneWay': {
        const other = rng.pick(members);
        if (other === target) return;
        sim.network.cut(target.id, other.id);
        this.partitioned(phase, `cut ${target.id}>${other.id}`);
        return;
      }
      case 'pause': {
        const pauseUs = rng.between(20_000, 400_000);
        target.pausedUntilUs = sim.nowUs + pauseUs;
        sim.stats.pauses++;
        sim.record(`pause ${target.id} for=${pauseUs / 1000}ms`);
        sim.at(pauseUs, () => sim.resumeHost(target));
        return;
      }
      case 'storm': {
        const stormUs = rng.between(50_000, 300_000);
        sim.network.conditions = {
          ...this.phaseConditions,
          dropRate: rng.pick([0.3, 0.6]),
          duplicateRate: 0.1,
        };
        sim.record(`storm for=${stormUs / 1000}ms`);
        sim.at(stormUs, () => {
          if (phase === this.phase) sim.network.conditions = { ...this.phaseConditions };
        });
        return;
      }
    }
  }

  private partitioned(phase: number, what: string): void {
    const sim = this.sim;
    sim.stats.partitions++;
    sim.record(`partition ${what}`);
    sim.at(this.rng.between(50_000, 1_000_000), () => {
      if (phase !== this.phase) return;
      sim.network.healLinks();
      sim.record('links healed');
    });
  }

  // ---- operator actions --------------------------------------------------------------------

  private scheduleAdmin(phase: number): void {
    this.sim.at(this.admin.between(100_000, 500_000), () => {
      if (phase !== this.phase) return;
      this.adminAction();
      this.scheduleAdmin(phase);
    });
  }

  private adminAction(): void {
    const sim = this.sim;
    const leader = this.leader();
    if (leader === undefined || leader.pausedUntilUs > sim.nowUs) return;
    const r = leader.raft as Raft;
    const node = leader.node as NonNullable<SimHost['node']>;
    const conf = r.tracker.confState();
    try {
      if (sim.s.spareNodes === 0 || this.admin.chance(0.3)) {
        const others = conf.voters.filter((id) => id !== leader.id);
        if (others.length === 0) return;
        const to = this.admin.pick(others);
        sim.record(`admin transfer ${leader.id}>${to}`);
        sim.stats.transfers++;
        node.transferLeadership(to);
      } else {
        const change = this.pickChange(r, conf.voters, conf.learners);
        if (change === null) return;
        sim.record(`admin ${change.type} ${change.nodeId} via ${leader.id}`);
        node.proposeConfChange(change);
        sim.stats.confChanges++;
      }
    } catch (error) {
      if (!isExpectedRefusal(error)) throw error;
      sim.record(`admin refused: ${(error as Error).name}`);
    }
    sim.afterEvent(leader);
  }

  private pickChange(
    r: Raft,
    voters: readonly string[],
    learners: readonly string[],
  ): { type: ConfChangeType; nodeId: string } | null {
    const sim = this.sim;
    const spare = sim.hosts.find((h) => h.status === HostStatus.Spare && !r.tracker.isMember(h.id));
    const caughtUp = learners.find((id) => (r.tracker.progress.get(id)?.match ?? 0) >= r.log.lastIndex() - 2);
    if (caughtUp !== undefined) return { type: ConfChangeType.AddVoter, nodeId: caughtUp };
    if (spare !== undefined && learners.length === 0 && this.admin.chance(0.6))
      return { type: ConfChangeType.AddLearner, nodeId: spare.id };
    if (voters.length > Math.max(2, sim.s.nodes - 1) && learners.length === 0)
      return { type: ConfChangeType.RemoveNode, nodeId: this.admin.pick(voters) };
    return null;
  }

  // ---- heal and recovery -------------------------------------------------------------------

  private heal(phase: number): void {
    if (phase !== this.phase) return;
    const sim = this.sim;
    const healed = ++this.phase;
    this.inFaultPhase = false;
    sim.network.conditions = { ...CALM_NETWORK };
    sim.network.healLinks();
    sim.clientsActive = false;
    this.healAtUs = sim.nowUs;
    sim.record('heal');
    for (const host of sim.hosts) {
      if (host.status === HostStatus.Down) sim.startHost(host);
      else sim.resumeHost(host);
    }
    this.probeRecovery(healed);
  }

  private probeRecovery(phase: number): void {
    const sim = this.sim;
    sim.at(sim.s.tickUs, () => {
      if (phase !== this.phase) return;
      const ticks = Math.ceil((sim.nowUs - this.healAtUs) / sim.s.tickUs);
      if (this.recovered()) {
        this.recoveryTicks.push(ticks);
        sim.record(`recovered after ${ticks} ticks`);
        sim.clientsActive = true;
        this.cycle++;
        const calm = ++this.phase;
        sim.at(sim.s.calmPhaseUs, () => {
          if (calm !== this.phase) return;
          if (this.cycle < sim.s.cycles) this.startFaultPhase();
          else sim.finished = true;
        });
        return;
      }
      if (ticks > sim.s.recoveryBoundTicks) {
        throw new InvariantViolation(
          Invariant.Liveness,
          `not recovered ${ticks} ticks after the heal: ${this.describeCluster()}`,
        );
      }
      this.probeRecovery(phase);
    });
  }

  /** One leader that every running member follows, every member applied up to its last entry. */
  private recovered(): boolean {
    const leader = this.leader();
    if (leader === undefined) return false;
    const lr = leader.raft as Raft;
    if (lr.log.committed !== lr.log.lastIndex()) return false;
    for (const host of this.sim.hosts) {
      if (host.status === HostStatus.Spare || host.status === HostStatus.Removed) continue;
      const r = host.raft;
      if (r === null || host.syncing !== null) return false;
      if (r.term !== lr.term || r.leader !== leader.id || host.app.appliedIndex !== lr.log.lastIndex())
        return false;
    }
    return true;
  }

  describeCluster(): string {
    return this.sim.hosts
      .map((h) => {
        const r = h.raft;
        if (r === null) return `${h.id}:${h.status}`;
        return `${h.id}:${r.role}/t${r.term}/lead=${r.leader ?? '-'}/c${r.log.committed}/a${h.app.appliedIndex}/last${r.log.lastIndex()}`;
      })
      .join(' ');
  }
}

import { decodeMessage, encodeMessage, decodeConfChange } from '../codec.js';
import { NotLeaderError, ProposalDroppedError } from '../errors.js';
import { Prng } from '../prng.js';
import type { Ready } from '../ready.js';
import type { Entry, Message, NodeId } from '../types.js';
import { ConfChangeType, EntryType } from '../types.js';
import { EventQueue } from './event-queue.js';
import { FaultScheduler } from './faults.js';
import { digestBytes } from './hash.js';
import { HostStatus, SimHost } from './host.js';
import { Invariant, InvariantChecker, InvariantViolation } from './invariants.js';
import { SimNetwork } from './network.js';
import type { Scenario, SimOptions } from './scenario.js';
import { makeScenario } from './scenario.js';
import { Trace } from './trace.js';

/** Bounds of one run: a runaway run is a failure, never a hang. */
const MAX_EVENTS = 3_000_000;
const MAX_QUEUED_EVENTS = 500_000;
const MAX_READIES_PER_EVENT = 64;

export interface SimStats {
  messagesSent: number;
  messagesDropped: number;
  messagesDuplicated: number;
  crashes: number;
  partitions: number;
  pauses: number;
  leaderTerms: number;
  proposals: number;
  acked: number;
  confChanges: number;
  transfers: number;
}

export interface SimResult {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly violation: { readonly invariant: string; readonly message: string } | null;
  readonly events: number;
  readonly simTimeUs: number;
  /** Entries committed (the highest committed index seen). */
  readonly committedEntries: number;
  /** Ticks from each heal to a stable, caught-up cluster. */
  readonly recoveryTicks: readonly number[];
  readonly traceHash: string;
  readonly traceTail: readonly string[];
  readonly trace: readonly string[] | null;
  readonly stats: SimStats;
}

function describe(m: Message): string {
  let text = `${m.type} ${m.from}>${m.to} t${m.term}`;
  if (m.index !== 0 || m.logTerm !== 0) text += ` i${m.index}/${m.logTerm}`;
  if (m.entries.length > 0) text += ` n${m.entries.length}`;
  if (m.commit !== 0) text += ` c${m.commit}`;
  if (m.reject) text += ` rej${m.rejectHint}`;
  if (m.snapshot !== null) text += ` snap${m.snapshot.metadata.index}`;
  return text;
}

/** The payload of a proposal: its id, then `padding` dots (ASCII, no TextEncoder needed). */
function asciiBytes(id: string, padding: number): Uint8Array {
  const data = new Uint8Array(id.length + padding).fill(0x2e);
  for (let i = 0; i < id.length; i++) data[i] = id.charCodeAt(i);
  return data;
}

interface Client {
  readonly id: number;
  seq: number;
  leaderHint: NodeId | null;
}

/**
 * One deterministic run: a discrete-event loop over simulated machines, network and clients,
 * every random choice drawn from one seed split into a stream per subsystem.
 */
export class Simulation {
  readonly s: Scenario;
  readonly queue = new EventQueue(MAX_QUEUED_EVENTS);
  readonly hosts: SimHost[] = [];
  readonly hostById = new Map<NodeId, SimHost>();
  readonly network: SimNetwork;
  readonly checker: InvariantChecker;
  readonly trace: Trace;
  readonly faults: FaultScheduler;
  private readonly diskRng: Prng;
  private readonly clockRng: Prng;
  private readonly clientRng: Prng;
  private readonly clients: Client[] = [];
  nowUs = 0;
  events = 0;
  clientsActive = false;
  finished = false;
  readonly stats: SimStats = {
    messagesSent: 0,
    messagesDropped: 0,
    messagesDuplicated: 0,
    crashes: 0,
    partitions: 0,
    pauses: 0,
    leaderTerms: 0,
    proposals: 0,
    acked: 0,
    confChanges: 0,
    transfers: 0,
  };

  constructor(options: SimOptions) {
    this.s = makeScenario(options);
    const seed = this.s.seed;
    this.network = new SimNetwork(new Prng(seed, 'network'));
    this.diskRng = new Prng(seed, 'disk');
    this.clockRng = new Prng(seed, 'clock');
    this.clientRng = new Prng(seed, 'client');
    this.trace = new Trace(this.s.traceTailLines, this.s.keepTrace);
    const founders: NodeId[] = [];
    for (let i = 1; i <= this.s.nodes; i++) founders.push(`n${i}`);
    for (let i = 0; i < this.s.nodes + this.s.spareNodes; i++) {
      const id = `n${i + 1}`;
      const host = new SimHost(
        id,
        this.s.clockRates[i] as number,
        i < this.s.nodes ? founders : null,
        this.s,
      );
      this.hosts.push(host);
      this.hostById.set(id, host);
    }
    this.checker = new InvariantChecker(this.hosts);
    this.faults = new FaultScheduler(this, new Prng(seed, 'faults'), new Prng(seed, 'admin'));
    for (let i = 0; i < this.s.clients; i++) this.clients.push({ id: i + 1, seq: 0, leaderHint: null });
  }

  record(line: string): void {
    this.trace.record(this.nowUs, line);
  }

  at(delayUs: number, run: () => void): void {
    this.queue.schedule(this.nowUs + Math.max(0, Math.round(delayUs)), run);
  }

  run(): SimResult {
    let violation: SimResult['violation'] = null;
    try {
      for (const host of this.hosts) if (host.status === HostStatus.Down) this.startHost(host);
      for (const client of this.clients)
        this.at(20_000 + this.clientRng.below(this.s.proposalIntervalUs), () => this.clientPropose(client));
      this.clientsActive = true;
      this.faults.begin();
      while (!this.finished) {
        const event = this.queue.pop();
        if (event === undefined) break;
        this.nowUs = event.timeUs;
        event.run();
        if (++this.events > MAX_EVENTS)
          throw new InvariantViolation(Invariant.Liveness, `more than ${MAX_EVENTS} events`);
      }
      this.checker.finalAudit();
    } catch (error) {
      if (error instanceof InvariantViolation)
        violation = { invariant: error.invariant, message: error.message };
      else
        violation = {
          invariant: Invariant.Exception,
          message:
            error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error),
        };
      this.record(`VIOLATION ${violation.message}`);
    }
    this.stats.messagesSent = this.network.sent;
    this.stats.messagesDropped = this.network.dropped;
    this.stats.messagesDuplicated = this.network.duplicated;
    return {
      seed: this.s.seed,
      scenario: this.s,
      violation,
      events: this.events,
      simTimeUs: this.nowUs,
      committedEntries: this.checker.committedCount(),
      recoveryTicks: this.faults.recoveryTicks,
      traceHash: this.trace.hashHex(),
      traceTail: this.trace.lastLines(),
      trace: this.trace.all,
      stats: this.stats,
    };
  }

  // ---- machines ----------------------------------------------------------------------------

  startHost(host: SimHost): void {
    host.start();
    this.record(
      `start ${host.id} #${host.incarnation} applied=${host.app.appliedIndex} term=${host.durable.term}`,
    );
    const epoch = host.epoch;
    this.at(this.clockRng.below(this.s.tickUs), () => this.tick(host, epoch));
    this.afterEvent(host);
  }

  crashHost(host: SimHost, status: HostStatus = HostStatus.Down): void {
    if (!host.isUp()) return;
    host.crash(status);
    this.stats.crashes++;
    this.record(`${status === HostStatus.Removed ? 'shutdown' : 'crash'} ${host.id}`);
  }

  /** Lets a paused host run again (what arrived meanwhile is delivered as it was scheduled). */
  resumeHost(host: SimHost): void {
    if (!host.isUp() || host.pausedUntilUs <= this.nowUs) return;
    host.pausedUntilUs = this.nowUs;
    this.record(`resume ${host.id}`);
    this.afterEvent(host);
  }

  private tickIntervalUs(host: SimHost): number {
    // Each machine's clock runs at its own rate, with a little jitter per tick.
    const jitter = 1 + (this.clockRng.float() - 0.5) * 0.02;
    return Math.round((this.s.tickUs / host.clockRate) * jitter);
  }

  private tick(host: SimHost, epoch: number): void {
    if (host.epoch !== epoch || !host.isUp()) return;
    if (host.pausedUntilUs > this.nowUs) {
      this.queue.schedule(host.pausedUntilUs, () => this.tick(host, epoch));
      return;
    }
    (host.node as NonNullable<SimHost['node']>).tick();
    this.record(`tick ${host.id}`);
    this.afterEvent(host);
    this.at(this.tickIntervalUs(host), () => this.tick(host, epoch));
  }

  private deliver(message: Message, encoded: Uint8Array | null): void {
    const host = this.hostById.get(message.to);
    if (host === undefined || !host.isUp() || this.network.isCut(message.from, message.to)) {
      this.record(`lost ${describe(message)}`);
      return;
    }
    if (host.pausedUntilUs > this.nowUs) {
      this.queue.schedule(host.pausedUntilUs, () => this.deliver(message, encoded));
      return;
    }
    const received = encoded === null ? message : decodeMessage(encoded);
    this.record(`recv ${describe(received)}`);
    (host.node as NonNullable<SimHost['node']>).step(received);
    this.afterEvent(host);
  }

  send(message: Message): void {
    const encoded = this.s.useCodec ? encodeMessage(message) : null;
    for (const delivery of this.network.route(message))
      this.at(delivery.delayUs, () => this.deliver(delivery.message, encoded));
  }

  /** After anything happened to `host`: check it, then let it do its I/O. */
  afterEvent(host: SimHost): void {
    const commitBefore = host.seenCommit;
    this.checker.observe(host);
    if (this.faults.crashOnFirstCommit(host, commitBefore)) return;
    this.pump(host);
  }

  /** Takes Readies while the host is free: writes go to disk (a delay), the rest at once. */
  private pump(host: SimHost): void {
    for (let i = 0; i < MAX_READIES_PER_EVENT; i++) {
      const node = host.node;
      if (node === null || host.syncing !== null || host.pausedUntilUs > this.nowUs || !node.hasReady())
        return;
      this.checker.observe(host);
      const ready = node.ready();
      if (ready.entries.length > 0 || ready.hardState !== null || ready.snapshot !== null) {
        host.syncing = ready;
        const epoch = host.epoch;
        const latencyUs = 100 + this.diskRng.below(this.diskRng.chance(0.05) ? 8000 : 1500);
        this.at(latencyUs, () => {
          if (host.epoch !== epoch) return;
          this.record(
            `synced ${host.id} n${ready.entries.length}${ready.hardState ? ` hs${ready.hardState.term}/${ready.hardState.vote ?? '-'}/${ready.hardState.commit}` : ''}`,
          );
          this.completeReady(host, ready);
          this.afterEvent(host);
        });
        return;
      }
      this.completeReady(host, ready);
    }
    this.checker.observe(host);
  }

  /** The driver contract: persist, then send, then apply, then advance. */
  private completeReady(host: SimHost, ready: Ready): void {
    this.checker.onPersist(host, ready);
    host.persist(ready);
    if (ready.softState !== null)
      this.record(
        `role ${host.id} ${ready.softState.role} t${host.durable.term} leader=${ready.softState.leader ?? '-'}`,
      );
    if (this.faults.crashAfterElection(host, ready.softState?.role === 'leader')) return;
    for (const message of ready.messages) {
      this.checker.onSend(host, message);
      this.send(message);
    }
    if (ready.snapshot !== null) {
      this.checker.onInstallSnapshot(host, ready.snapshot);
      host.installSnapshot(ready.snapshot);
      for (const index of host.pending.keys())
        if (index <= ready.snapshot.metadata.index) host.pending.delete(index);
      this.record(`install ${host.id} snap${ready.snapshot.metadata.index}`);
    }
    for (const entry of ready.committedEntries) this.apply(host, entry);
    (host.node as NonNullable<SimHost['node']>).advance(ready);
    host.syncing = null;
    if (ready.softState?.role === 'leader') this.stats.leaderTerms++;
    host.maybeSnapshot();
  }

  private apply(host: SimHost, entry: Entry): void {
    if (entry.index !== host.app.appliedIndex + 1) {
      throw new InvariantViolation(
        Invariant.AppliedPrefix,
        `${host.id} applies ${entry.index} after ${host.app.appliedIndex}`,
      );
    }
    host.applyEntry(entry);
    this.checker.onApply(host, entry);
    const pending = host.pending.get(entry.index);
    if (pending !== undefined) {
      host.pending.delete(entry.index);
      if (entry.term === pending.term && digestBytes(entry.data, 0) === pending.dataDigest) {
        this.checker.onAck(pending.proposalId, entry);
        this.stats.acked++;
      }
    }
    if (entry.type === EntryType.ConfChange) this.membershipApplied(decodeConfChange(entry.data));
  }

  /** The first node to apply a membership change brings the machine up or shuts it down. */
  private membershipApplied(change: { type: string; nodeId: NodeId }): void {
    const target = this.hostById.get(change.nodeId);
    if (target === undefined) return;
    if (change.type === ConfChangeType.RemoveNode && target.status !== HostStatus.Removed) {
      // After the current Ready is done (the applying node may be the one removed).
      this.at(0, () => {
        if (target.status === HostStatus.Removed) return;
        this.crashHost(target, HostStatus.Removed);
        target.status = HostStatus.Removed;
      });
    } else if (change.type !== ConfChangeType.RemoveNode && target.status === HostStatus.Spare) {
      this.startHost(target);
    }
  }

  // ---- clients -----------------------------------------------------------------------------

  private clientPropose(client: Client): void {
    if (this.finished) return;
    this.at(this.s.proposalIntervalUs / 2 + this.clientRng.below(this.s.proposalIntervalUs), () =>
      this.clientPropose(client),
    );
    if (!this.clientsActive) return;
    const up = this.hosts.filter((h) => h.isUp() && h.pausedUntilUs <= this.nowUs);
    if (up.length === 0) return;
    const hinted = client.leaderHint === null ? undefined : this.hostById.get(client.leaderHint);
    const host = hinted !== undefined && up.includes(hinted) ? hinted : this.clientRng.pick(up);
    const proposalId = `c${client.id}.${++client.seq}|`;
    const padding = this.clientRng.below(Math.max(1, this.s.payloadBytesMax - proposalId.length));
    const data = asciiBytes(proposalId, padding);
    const raft = host.raft as NonNullable<SimHost['raft']>;
    if ((raft.role !== 'leader' || raft.leadTransferee !== null) && this.clientRng.chance(0.97)) {
      // What propose() would throw (NotLeaderError, ProposalDroppedError), without paying for
      // an exception each time; 3% still go through the real error path.
      client.leaderHint = raft.leader;
      this.record(`propose ${host.id} ${proposalId} refused`);
      return;
    }
    try {
      const result = (host.node as NonNullable<SimHost['node']>).propose(data);
      host.pending.set(result.index, { proposalId, term: result.term, dataDigest: digestBytes(data, 0) });
      this.stats.proposals++;
      this.record(`propose ${host.id} ${proposalId} at ${result.index}/${result.term}`);
    } catch (error) {
      if (error instanceof NotLeaderError) client.leaderHint = error.leader;
      else if (!(error instanceof ProposalDroppedError)) throw error;
      this.record(`propose ${host.id} ${proposalId} refused: ${(error as Error).name}`);
    }
    this.afterEvent(host);
  }
}

/** Runs one seed to completion (or to its first violation). */
export function runSimulation(options: SimOptions): SimResult {
  return new Simulation(options).run();
}

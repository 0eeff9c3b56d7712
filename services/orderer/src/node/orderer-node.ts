import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { consenterChange, type ChannelConfig } from '@civic/identity';
import { deliverBlocks, ensureStreams } from '@civic/messaging';
import { parseBlock, SubmitCode, type BlockSigner, type SubmitReply } from '@civic/protocol';
import {
  ConfChangePendingError,
  EntryType,
  RaftNode,
  Role,
  type Ready,
  type RaftConfig,
  type RaftStatus,
  type Snapshot,
  type SoftState,
} from '@civic/raft';
import type { Logger } from 'pino';
import { genesisState } from '../chain/chain-state.js';
import { decodeSnapshotData, encodeSnapshotData } from '../chain/snapshot-data.js';
import { accepted, rejected, type Rejection } from '../codes.js';
import { DeliverServer } from '../delivery/deliver-server.js';
import { checkSubmission } from '../intake/check-envelope.js';
import { IntakeService } from '../intake/intake-service.js';
import { LeaderPipeline } from '../leader/leader-pipeline.js';
import type { OrdererMetrics } from '../metrics.js';
import { BlockPublisher } from '../publish/block-publisher.js';
import { DiskRaftStorage } from '../storage/raft-storage.js';
import { RaftTransport } from '../transport/raft-transport.js';
import { ChainApplier, type AppliedBlock } from './chain-applier.js';
import { keepsReachableQuorum, nextMembershipChange } from './membership.js';

/** Tunables of one orderer process (the channel config holds the cluster-wide ones). */
export interface OrdererNodeConfig {
  readonly channel: string;
  readonly nodeId: string;
  /** Where this node keeps `wal/` and `blocks/`. */
  readonly dataDir: string;
  /** Most distance between a txTime and this node's clock (the duplicate window). */
  readonly txWindowMs: number;
  /** Extra retention of txIds for clock differences between orderers. */
  readonly txWindowMarginMs: number;
  /** Most txIds remembered for duplicate refusal; admissions beyond it get OVERLOADED. */
  readonly dedupEntriesMax: number;
  readonly forwardTimeoutMs: number;
  readonly forwardsMax: number;
  /** Cut blocks waiting for a proposal slot (beyond: OVERLOADED). */
  readonly queuedBatchesMax: number;
  /** Snapshot and compact when the write-ahead log exceeds this, whatever the block count. */
  readonly snapshotWalBytes: number;
  /** Entries kept in memory before a snapshot, so a follower slightly behind gets entries. */
  readonly snapshotKeepEntries: number;
  /** Longest silence of a `.deliver` reply while catching up from other orderers. */
  readonly catchUpIdleTimeoutMs: number;
}

export interface OrdererNodeDeps {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly signer: BlockSigner;
  readonly genesisBytes: Uint8Array;
  readonly log: Logger;
  readonly metrics: OrdererMetrics;
  readonly clock?: () => number;
  /** A write that must succeed failed (disk full, I/O error): the process must stop. */
  readonly onFatal?: (error: unknown) => void;
}

export interface OrdererStatus {
  readonly nodeId: string;
  readonly channel: string;
  readonly role: string;
  readonly term: number;
  readonly leader: string | null;
  readonly leaderReady: boolean;
  readonly ready: boolean;
  readonly height: number;
  readonly applied: number;
  readonly commit: number;
  readonly lastIndex: number;
  readonly snapshotIndex: number;
  readonly voters: readonly string[];
  readonly pendingEnvelopes: number;
  readonly inflightBlocks: number;
  readonly walBytes: number;
  readonly blocksPublished: number;
}

/**
 * One orderer: the Raft driver (ticks, the Ready loop: persist and fsync, then send, then
 * apply), the chain it applies, and around them intake, the leader's pipeline, delivery and
 * publication. See docs/orderer.md.
 */
export class OrdererNode {
  private raft!: RaftNode;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private tickMs = 0;
  private role: string = Role.Follower;
  private leaderId: string | null = null;
  private leaderReadyIndex: number | null = null;
  private leaderReady = false;
  private isReady = false;
  private rebuildRaft = false;
  private blocksSinceSnapshot = 0;
  private transferAsked = false;
  private raftTiming = { electionTicks: 0, heartbeatTicks: 0 };
  private membershipChanged = false;
  private readonly clock: () => number;
  private readonly pipeline: LeaderPipeline;
  private readonly transport: RaftTransport;
  private readonly intake: IntakeService;
  private readonly deliver: DeliverServer;
  private readonly publisher: BlockPublisher;

  private constructor(
    private readonly config: OrdererNodeConfig,
    private readonly deps: OrdererNodeDeps,
    private readonly chain: ChainApplier,
    private readonly storage: DiskRaftStorage,
  ) {
    this.clock = deps.clock ?? Date.now;
    const { log, metrics } = deps;
    const chainConfig = chain.state.config;
    this.pipeline = new LeaderPipeline(
      {
        channel: config.channel,
        signer: deps.signer,
        clock: this.clock,
        nextPosition: () => {
          const status = this.raft.status();
          return { index: status.lastIndex + 1, term: status.term };
        },
        propose: (data) => {
          const result = this.raft.propose(data);
          this.kick();
          return result;
        },
        log,
        onCut: (envelopes, bytes, limits) => {
          metrics.blocksCut.inc();
          metrics.blockEnvelopes.observe(envelopes);
          metrics.blockBytes.observe(bytes);
          metrics.batchFill.observe(envelopes / limits.maxMessageCount);
        },
        onCommitted: (latencyMs) => metrics.proposalCommitSeconds.observe(latencyMs / 1000),
      },
      chainConfig.batch,
      chainConfig.raft.maxInflightBlocks,
      config.queuedBatchesMax,
    );
    this.transport = new RaftTransport(deps.nc, config.channel, config.nodeId, (m) => this.step(m), log);
    this.intake = new IntakeService(
      deps.nc,
      config.channel,
      config.nodeId,
      { leader: () => this.leaderId, submitHere: (bytes) => this.submitHere(bytes) },
      log,
      metrics,
      {
        forwardTimeoutMs: config.forwardTimeoutMs,
        forwardsMax: config.forwardsMax,
        queueMax: 20_000,
        sliceMs: 5,
      },
    );
    this.deliver = new DeliverServer(
      deps.nc,
      config.channel,
      { watch: chain.watch, read: (n) => chain.store.read(n) },
      log,
    );
    this.publisher = new BlockPublisher(
      deps.js,
      deps.jsm,
      config.channel,
      { watch: chain.watch, read: (n) => chain.store.read(n) },
      log,
      () => metrics.blocksPublished.inc(),
      (n) => chain.recentBlock(n),
    );
    chain.onIgnored = () => metrics.ignoredEntries.inc();
  }

  /** Opens the node's disk state, catches up if a snapshot is ahead of its blocks, and starts. */
  static async start(config: OrdererNodeConfig, deps: OrdererNodeDeps): Promise<OrdererNode> {
    const { log } = deps;
    const genesis = genesisState(parseBlock(deps.genesisBytes));
    const chain = await ChainApplier.open(
      config.dataDir,
      deps.genesisBytes,
      { windowMs: config.txWindowMs, marginMs: config.txWindowMarginMs, entriesMax: config.dedupEntriesMax },
      log,
    );
    const voters = genesis.config.consenters.map((c) => c.nodeId);
    const founding = voters.includes(config.nodeId);
    const opened = await DiskRaftStorage.open(
      join(config.dataDir, 'wal'),
      founding ? { voters, data: encodeSnapshotData(genesis) } : null,
    );
    if (opened.truncated !== null)
      log.warn({ ...opened.truncated }, 'write-ahead log: dropped a torn last record');
    if (opened.empty)
      log.info('empty write-ahead log and not a founding consenter: waiting for a snapshot from the leader');
    const node = new OrdererNode(config, deps, chain, opened.storage);
    await node.open();
    return node;
  }

  private async open(): Promise<void> {
    const { log } = this.deps;
    const snapshot = this.storage.snapshot();
    if (snapshot.data.length > 0) {
      const target = decodeSnapshotData(snapshot.data);
      if (target.height > this.chain.state.height) {
        log.info(
          { from: this.chain.state.height, to: target.tip.number },
          'the snapshot is ahead of the block store: fetching blocks',
        );
        await this.chain.restoreTo(target, snapshot.metadata.index, (from, to) => this.fetch(from, to));
      }
    }
    const hard = this.storage.hardState();
    const applied = Math.min(hard.commit, Math.max(snapshot.metadata.index, this.chain.tipRaftIndex));
    const config = this.chain.state.config;
    this.raftTiming = {
      electionTicks: config.raft.electionTicks,
      heartbeatTicks: config.raft.heartbeatTicks,
    };
    this.raft = new RaftNode(this.raftConfig(config, applied), this.storage);
    const remembered = await this.chain.rebuildWindow(this.clock());
    await ensureStreams(this.deps.jsm, this.config.channel);
    log.info(
      { height: this.chain.state.height, applied, term: hard.term, commit: hard.commit, remembered },
      'orderer opened from disk',
    );
    this.transport.start();
    this.startTicking(this.chain.state.config.raft.tickMs);
    this.intake.start();
    this.loop = this.run();
  }

  private raftConfig(config: ChannelConfig, applied: number): RaftConfig {
    return {
      id: this.config.nodeId,
      electionTicks: config.raft.electionTicks,
      heartbeatTicks: config.raft.heartbeatTicks,
      // Fresh at every start: election timeouts differ between nodes and between incarnations.
      randomSeed: randomInt(2 ** 31),
      maxInflightMsgs: config.raft.maxInflightBlocks,
      preVote: true,
      checkQuorum: true,
      applied,
    };
  }

  private startTicking(tickMs: number): void {
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    this.tickMs = tickMs;
    this.tickTimer = setInterval(() => {
      this.raft.tick();
      this.kick();
    }, tickMs);
  }

  private step(message: Parameters<RaftNode['step']>[0]): void {
    if (this.stopping) return;
    this.raft.step(message);
    this.kick();
  }

  private kick(): void {
    this.kicked = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  // ---- the Ready loop -----------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (!this.raft.hasReady()) {
        if (!this.kicked) await new Promise<void>((resolve) => (this.wake = resolve));
        this.kicked = false;
        continue;
      }
      const ready = this.raft.ready();
      try {
        await this.handle(ready);
        this.raft.advance(ready);
        await this.afterAdvance();
      } catch (error) {
        this.deps.log.fatal({ err: error }, 'the Ready loop failed');
        this.stopping = true;
        this.deps.onFatal?.(error);
        return;
      }
    }
  }

  private async handle(ready: Ready): Promise<void> {
    if (ready.softState !== null) this.onSoftState(ready.softState);
    const started = process.hrtime.bigint();
    await this.storage.persist(ready);
    this.deps.metrics.persistSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    // Only now may a vote or an append acknowledgement leave: what it promises is on disk.
    this.transport.send(ready.messages);
    if (ready.snapshot !== null) await this.restoreFromSnapshot(ready.snapshot);
    if (ready.committedEntries.length === 0) return;
    const applied = await this.chain.apply(ready.committedEntries, (data) => this.pipeline.builtBlock(data));
    this.afterApply(applied, ready);
  }

  private afterApply(applied: readonly AppliedBlock[], ready: Ready): void {
    const { metrics } = this.deps;
    const last = ready.committedEntries.at(-1);
    const txIds = applied.flatMap((a) => a.txIds);
    if (last !== undefined) this.pipeline.onApplied(this.chain.state, last.index, txIds);
    if (ready.committedEntries.some((entry) => entry.type === EntryType.ConfChange))
      this.membershipChanged = true;
    if (applied.length === 0) return;
    this.blocksSinceSnapshot += applied.length;
    metrics.height.set(this.chain.state.height);
    this.publisher.notify();
    for (const a of applied) {
      if (a.configChanged) this.onConfigChanged(a.next.config, a.block.header.number);
    }
  }

  private async afterAdvance(): Promise<void> {
    const status = this.raft.status();
    const { metrics, log } = this.deps;
    metrics.term.set(status.term);
    metrics.commitIndex.set(status.commit);
    metrics.appliedIndex.set(status.applied);
    metrics.walBytes.set(this.storage.walBytes);
    if (
      this.role === Role.Leader &&
      !this.leaderReady &&
      this.leaderReadyIndex !== null &&
      status.applied >= this.leaderReadyIndex
    ) {
      this.becomeReadyLeader(status);
    }
    if (this.membershipChanged) {
      this.membershipChanged = false;
      const member = status.config.voters.includes(this.config.nodeId);
      log.info(
        { voters: status.config.voters, learners: status.config.learners },
        'membership change applied',
      );
      if (!member) log.warn('this node is not a voter of the cluster any more (removed from the consenters)');
    }
    if (this.leaderReady) this.reconcileMembership(status);
    const ready = this.leaderId !== null && status.applied >= status.commit;
    if (ready && !this.isReady) {
      if (!this.deliver.started) this.deliver.start();
      this.deps.log.info({ height: this.chain.state.height, applied: status.applied }, 'ready');
    }
    this.isReady = ready;
    await this.maybeSnapshot(status);
    if (this.rebuildRaft) this.rebuild(status);
  }

  // ---- leadership ---------------------------------------------------------------------------

  private onSoftState(soft: SoftState): void {
    const { log, metrics } = this.deps;
    const wasLeader = this.role === Role.Leader;
    if (soft.leader !== this.leaderId) metrics.leaderChanges.inc();
    this.role = soft.role;
    this.leaderId = soft.leader;
    metrics.setRole(soft.role);
    metrics.setLeader(soft.leader);
    log.info(
      {
        event: 'role',
        role: soft.role,
        leader: soft.leader,
        term: this.raft.status().term,
        atMs: this.clock(),
      },
      'raft role changed',
    );
    if (wasLeader && soft.role !== Role.Leader) {
      const dropped = this.pipeline.deactivate();
      metrics.droppedOnDeposition.inc(dropped);
      this.publisher.deactivate();
      this.leaderReady = false;
      this.leaderReadyIndex = null;
      log.warn({ dropped }, 'deposed: dropped the pending batch');
    }
    if (!wasLeader && soft.role === Role.Leader) {
      // Proposes nothing until every entry up to its own first one is applied.
      this.leaderReadyIndex = this.raft.status().lastIndex;
      this.leaderReady = false;
      this.transferAsked = false;
    }
  }

  private becomeReadyLeader(status: RaftStatus): void {
    const config = this.chain.state.config;
    this.leaderReady = true;
    this.pipeline.activate(this.chain.state, config.batch, config.raft.maxInflightBlocks);
    this.publisher.activate();
    this.deps.log.info(
      { event: 'leaderReady', term: status.term, height: this.chain.state.height, atMs: this.clock() },
      'leading: log applied, ordering',
    );
  }

  /** Intake on the leader: the checks, duplicates, then the pipeline. */
  private submitHere(bytes: Uint8Array): SubmitReply {
    const { metrics } = this.deps;
    const reply = this.admit(bytes);
    if (reply.status === 'ACCEPTED') metrics.admitted.inc();
    else metrics.rejected.inc({ code: reply.code });
    return reply;
  }

  private admit(bytes: Uint8Array): SubmitReply {
    if (!this.leaderReady) {
      return rejected({
        code: SubmitCode.NOT_READY,
        reason: 'a new leader is applying its log; retry shortly',
      });
    }
    const state = this.chain.state;
    const verdict = checkSubmission(bytes, {
      channel: this.config.channel,
      config: state.config,
      configNumber: state.configNumber,
      nowMs: this.clock(),
      txWindowMs: this.config.txWindowMs,
    });
    if (!verdict.ok) return rejected(verdict.rejection);
    const { checked } = verdict;
    if (this.chain.window.has(checked.txId)) {
      return rejected({
        code: SubmitCode.DUPLICATE_TXID,
        reason: 'already in the chain',
        txId: checked.txId,
      });
    }
    if (this.chain.window.full) {
      return rejected({
        code: SubmitCode.OVERLOADED,
        reason: 'the duplicate window is full',
        txId: checked.txId,
      });
    }
    if (checked.nextConfig !== null) {
      const refusal = this.membershipRefusal(state.config, checked.nextConfig, checked.txId);
      if (refusal !== null) return rejected(refusal);
    }
    const refusal = this.pipeline.admit(checked);
    return refusal === null ? accepted(checked.txId) : rejected(refusal);
  }

  /** A consenter change is refused when the cluster would not keep a reachable quorum. */
  private membershipRefusal(current: ChannelConfig, next: ChannelConfig, txId: string): Rejection | null {
    const change = consenterChange(current.consenters, next.consenters);
    if (change.added.length === 0 && change.removed.length === 0) return null;
    const status = this.raft.status();
    if (status.config.voters.length !== current.consenters.length) {
      return {
        code: SubmitCode.CONFIG_PENDING,
        reason: 'the previous membership change is still being applied',
        txId,
      };
    }
    const nextVoters = next.consenters.map((c) => c.nodeId);
    // Followers answer every heartbeat (each heartbeatTicks): silence for a few of them is telling.
    const { tickMs, heartbeatTicks } = current.raft;
    const withinMs = Math.max(200, 4 * heartbeatTicks * tickMs);
    const check = keepsReachableQuorum(
      this.config.nodeId,
      nextVoters,
      (id) => status.progress[id]?.recentActive === true && this.transport.heardFrom(id, withinMs),
    );
    if (!check.ok)
      this.deps.log.warn({ progress: status.progress, withinMs, check }, 'consenter change refused');
    if (check.ok) return null;
    return {
      code: SubmitCode.CONFIG_NOT_ALLOWED,
      reason: `would leave the cluster without a quorum: ${check.reachable} of ${nextVoters.length} consenters reachable, ${check.quorum} needed (not reachable: ${check.unreachable.join(', ')})`,
      txId,
    };
  }

  /** The leader brings the Raft membership to the config's consenters, one change at a time. */
  private reconcileMembership(status: RaftStatus): void {
    const consenters = this.chain.state.config.consenters.map((c) => c.nodeId);
    const change = nextMembershipChange(consenters, status.config.voters);
    if (change === null) return;
    const { log } = this.deps;
    if (change.type === 'removeNode' && change.nodeId === this.config.nodeId) {
      // Hand over first; the next leader removes this node.
      const to = consenters.find((id) => id !== this.config.nodeId && status.progress[id]?.recentActive);
      if (to !== undefined && !this.transferAsked) {
        this.transferAsked = true;
        log.info({ to }, 'removed from the consenters: transferring leadership');
        this.raft.transferLeadership(to);
        this.kick();
      }
      return;
    }
    try {
      this.raft.proposeConfChange(change);
      log.info({ change }, 'proposed a membership change');
      this.kick();
    } catch (error) {
      if (!(error instanceof ConfChangePendingError))
        log.warn({ err: error, change }, 'membership change not proposed');
    }
  }

  private onConfigChanged(config: ChannelConfig, number: number): void {
    const { log } = this.deps;
    log.info(
      { number, sequence: config.sequence, batch: config.batch, raft: config.raft },
      'config in force changed',
    );
    this.pipeline.setLimits(config.batch, config.raft.maxInflightBlocks);
    if (config.raft.tickMs !== this.tickMs) this.startTicking(config.raft.tickMs);
    this.rebuildRaft ||= this.raftTimingChanged(config);
  }

  private raftTimingChanged(config: ChannelConfig): boolean {
    const current = this.raftTiming;
    return (
      current.electionTicks !== config.raft.electionTicks ||
      current.heartbeatTicks !== config.raft.heartbeatTicks
    );
  }

  /** New election or heartbeat ticks: Raft restarts from its storage with them (as a process restart would). */
  private rebuild(status: RaftStatus): void {
    this.rebuildRaft = false;
    const config = this.chain.state.config;
    this.raftTiming = {
      electionTicks: config.raft.electionTicks,
      heartbeatTicks: config.raft.heartbeatTicks,
    };
    this.raft = new RaftNode(this.raftConfig(config, status.applied), this.storage);
    this.deps.log.info({ raft: config.raft }, 'Raft restarted with the new timing');
    this.onSoftState({ role: Role.Follower, leader: null });
  }

  // ---- snapshots ----------------------------------------------------------------------------

  private async maybeSnapshot(status: RaftStatus): Promise<void> {
    const interval = this.chain.state.config.raft.snapshotIntervalBlocks;
    const due = this.blocksSinceSnapshot >= interval || this.storage.walBytes > this.config.snapshotWalBytes;
    const index = status.applied;
    if (!due || index <= this.storage.snapshot().metadata.index || this.chain.tipRaftIndex > index) return;
    await this.storage.snapshotAndCompact(
      index,
      status.config,
      encodeSnapshotData(this.chain.state),
      this.config.snapshotKeepEntries,
    );
    this.blocksSinceSnapshot = 0;
    this.deps.metrics.snapshots.inc();
    this.deps.log.info(
      { index, height: this.chain.state.height, walBytes: this.storage.walBytes },
      'snapshot taken, log compacted',
    );
  }

  private async restoreFromSnapshot(snapshot: Snapshot): Promise<void> {
    const target = decodeSnapshotData(snapshot.data);
    this.deps.log.info(
      { index: snapshot.metadata.index, to: target.tip.number, from: this.chain.state.height },
      "restoring from the leader's snapshot",
    );
    const fetched = await this.chain.restoreTo(target, snapshot.metadata.index, (from, to) =>
      this.fetch(from, to),
    );
    this.deps.metrics.height.set(this.chain.state.height);
    this.publisher.notify();
    this.deps.log.info({ fetched, height: this.chain.state.height }, 'restored');
  }

  private fetch(from: number, to: number) {
    return deliverBlocks(this.deps.nc, this.config.channel, from, to, {
      idleTimeoutMs: this.config.catchUpIdleTimeoutMs,
      attemptsMax: 50,
      retryDelayMs: 200,
    });
  }

  // ---- outside view -------------------------------------------------------------------------

  get ready(): boolean {
    return this.isReady;
  }

  status(): OrdererStatus {
    const status = this.raft.status();
    return {
      nodeId: this.config.nodeId,
      channel: this.config.channel,
      role: status.role,
      term: status.term,
      leader: status.leader,
      leaderReady: this.leaderReady,
      ready: this.isReady,
      height: this.chain.state.height,
      applied: status.applied,
      commit: status.commit,
      lastIndex: status.lastIndex,
      snapshotIndex: this.storage.snapshot().metadata.index,
      voters: status.config.voters,
      pendingEnvelopes: this.pipeline.pendingEnvelopes,
      inflightBlocks: this.pipeline.inflightBlocks,
      walBytes: this.storage.walBytes,
      blocksPublished: this.publisher.published,
    };
  }

  /** Stops intake, delivery, publication and Raft, lets the current Ready finish, closes files. */
  async stop(): Promise<void> {
    if (this.stopping && this.loop === null) return;
    this.stopping = true;
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    this.intake.stop();
    this.deliver.stop();
    this.transport.stop();
    this.pipeline.deactivate();
    this.kick();
    await this.loop;
    this.loop = null;
    await this.publisher.stop();
    await this.storage.close();
    await this.chain.close();
  }
}

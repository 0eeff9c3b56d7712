import type { RaftConfig } from '../config.js';
import { withUnsafeKnobs } from '../knobs.js';
import { MemoryStorage } from '../memory-storage.js';
import type { Raft } from '../raft.js';
import { internalRaft, RaftNode } from '../raft-node.js';
import type { Ready } from '../ready.js';
import type { Entry, HardState, NodeId, Snapshot } from '../types.js';
import { digestBytes, mixDigests } from './hash.js';
import type { Scenario } from './scenario.js';

/** The replicated state machine of the simulation: a digest chain over every applied entry. */
export interface AppState {
  appliedIndex: number;
  digest: number;
  /** Client entries applied. */
  count: number;
}

const entryDigests = new WeakMap<Entry, number>();

/** The identity of an entry (term, type, data), cached per entry object. */
export function entryDigest(entry: Entry): number {
  let digest = entryDigests.get(entry);
  if (digest === undefined) {
    digest = digestBytes(entry.data, (entry.term * 2 + (entry.type === 'normal' ? 0 : 1)) >>> 0);
    entryDigests.set(entry, digest);
  }
  return digest;
}

export function encodeAppState(app: AppState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(app));
}

export function decodeAppState(data: Uint8Array): AppState {
  if (data.length === 0) return { appliedIndex: 0, digest: 0, count: 0 };
  return JSON.parse(new TextDecoder().decode(data)) as AppState;
}

export const HostStatus = {
  /** A spare node, not started until a membership change adds it. */
  Spare: 'spare',
  Up: 'up',
  Down: 'down',
  /** Removed from the cluster and shut down for good. */
  Removed: 'removed',
} as const;
export type HostStatus = (typeof HostStatus)[keyof typeof HostStatus];

/** A proposal accepted by this node, waiting to be applied (or overwritten). */
export interface PendingProposal {
  readonly proposalId: string;
  readonly term: number;
  readonly dataDigest: number;
}

/**
 * One simulated machine: a disk (the MemoryStorage, written only when a write is synced, plus
 * the application's applied state), and a process (the RaftNode) that a crash throws away.
 */
export class SimHost {
  readonly storage: MemoryStorage;
  node: RaftNode | null = null;
  raft: Raft | null = null;
  status: HostStatus;
  /** Bumped at every crash: events scheduled for an earlier process are ignored. */
  epoch = 0;
  incarnation = 0;
  pausedUntilUs = 0;
  /** A Ready whose writes are on their way to disk. */
  syncing: Ready | null = null;
  /** Durable, like a block store: updated as entries are applied. */
  app: AppState = { appliedIndex: 0, digest: 0, count: 0 };
  readonly pending = new Map<number, PendingProposal>();

  // What the invariant checker saw last (in memory, this process; durable, across processes).
  seenTerm = 0;
  seenCommit = 0;
  seenVote: NodeId | null = null;
  seenRole = '';
  checkedCommit = 0;
  durable: HardState = { term: 0, vote: null, commit: 0 };
  sentTerm = 0;
  /** The last term in which this node, as leader, saw its commit index advance (buggify). */
  firstCommitTerm = 0;

  constructor(
    readonly id: NodeId,
    readonly clockRate: number,
    founders: readonly NodeId[] | null,
    private readonly scenario: Scenario,
  ) {
    if (founders === null) {
      this.storage = new MemoryStorage();
      this.status = HostStatus.Spare;
    } else {
      this.storage = MemoryStorage.bootstrap(founders);
      this.durable = this.storage.hardStateNow();
      this.app = { appliedIndex: 1, digest: 0, count: 0 };
      this.status = HostStatus.Down;
    }
  }

  isUp(): boolean {
    return this.status === HostStatus.Up;
  }

  /** Starts a process over what is on disk. */
  start(): RaftNode {
    this.incarnation++;
    const s = this.scenario;
    const config: RaftConfig = {
      id: this.id,
      electionTicks: s.electionTicks,
      heartbeatTicks: s.heartbeatTicks,
      preVote: s.preVote,
      checkQuorum: s.checkQuorum,
      maxSizePerMsgBytes: s.maxSizePerMsgBytes,
      maxInflightMsgs: s.maxInflightMsgs,
      randomSeed:
        s.seed * 64 + this.incarnation * 8 + this.id.length + this.id.charCodeAt(this.id.length - 1),
      applied: this.app.appliedIndex,
    };
    const node = new RaftNode(withUnsafeKnobs(config, s.unsafe), this.storage);
    this.node = node;
    this.raft = internalRaft(node);
    this.status = HostStatus.Up;
    this.syncing = null;
    this.pausedUntilUs = 0;
    this.seenTerm = this.raft.term;
    this.seenCommit = this.raft.log.committed;
    this.seenVote = this.raft.vote;
    this.seenRole = this.raft.role;
    this.checkedCommit = this.raft.log.committed;
    return node;
  }

  /** Loses the process and every write not yet synced. */
  crash(status: HostStatus = HostStatus.Down): void {
    this.node = null;
    this.raft = null;
    this.status = status;
    this.epoch++;
    this.syncing = null;
    this.pausedUntilUs = 0;
    this.pending.clear();
  }

  /** Makes a Ready's writes durable (the fsync completed). */
  persist(ready: Ready): void {
    if (ready.snapshot !== null) this.storage.applySnapshot(ready.snapshot);
    this.storage.append(ready.entries);
    if (ready.hardState !== null) {
      this.storage.setHardState(ready.hardState);
      this.durable = ready.hardState;
    }
  }

  installSnapshot(snapshot: Snapshot): void {
    this.app = decodeAppState(snapshot.data);
    this.app.appliedIndex = snapshot.metadata.index;
  }

  applyEntry(entry: Entry): void {
    this.app.appliedIndex = entry.index;
    this.app.digest = mixDigests(this.app.digest, entryDigest(entry));
    if (entry.type === 'normal' && entry.data.length > 0) this.app.count++;
  }

  /** Snapshots the applied state and compacts the log, every snapshotEveryEntries entries. */
  maybeSnapshot(): void {
    const raft = this.raft;
    if (raft === null) return;
    const snapIndex = this.storage.snapshot().metadata.index;
    if (this.app.appliedIndex - snapIndex < this.scenario.snapshotEveryEntries) return;
    this.storage.createSnapshot(this.app.appliedIndex, raft.tracker.confState(), encodeAppState(this.app));
    this.storage.compact(Math.max(snapIndex, this.app.appliedIndex - this.scenario.compactionKeepEntries));
  }
}

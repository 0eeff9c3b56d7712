import type { Entry, Message, NodeId, RaftConfig, Ready } from '../../src/index.js';
import { MemoryStorage, RaftNode } from '../../src/index.js';
import { withUnsafeKnobs, type UnsafeKnobs } from '../../src/knobs.js';

export interface TestNode {
  readonly id: NodeId;
  node: RaftNode;
  readonly storage: MemoryStorage;
  /** Every committed entry applied, in order (snapshots reset it to the snapshot index). */
  readonly applied: Entry[];
  appliedIndex: number;
}

export interface ClusterOptions {
  readonly config?: Partial<RaftConfig>;
  /** Storage per node (defaults to a bootstrap snapshot of all ids). */
  readonly storages?: Readonly<Record<NodeId, MemoryStorage>>;
  readonly knobs?: UnsafeKnobs;
}

const MAX_ROUNDS = 10_000;

/**
 * A synchronous in-memory cluster, as etcd's raft tests use: readies are persisted and applied
 * at once, messages queue in one FIFO and are delivered by stabilize(), unless cut or filtered.
 */
export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  /** Messages sent and not delivered yet. */
  queue: Message[] = [];
  private readonly cuts = new Set<string>();
  /** Return false to drop a message in flight. */
  filter: ((message: Message) => boolean) | undefined;

  constructor(
    ids: readonly NodeId[],
    private readonly options: ClusterOptions = {},
  ) {
    for (const id of ids) {
      const storage = options.storages?.[id] ?? MemoryStorage.bootstrap(ids);
      this.nodes.set(id, { id, node: this.start(id, storage, 0), storage, applied: [], appliedIndex: 0 });
    }
  }

  private start(id: NodeId, storage: MemoryStorage, applied: number): RaftNode {
    const config: RaftConfig = {
      id,
      electionTicks: 10,
      heartbeatTicks: 1,
      preVote: false,
      checkQuorum: false,
      ...this.options.config,
      applied,
    };
    return new RaftNode(this.options.knobs ? withUnsafeKnobs(config, this.options.knobs) : config, storage);
  }

  get(id: NodeId): TestNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  node(id: NodeId): RaftNode {
    return this.get(id).node;
  }

  /** Adds a node that joins with empty storage (not a member until a change adds it). */
  addEmptyNode(id: NodeId): TestNode {
    const storage = new MemoryStorage();
    const entry: TestNode = { id, node: this.start(id, storage, 0), storage, applied: [], appliedIndex: 0 };
    this.nodes.set(id, entry);
    return entry;
  }

  /** Restarts a node from its storage (what was persisted survives). */
  restart(id: NodeId): void {
    const entry = this.get(id);
    entry.node = this.start(id, entry.storage, entry.appliedIndex);
  }

  /** Handles every pending Ready of `id` the way a correct driver does. */
  processReady(id: NodeId): Ready[] {
    const entry = this.get(id);
    const readies: Ready[] = [];
    for (let i = 0; entry.node.hasReady(); i++) {
      if (i > MAX_ROUNDS) throw new Error('processReady does not settle');
      const ready = entry.node.ready();
      if (ready.snapshot !== null) entry.storage.applySnapshot(ready.snapshot);
      entry.storage.append(ready.entries);
      if (ready.hardState !== null) entry.storage.setHardState(ready.hardState);
      this.queue.push(...ready.messages);
      if (ready.snapshot !== null) {
        entry.applied.length = 0;
        entry.appliedIndex = ready.snapshot.metadata.index;
      }
      for (const committed of ready.committedEntries) {
        entry.applied.push(committed);
        entry.appliedIndex = committed.index;
      }
      entry.node.advance(ready);
      readies.push(ready);
    }
    return readies;
  }

  processAll(): void {
    for (const id of this.nodes.keys()) this.processReady(id);
  }

  /** Removes and returns the queued messages (after processing every Ready). */
  take(predicate: (message: Message) => boolean = () => true): Message[] {
    this.processAll();
    const taken = this.queue.filter(predicate);
    this.queue = this.queue.filter((m) => !predicate(m));
    return taken;
  }

  deliver(message: Message): void {
    if (this.cuts.has(`${message.from}>${message.to}`)) return;
    if (this.filter !== undefined && !this.filter(message)) return;
    const target = this.nodes.get(message.to);
    if (target === undefined) return;
    target.node.step(message);
    this.processReady(message.to);
  }

  /** Delivers messages until none is left. */
  stabilize(): void {
    this.processAll();
    for (let round = 0; this.queue.length > 0; round++) {
      if (round > MAX_ROUNDS)
        throw new Error(
          `cluster does not stabilize: ${this.queue
            .slice(0, 6)
            .map(
              (m) =>
                `${m.type} ${m.from}>${m.to} t${m.term} i${m.index}/${m.logTerm} n${m.entries.length} rej=${m.reject}/${m.rejectHint}`,
            )
            .join('; ')}`,
        );
      const batch = this.queue;
      this.queue = [];
      for (const message of batch) this.deliver(message);
      this.processAll();
    }
  }

  tick(id: NodeId, ticks = 1): void {
    for (let i = 0; i < ticks; i++) {
      this.node(id).tick();
      this.processReady(id);
    }
  }

  /** Ticks every node `ticks` times, delivering messages after each round. */
  tickAll(ticks: number): void {
    for (let i = 0; i < ticks; i++) {
      for (const id of this.nodes.keys()) this.node(id).tick();
      this.stabilize();
    }
  }

  campaign(id: NodeId): void {
    this.node(id).campaign();
    this.stabilize();
  }

  propose(id: NodeId, text: string): { index: number; term: number } {
    const result = this.node(id).propose(new TextEncoder().encode(text));
    this.stabilize();
    return result;
  }

  /** Cuts both directions between a and b. */
  cut(a: NodeId, b: NodeId): void {
    this.cuts.add(`${a}>${b}`);
    this.cuts.add(`${b}>${a}`);
  }

  cutOneWay(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}>${to}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cut(id, other);
  }

  heal(): void {
    this.cuts.clear();
    this.filter = undefined;
  }

  status(id: NodeId) {
    return this.node(id).status();
  }

  /** The texts of the applied normal entries of `id`. */
  appliedTexts(id: NodeId): string[] {
    return this.get(id)
      .applied.filter((e) => e.type === 'normal' && e.data.length > 0)
      .map((e) => new TextDecoder().decode(e.data));
  }

  leaders(): NodeId[] {
    return [...this.nodes.keys()].filter((id) => this.status(id).role === 'leader');
  }
}

/** A storage holding the bootstrap snapshot of `ids`, then entries of the given terms. */
export function storageWithLog(
  ids: readonly NodeId[],
  terms: readonly number[],
  hard: { term: number; vote?: NodeId | null; commit?: number } = { term: 0 },
): MemoryStorage {
  const storage = MemoryStorage.bootstrap(ids);
  const entries: Entry[] = terms.map((term, i) => ({
    term,
    index: i + 2,
    type: 'normal',
    data: new TextEncoder().encode(`t${term}i${i + 2}`),
  }));
  storage.append(entries);
  const lastTerm = Math.max(1, ...terms, hard.term);
  storage.setHardState({ term: lastTerm, vote: hard.vote ?? null, commit: hard.commit ?? 1 });
  return storage;
}

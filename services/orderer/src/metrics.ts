import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The orderer's Prometheus metrics, on a registry of its own (labels: node, channel).
 * Names carry units as Prometheus recommends.
 */
export const ROLES = ['follower', 'preCandidate', 'candidate', 'leader'] as const;

export class OrdererMetrics {
  readonly registry = new Registry();
  /** 1 for the node's current Raft role, 0 for the others. */
  readonly role: Gauge<'role'>;
  readonly term: Gauge;
  /** 1 for the node this one believes leads (label leader), none while unknown. */
  readonly leader: Gauge<'leader'>;
  readonly leaderChanges: Counter;
  /** Number of blocks stored (the next block's number). */
  readonly height: Gauge;
  readonly appliedIndex: Gauge;
  readonly commitIndex: Gauge;
  readonly blocksCut: Counter;
  /** Envelopes per cut block divided by batch.maxMessageCount. */
  readonly batchFill: Histogram;
  readonly blockEnvelopes: Histogram;
  readonly blockBytes: Histogram;
  readonly proposalCommitSeconds: Histogram;
  readonly admitted: Counter;
  readonly rejected: Counter<'code'>;
  readonly forwarded: Counter<'outcome'>;
  readonly ignoredEntries: Counter;
  readonly droppedOnDeposition: Counter;
  readonly blocksPublished: Counter;
  readonly persistSeconds: Histogram;
  readonly walBytes: Gauge;
  readonly snapshots: Counter;

  constructor(labels: { nodeId: string; channel: string }) {
    this.registry.setDefaultLabels({ node: labels.nodeId, channel: labels.channel });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    this.role = new Gauge({
      name: 'civic_orderer_role',
      help: 'Raft role: 1 for the current one',
      labelNames: ['role'],
      registers,
    });
    this.term = gauge('civic_orderer_term', 'Raft term');
    this.leader = new Gauge({
      name: 'civic_orderer_leader',
      help: 'The node believed to lead (1)',
      labelNames: ['leader'],
      registers,
    });
    this.leaderChanges = counter('civic_orderer_leader_changes_total', 'Times the known leader changed');
    this.height = gauge('civic_orderer_height', 'Blocks stored (number of the next block)');
    this.appliedIndex = gauge('civic_orderer_applied_index', 'Last Raft index applied');
    this.commitIndex = gauge('civic_orderer_commit_index', 'Raft commit index');
    this.blocksCut = counter(
      'civic_orderer_blocks_cut_total',
      'Blocks cut and proposed by this node as leader',
    );
    this.batchFill = new Histogram({
      name: 'civic_orderer_batch_fill_ratio',
      help: 'Envelopes per cut block / batch.maxMessageCount',
      buckets: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1],
      registers,
    });
    this.blockEnvelopes = new Histogram({
      name: 'civic_orderer_block_envelopes',
      help: 'Envelopes per cut block',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.blockBytes = new Histogram({
      name: 'civic_orderer_block_envelope_bytes',
      help: 'Envelope bytes per cut block',
      buckets: [1e3, 1e4, 5e4, 1e5, 2.5e5, 5e5, 9e5],
      registers,
    });
    this.proposalCommitSeconds = new Histogram({
      name: 'civic_orderer_proposal_commit_seconds',
      help: 'From proposing a block to applying it (leader)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.admitted = counter(
      'civic_orderer_envelopes_admitted_total',
      'Envelopes accepted into a pending batch',
    );
    this.rejected = new Counter({
      name: 'civic_orderer_envelopes_rejected_total',
      help: 'Envelopes refused, by code',
      labelNames: ['code'],
      registers,
    });
    this.forwarded = new Counter({
      name: 'civic_orderer_forwarded_total',
      help: 'Envelopes forwarded to the leader, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.ignoredEntries = counter(
      'civic_orderer_ignored_entries_total',
      'Committed entries whose block did not extend the chain',
    );
    this.droppedOnDeposition = counter(
      'civic_orderer_dropped_on_deposition_total',
      'Accepted envelopes dropped when deposed',
    );
    this.blocksPublished = counter(
      'civic_orderer_blocks_published_total',
      'Blocks published on the JetStream stream',
    );
    this.persistSeconds = new Histogram({
      name: 'civic_orderer_persist_seconds',
      help: 'Write-ahead-log write and fsync per Ready',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    this.walBytes = gauge('civic_orderer_wal_bytes', 'Bytes in the write-ahead log');
    this.snapshots = counter('civic_orderer_snapshots_total', 'Raft snapshots taken and log compactions');
  }

  setRole(role: string): void {
    for (const r of ROLES) this.role.set({ role: r }, r === role ? 1 : 0);
  }

  setLeader(leader: string | null): void {
    this.leader.reset();
    if (leader !== null) this.leader.set({ leader }, 1);
  }
}

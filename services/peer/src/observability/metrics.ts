import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The peer's Prometheus metrics, on a registry of its own (several peers can run in one test
 * process without sharing counters). Names carry units as Prometheus recommends.
 */
export class PeerMetrics {
  readonly registry = new Registry();
  /** Number of the last committed block. */
  readonly height: Gauge;
  /** Number of the last block the orderers published (the stream's last sequence - 1). */
  readonly ordererHeight: Gauge;
  /** ordererHeight - height: how far behind the orderers the peer is. */
  readonly lagBlocks: Gauge;
  readonly commitSeconds: Histogram;
  readonly transactions: Counter<'code'>;
  readonly blocks: Counter;
  /** 1 while the peer is stopped on a block that failed verification. */
  readonly halted: Gauge;
  readonly rejectedBlocks: Counter;
  /** 1 while another peer's commit hash differs from ours at the same height. */
  readonly forkAlarm: Gauge;
  readonly commitHashMismatches: Counter<'peer'>;
  /** Result of the last audit: 1 ok, 0 failed, -1 never ran. */
  readonly auditOk: Gauge;
  readonly auditSeconds: Gauge;
  readonly publishedHeight: Gauge;
  readonly queries: Counter<'type' | 'outcome'>;
  readonly querySeconds: Histogram<'type'>;
  /** REST requests refused before their query: 401 (no or bad token), 403 (not a reader), 503. */
  readonly restRefusals: Counter<'status'>;

  constructor(labels: { peerId: string; channel: string }) {
    this.registry.setDefaultLabels({ peer: labels.peerId, channel: labels.channel });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.height = new Gauge({
      name: 'civic_peer_height',
      help: 'Number of the last committed block',
      registers,
    });
    this.ordererHeight = new Gauge({
      name: 'civic_peer_orderer_height',
      help: 'Number of the last block published by the orderers',
      registers,
    });
    this.lagBlocks = new Gauge({
      name: 'civic_peer_lag_blocks',
      help: 'Blocks behind the orderers',
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'civic_peer_commit_seconds',
      help: 'Time from receiving a block to its database commit',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.transactions = new Counter({
      name: 'civic_peer_transactions_total',
      help: 'Committed transactions by validation code',
      labelNames: ['code'],
      registers,
    });
    this.blocks = new Counter({ name: 'civic_peer_blocks_total', help: 'Committed blocks', registers });
    this.halted = new Gauge({
      name: 'civic_peer_halted',
      help: '1 while the peer is stopped on a block that failed verification',
      registers,
    });
    this.rejectedBlocks = new Counter({
      name: 'civic_peer_rejected_blocks_total',
      help: 'Blocks that failed verification',
      registers,
    });
    this.forkAlarm = new Gauge({
      name: 'civic_peer_fork_alarm',
      help: '1 while another peer reports a different commit hash at a height we committed',
      registers,
    });
    this.commitHashMismatches = new Counter({
      name: 'civic_peer_commit_hash_mismatches_total',
      help: 'Commit receipts of other peers that differ from ours',
      labelNames: ['peer'],
      registers,
    });
    this.auditOk = new Gauge({
      name: 'civic_peer_audit_ok',
      help: 'Last audit: 1 ok, 0 failed, -1 never ran',
      registers,
    });
    this.auditOk.set(-1);
    this.auditSeconds = new Gauge({
      name: 'civic_peer_audit_seconds',
      help: 'Duration of the last audit',
      registers,
    });
    this.publishedHeight = new Gauge({
      name: 'civic_peer_published_height',
      help: 'Last block whose events and receipt are published',
      registers,
    });
    this.queries = new Counter({
      name: 'civic_peer_queries_total',
      help: 'Queries answered, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.querySeconds = new Histogram({
      name: 'civic_peer_query_seconds',
      help: 'Query latency by type',
      labelNames: ['type'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.restRefusals = new Counter({
      name: 'civic_peer_rest_refusals_total',
      help: 'REST requests refused by the readers check, by HTTP status',
      labelNames: ['status'],
      registers,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  streamLastSequence,
  streamNames,
  subjects,
  tailStream,
  type StreamTail,
} from '@civic/messaging';
import { BoundedCache, type CommitReceipt } from '@civic/protocol';
import type { PeerConfig } from '../config/peer-config.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Logger } from '../observability/logger.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { PeerStatus } from '../status/peer-status.js';
import { PEER_CONFIG, PEER_LOGGER, PEER_METRICS } from '../tokens.js';

/** Own commit hashes kept in memory for comparison (older ones are read from the store). */
const OWN_HASHES_MAX = 4096;
/** Other peers' receipts for heights this peer has not reached yet. */
const PENDING_MAX = 4096;

/**
 * Compares other peers' commit hashes (stream COMMITS, every peer's receipts) with this peer's
 * at the same height. Two honest peers with the same chain have the same commit hash at every
 * height; a difference is a fork or a bug, and raises an alarm: an error log, the metric
 * civic_peer_fork_alarm and a reason in /readyz.
 */
@Injectable()
export class CommitWatch {
  readonly #own = new BoundedCache<number, string>(OWN_HASHES_MAX);
  /** Receipts of others ahead of us: height → [peerId, commitHash]. */
  readonly #pending = new Map<number, [string, string][]>();
  #tail: StreamTail<CommitReceipt> | undefined;
  #task: Promise<void> | undefined;

  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_LOGGER) private readonly logger: Logger,
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    private readonly ledgerService: LedgerService,
    private readonly status: PeerStatus,
  ) {}

  /**
   * Follows the receipts published from now on, and the last `lookbackReceipts` before (so a
   * restarted peer compares what others committed while it was down).
   */
  async start(lookbackReceipts = 1000): Promise<void> {
    const stream = streamNames(this.config.channel).commits;
    const last = await streamLastSequence(this.jsm, stream);
    this.#tail = await tailStream<CommitReceipt>(this.js, stream, {
      startSeq: Math.max(1, last - lookbackReceipts + 1),
      filterSubject: subjects(this.config.channel).commitsAll,
    });
    const prefix = `${subjects(this.config.channel).commitsAll.slice(0, -1)}`;
    const tail = this.#tail;
    this.#task = (async () => {
      for await (const msg of tail) {
        const peerId = msg.subject.slice(prefix.length);
        if (peerId !== this.config.peerId) await this.#observe(peerId, msg.data);
      }
    })().catch((error: unknown) => this.logger.warn({ err: error }, 'commit watch stopped'));
  }

  async stop(): Promise<void> {
    await this.#tail?.stop();
    await this.#task;
  }

  /** Called after each own commit. */
  committed(number: number, commitHash: string): void {
    this.#own.set(number, commitHash);
    const waiting = this.#pending.get(number);
    if (!waiting) return;
    this.#pending.delete(number);
    for (const [peerId, theirs] of waiting) this.#compare(peerId, number, commitHash, theirs);
  }

  async #observe(peerId: string, receipt: CommitReceipt): Promise<void> {
    if (!receipt || !Number.isSafeInteger(receipt.number) || typeof receipt.commitHash !== 'string') return;
    const height = this.ledgerService.ledger.height;
    if (receipt.number > height) {
      if (this.#pending.size >= PENDING_MAX)
        this.#pending.delete(this.#pending.keys().next().value as number);
      const list = this.#pending.get(receipt.number) ?? [];
      list.push([peerId, receipt.commitHash]);
      this.#pending.set(receipt.number, list);
      return;
    }
    const ours =
      this.#own.get(receipt.number) ?? (await this.ledgerService.store.getBlock(receipt.number))?.commitHash;
    if (ours !== undefined) this.#compare(peerId, receipt.number, ours, receipt.commitHash);
  }

  #compare(peerId: string, height: number, ours: string, theirs: string): void {
    if (ours === theirs) return;
    this.metrics.commitHashMismatches.inc({ peer: peerId });
    this.metrics.forkAlarm.set(1);
    this.status.raiseForkAlarm({ peerId, height, ours, theirs });
    this.logger.error(
      { otherPeer: peerId, height, ours, theirs },
      `commit hash differs from peer ${peerId} at height ${height}: fork or bug`,
    );
  }
}

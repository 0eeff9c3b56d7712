import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import {
  consumeInOrder,
  deliverBlocks,
  JETSTREAM,
  JETSTREAM_MANAGER,
  lastBlockNumber,
  NATS_CONNECTION,
  streamNames,
  tailStream,
  type InOrderConsumer,
} from '@civic/messaging';
import {
  BlockRejectedError,
  COMMIT_GROUP_BLOCKS_MAX,
  type BlockOutcome,
  type PreparedBlock,
} from '@civic/ledger';
import { SpanKind, withSpan } from '@civic/telemetry';
import type { PeerConfig } from '../config/peer-config.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Logger } from '../observability/logger.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { PeerPhase, PeerStatus } from '../status/peer-status.js';
import { PEER_CONFIG, PEER_LOGGER, PEER_METRICS } from '../tokens.js';
import { CommitPublisher } from './commit-publisher.service.js';
import { CommitWatch } from './commit-watch.service.js';

/** Blocks read ahead of the commit while catching up (their signatures are verified meanwhile). */
const CATCH_UP_BUFFER_BLOCKS = 64;
/** Blocks per database transaction while catching up. */
const CATCH_UP_GROUP_BLOCKS = Math.min(16, COMMIT_GROUP_BLOCKS_MAX);
/** How often the orderers' height is sampled for the lag metric. */
const LAG_SAMPLE_MS = 2000;
const DELIVER = { idleTimeoutMs: 5000, attemptsMax: 5, retryDelayMs: 500 } as const;

/**
 * Takes blocks from the channel's block stream, in order, and commits them. Two phases:
 * catching up (an ordered read ahead of the stream from the stored height, signatures
 * verified on the worker pool while the previous group commits, groups of blocks per database
 * transaction), then live (a durable in-order consumer, one block at a time, acknowledged
 * after its commit). A gap in the stream is repaired through `.deliver`. A block that fails
 * verification stops the peer on it: nothing of it is committed, nothing after it is taken,
 * and the reason is in the log, the metrics and /readyz.
 */
@Injectable()
export class BlockIntake {
  #consumer: InOrderConsumer | undefined;
  #task: Promise<void> | undefined;
  #lagTimer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_LOGGER) private readonly logger: Logger,
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    private readonly ledgerService: LedgerService,
    private readonly publisher: CommitPublisher,
    private readonly watch: CommitWatch,
    private readonly status: PeerStatus,
  ) {}

  start(): void {
    this.#stopping = false;
    this.#lagTimer = setInterval(() => void this.#sampleLag(), LAG_SAMPLE_MS);
    this.#lagTimer.unref();
    this.#task = this.#run().catch((error: unknown) => {
      this.logger.error({ err: error }, 'block intake stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#lagTimer);
    await this.#consumer?.stop();
    await this.#task;
  }

  get #ledger() {
    return this.ledgerService.ledger;
  }

  async #run(): Promise<void> {
    await this.#catchUp();
    if (this.#stopping || this.status.halted) return;
    await this.#goLive();
  }

  /** Reads ahead of the stream until the stored height reaches the stream's last block. */
  async #catchUp(): Promise<void> {
    this.status.phase = PeerPhase.CATCHING_UP;
    while (!this.#stopping && !this.status.halted) {
      const last = await lastBlockNumber(this.jsm, this.config.channel);
      this.#observeOrdererHeight(last);
      if (last === null || this.#ledger.height >= last) return;
      const started = performance.now();
      const from = this.#ledger.height + 1;
      try {
        await this.#readAhead(last);
      } catch (error) {
        if (error instanceof BlockRejectedError || this.#stopping) return;
        this.logger.warn({ err: error }, 'catching up failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      const blocks = this.#ledger.height - from + 1;
      this.logger.info(
        { from, to: this.#ledger.height, blocks, seconds: (performance.now() - started) / 1000 },
        'caught up',
      );
    }
  }

  async #readAhead(last: number): Promise<void> {
    const tail = await tailStream<unknown>(this.js, streamNames(this.config.channel).blocks, {
      startSeq: this.#ledger.height + 2,
      bufferMax: CATCH_UP_BUFFER_BLOCKS,
    });
    let group: PreparedBlock[] = [];
    let inflight: Promise<void> = Promise.resolve();
    let expected = this.#ledger.height + 1;
    try {
      for await (const msg of tail) {
        const number = msg.seq - 1;
        if (number < expected) continue;
        if (number > expected) {
          await this.#flush(group, inflight);
          group = [];
          await this.#repair(expected, number - 1);
          expected = this.#ledger.height + 1;
          if (number !== expected) break;
        }
        group.push(this.#prepare(msg.data, number));
        expected = number + 1;
        if (group.length >= CATCH_UP_GROUP_BLOCKS || number >= last) {
          // Commit this group while the next one is read and its signatures verified.
          await inflight;
          inflight = this.#commit(group);
          group = [];
        }
        if (number >= last || this.#stopping || this.status.halted) break;
      }
      await this.#flush(group, inflight);
    } finally {
      await tail.stop();
      await inflight.catch(() => undefined);
    }
  }

  async #flush(group: PreparedBlock[], inflight: Promise<void>): Promise<void> {
    await inflight;
    if (group.length > 0) await this.#commit(group);
  }

  async #goLive(): Promise<void> {
    const { channel, peerId } = this.config;
    this.#consumer = await consumeInOrder<unknown>(
      this.js,
      streamNames(channel).blocks,
      `peer-${peerId}`,
      {
        startSeq: this.#ledger.height + 2,
        onError: (error, seq) => {
          if (!(error instanceof BlockRejectedError))
            this.logger.warn({ err: error, seq }, 'block not committed; it will come again');
        },
      },
      async (msg) => {
        if (this.status.halted)
          throw new BlockRejectedError(this.status.halted.block, this.status.halted.reason);
        const number = msg.seq - 1;
        if (number <= this.#ledger.height) return;
        if (number > this.#ledger.height + 1) await this.#repair(this.#ledger.height + 1, number - 1);
        // A child of the orderer's block span, whose context the message carries (docs/telemetry.md).
        await withSpan(
          'peer commit',
          { kind: SpanKind.CONSUMER, attributes: { 'civic.peer': peerId, 'civic.block': number } },
          () => this.#commit([this.#prepare(msg.data, number)]),
        );
        this.#observeOrdererHeight(number);
      },
    );
    this.status.phase = PeerPhase.LIVE;
    this.logger.info({ height: this.#ledger.height }, 'live: following the block stream');
  }

  /** Fetches blocks `from..to` from the orderers (`.deliver`) and commits them. */
  async #repair(from: number, to: number): Promise<void> {
    this.logger.warn({ from, to }, 'gap in the block stream; repairing through deliver');
    let group: PreparedBlock[] = [];
    for await (const block of deliverBlocks(this.nc, this.config.channel, from, to, DELIVER)) {
      group.push(this.#prepare(block.bytes, block.number));
      if (group.length >= CATCH_UP_GROUP_BLOCKS) {
        await this.#commit(group);
        group = [];
      }
    }
    if (group.length > 0) await this.#commit(group);
  }

  #prepare(raw: unknown, number: number): PreparedBlock {
    try {
      return this.#ledger.prepare(raw);
    } catch (error) {
      if (error instanceof BlockRejectedError) this.#halt(number, error);
      throw error;
    }
  }

  /** Commits a group; on a rejected block, the blocks before it are committed and the peer halts on it. */
  async #commit(group: readonly PreparedBlock[]): Promise<void> {
    if (group.length === 0) return;
    const started = performance.now();
    let outcomes: BlockOutcome[];
    try {
      outcomes = await this.#ledger.commit(group);
    } catch (error) {
      if (error instanceof BlockRejectedError) this.#halt(error.blockNumber, error);
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    for (const outcome of outcomes) {
      this.metrics.commitSeconds.observe(seconds / outcomes.length);
      this.metrics.blocks.inc();
      for (const code of outcome.codes) this.metrics.transactions.inc({ code });
      this.watch.committed(outcome.number, outcome.commitHash);
      await this.publisher.enqueue(outcome);
    }
    this.metrics.height.set(this.#ledger.height);
    this.#updateLag();
  }

  #halt(number: number, error: BlockRejectedError): void {
    if (this.status.halted) return;
    this.status.halt(number, error.reason);
    this.metrics.halted.set(1);
    this.metrics.rejectedBlocks.inc();
    this.logger.error(
      { block: number, reason: error.reason },
      `block ${number} fails verification: the peer stops on it`,
    );
  }

  #ordererHeight = -1;

  #observeOrdererHeight(last: number | null): void {
    if (last !== null && last > this.#ordererHeight) this.#ordererHeight = last;
    this.metrics.ordererHeight.set(this.#ordererHeight);
    this.#updateLag();
  }

  #updateLag(): void {
    this.metrics.lagBlocks.set(Math.max(0, this.#ordererHeight - this.#ledger.height));
  }

  async #sampleLag(): Promise<void> {
    try {
      this.#observeOrdererHeight(await lastBlockNumber(this.jsm, this.config.channel));
    } catch {
      // NATS unreachable: the lag metric keeps its last value.
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  lastCommitReceipt,
  publishCommit,
  publishEvent,
  WrongLastSequenceError,
  type LedgerEvent,
} from '@civic/messaging';
import {
  committedEventsOf,
  receiptOf,
  type BlockOutcome,
  type CommittedEvent,
  type StoredBlock,
} from '@civic/ledger';
import type { CommitReceipt } from '@civic/protocol';
import type { PeerConfig } from '../config/peer-config.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Logger } from '../observability/logger.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { PEER_CONFIG, PEER_LOGGER, PEER_METRICS } from '../tokens.js';

/** What is published for one committed block: its valid transactions' events, then its receipt. */
export interface Publication {
  readonly number: number;
  readonly events: readonly (LedgerEvent & { readonly ordinal: number })[];
  readonly receipt: CommitReceipt;
}

/** Bound on blocks committed but not yet published: a full queue holds the commits back. */
export const PUBLISH_QUEUE_BLOCKS_MAX = 256;
/** Events of one block published at once before waiting for their acknowledgements. */
const EVENTS_IN_FLIGHT_MAX = 256;
/** Blocks read back per query when republishing after a restart. */
const BACKLOG_BATCH_BLOCKS = 100;
const RETRY_DELAY_MS_MAX = 5000;

/**
 * Publishes, for every committed block in order, the domain events of its valid transactions
 * (stream EVENTS, msg id = txId, fenced at their ordinal) and then its commit receipt (stream
 * COMMITS, msg id `<channel>:<peerId>:<number>`), and records in the store how far it got.
 * Exactly once, across restarts: on start it republishes from the stored mark, skipping
 * receipts the stream already holds (lastCommitReceipt) and events already stored at their
 * ordinal (the fence answers "duplicate"). A NATS outage only delays publishing; the queue
 * bound then holds commits back rather than growing.
 */
@Injectable()
export class CommitPublisher {
  readonly #queue: Publication[] = [];
  #wake: (() => void) | undefined;
  #space: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #stopping = false;
  #fenced = true;
  #lastReceipt = -1;

  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_LOGGER) private readonly logger: Logger,
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    private readonly ledgerService: LedgerService,
  ) {}

  /** Republishes what a previous run committed but did not publish, then follows the queue. */
  async start(): Promise<void> {
    const { channel, peerId } = this.config;
    this.#lastReceipt = (await lastCommitReceipt(this.jsm, channel, peerId))?.number ?? -1;
    this.#stopping = false;
    this.#running = this.#run();
  }

  /** Queues a committed block; waits while the queue is full. */
  async enqueue(outcome: BlockOutcome): Promise<void> {
    while (this.#queue.length >= PUBLISH_QUEUE_BLOCKS_MAX && !this.#stopping) {
      await new Promise<void>((resolve) => (this.#space = resolve));
    }
    this.#queue.push(publicationOf(outcome));
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    this.#space?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    const store = this.ledgerService.store;
    const published = (await store.head()).publishedHeight;
    let next = published + 1;
    // Backlog: blocks committed before this start (or before the queue took over).
    for (;;) {
      const height = this.ledgerService.ledger.height;
      const firstQueued = this.#queue[0]?.number ?? height + 1;
      if (next >= firstQueued || this.#stopping) break;
      const blocks = await store.blocksFrom(next, Math.min(BACKLOG_BATCH_BLOCKS, firstQueued - next));
      for (const block of blocks) {
        if (this.#stopping) return;
        await this.#publish(publicationOfStored(block));
        next = block.number + 1;
      }
    }
    while (!this.#stopping) {
      const item = this.#queue[0];
      if (!item) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      if (item.number >= next) await this.#publish(item);
      next = Math.max(next, item.number + 1);
      this.#queue.shift();
      this.#space?.();
    }
  }

  async #publish(item: Publication): Promise<void> {
    // A block's events go out pipelined (one connection keeps them in order, so each fence
    // holds); any that failed are then redone one by one, in order, until they succeed.
    for (let i = 0; i < item.events.length; i += EVENTS_IN_FLIGHT_MAX) {
      const chunk = item.events.slice(i, i + EVENTS_IN_FLIGHT_MAX);
      const results = await Promise.allSettled(chunk.map((event) => this.#publishEvent(event, false)));
      for (let k = 0; k < chunk.length; k++) {
        if (results[k]?.status === 'rejected') await this.#retry(() => this.#publishEvent(chunk[k]!, true));
      }
    }
    if (item.number > this.#lastReceipt) {
      await this.#retry(() => publishCommit(this.js, this.config.channel, this.config.peerId, item.receipt));
      this.#lastReceipt = item.number;
    }
    await this.#retry(() => this.ledgerService.store.markPublished(item.number));
    this.metrics.publishedHeight.set(item.number);
  }

  /** `inOrder`: every earlier event is known to be stored, so a gap means the stream lacks events. */
  async #publishEvent(event: LedgerEvent & { ordinal: number }, inOrder: boolean): Promise<void> {
    const { ordinal, ...body } = event;
    try {
      await publishEvent(this.js, this.config.channel, body, this.#fenced ? { ordinal } : {});
    } catch (error) {
      // The stream lacks earlier events (created after the chain began, or purged): fencing
      // cannot hold, so events go out with their msg id only (exactly once within the window).
      if (!inOrder || !(error instanceof WrongLastSequenceError) || !error.gap) throw error;
      this.#fenced = false;
      this.logger.warn(
        { ordinal, streamAt: error.actualLastSeq },
        'events stream lacks earlier events; publishing without ordinal fencing',
      );
      await publishEvent(this.js, this.config.channel, body);
    }
  }

  /** Retries a publish until it succeeds or the publisher stops (a NATS outage only delays). */
  async #retry<T>(action: () => Promise<T>): Promise<T | undefined> {
    let delayMs = 100;
    for (;;) {
      try {
        return await action();
      } catch (error) {
        if (this.#stopping) return undefined;
        this.logger.warn({ err: error }, 'publish failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(RETRY_DELAY_MS_MAX, delayMs * 2);
      }
    }
  }
}

function publicationOf(outcome: BlockOutcome): Publication {
  return { number: outcome.number, receipt: outcome.receipt, events: outcome.events.map(ledgerEvent) };
}

/** The publication of a block read back from the store (republishing after a restart). */
export function publicationOfStored(block: StoredBlock): Publication {
  return {
    number: block.number,
    receipt: receiptOf(block),
    events: committedEventsOf(block).map(ledgerEvent),
  };
}

/** A committed event as the events stream carries it (with its ordinal, for the fence). */
function ledgerEvent(e: CommittedEvent): Publication['events'][number] {
  return {
    ordinal: e.ordinal,
    txId: e.txId,
    block: e.block,
    txIndex: e.index,
    namespace: e.namespace,
    type: e.type,
    data: e.data,
  };
}

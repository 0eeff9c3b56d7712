import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { streamNames, subjects, tailStream, type StreamTail } from '@civic/messaging';
import {
  isRetryableSubmitCode,
  SubmitCode,
  txIdOf,
  type Block,
  type Hex,
  type SubmitReply,
} from '@civic/protocol';
import { sleep } from './cluster.js';

/**
 * Load for multi-process tests and benchmarks: an observer that follows the blocks stream
 * (what clients learn outcomes from), and clients that submit envelopes, wait to see them in
 * a block, and resubmit the same envelope on a timeout, as the contract tells clients to.
 */
export class BlockObserver {
  /** txId → block numbers it appeared in (more than one would be a duplicate). */
  readonly blocksOf = new Map<Hex, number[]>();
  /** When each txId was first seen in a block (epoch ms). */
  readonly seenAtMs = new Map<Hex, number>();
  /** Stream sequences seen, in order, and their blocks' numbers. */
  readonly sequence: { seq: number; number: number; msgId: string }[] = [];
  private readonly waiters = new Map<Hex, (() => void)[]>();
  private tail: StreamTail<Block> | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly js: JetStreamClient,
    private readonly channel: string,
  ) {}

  async start(): Promise<void> {
    this.tail = await tailStream<Block>(this.js, streamNames(this.channel).blocks, {
      startSeq: 1,
      bufferMax: 16,
    });
    const tail = this.tail;
    this.loop = (async () => {
      for await (const msg of tail) {
        const block = msg.data;
        this.sequence.push({ seq: msg.seq, number: block.header.number, msgId: msg.msgId });
        const now = Date.now();
        for (const envelope of block.envelopes) {
          const txId = txIdOf(envelope.payload);
          const list = this.blocksOf.get(txId);
          if (list === undefined) {
            this.blocksOf.set(txId, [block.header.number]);
            this.seenAtMs.set(txId, now);
          } else list.push(block.header.number);
          for (const wake of this.waiters.get(txId) ?? []) wake();
          this.waiters.delete(txId);
        }
      }
    })();
  }

  get height(): number {
    return this.sequence.length;
  }

  has(txId: Hex): boolean {
    return this.blocksOf.has(txId);
  }

  /** True once `txId` is in a block, false after `timeoutMs`. */
  waitFor(txId: Hex, timeoutMs: number): Promise<boolean> {
    if (this.blocksOf.has(txId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(txId);
        if (list !== undefined) {
          const i = list.indexOf(wake);
          if (i >= 0) list.splice(i, 1);
        }
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const list = this.waiters.get(txId);
      if (list === undefined) this.waiters.set(txId, [wake]);
      else list.push(wake);
    });
  }

  async waitForHeight(height: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.height < height) {
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
    return true;
  }

  async stop(): Promise<void> {
    await this.tail?.stop();
    await this.loop?.catch(() => undefined);
  }
}

export interface PreparedTx {
  readonly txId: Hex;
  readonly bytes: Uint8Array;
}

export interface LoadClientOptions {
  readonly nc: NatsConnection;
  readonly channel: string;
  readonly txs: readonly PreparedTx[];
  readonly observer: BlockObserver;
  /** Envelopes in flight at once. */
  readonly concurrency: number;
  readonly submitTimeoutMs: number;
  /** How long to wait for an accepted envelope to appear in a block before resubmitting it. */
  readonly confirmTimeoutMs: number;
  readonly retryDelayMs: number;
  /** Give up on an envelope after this long (it is then reported as lost). */
  readonly giveUpMs: number;
}

export interface LoadClientResult {
  /** txIds a reply ever said ACCEPTED. */
  readonly accepted: Set<Hex>;
  /** txIds confirmed in a block. */
  readonly confirmed: Set<Hex>;
  /** First submission time per txId (epoch ms). */
  readonly firstSubmitMs: Map<Hex, number>;
  readonly resubmissions: number;
  readonly timeouts: number;
  /** Replies by status/code. */
  readonly replies: Map<string, number>;
  /** Final, non-retryable refusals (unexpected under plain load). */
  readonly refused: { txId: Hex; code: string; reason: string }[];
  readonly lost: Hex[];
}

export async function runLoadClient(options: LoadClientOptions): Promise<LoadClientResult> {
  const result = {
    accepted: new Set<Hex>(),
    confirmed: new Set<Hex>(),
    firstSubmitMs: new Map<Hex, number>(),
    resubmissions: 0,
    timeouts: 0,
    replies: new Map<string, number>(),
    refused: [] as LoadClientResult['refused'],
    lost: [] as Hex[],
  };
  const subject = subjects(options.channel).txSubmit;
  let next = 0;
  const count = (key: string) => result.replies.set(key, (result.replies.get(key) ?? 0) + 1);
  const one = async (tx: PreparedTx) => {
    const start = Date.now();
    result.firstSubmitMs.set(tx.txId, start);
    for (let attempt = 0; Date.now() - start < options.giveUpMs; attempt++) {
      if (attempt > 0) result.resubmissions += 1;
      if (options.observer.has(tx.txId)) break;
      let reply: SubmitReply;
      try {
        const msg = await options.nc.request(subject, tx.bytes, { timeout: options.submitTimeoutMs });
        reply = msg.json<SubmitReply>();
      } catch {
        result.timeouts += 1;
        count('TIMEOUT');
        continue;
      }
      count(reply.status === 'ACCEPTED' ? 'ACCEPTED' : reply.code);
      if (reply.status === 'ACCEPTED' || reply.code === SubmitCode.DUPLICATE_TXID) {
        if (reply.status === 'ACCEPTED') result.accepted.add(tx.txId);
        if (await options.observer.waitFor(tx.txId, options.confirmTimeoutMs)) break;
        continue;
      }
      if (isRetryableSubmitCode(reply.code)) {
        await sleep(options.retryDelayMs);
        continue;
      }
      result.refused.push({ txId: tx.txId, code: reply.code, reason: reply.reason });
      return;
    }
    if (options.observer.has(tx.txId)) result.confirmed.add(tx.txId);
    else result.lost.push(tx.txId);
  };
  const worker = async () => {
    while (next < options.txs.length) {
      const tx = options.txs[next++] as PreparedTx;
      await one(tx);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return result;
}

/**
 * Waits for commit codes from the own peer. One core-NATS subscription to the peer's receipts
 * (`civic.<channel>.commits.<peerId>`, the subject of the COMMITS stream) serves every pending
 * transaction: a receipt resolves the txIds it names. Callers register a txId BEFORE submitting,
 * so a receipt that arrives before the submit call returns is not missed. A receipt lost to a
 * reconnect is made up for by asking the peer for the transaction every `pollMs`.
 */
import { subjects, subscribeJson, type Subscriber } from '@civic/messaging';
import type { CommitReceipt } from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { CommitTimeoutError, GatewayArgumentError, GatewayClosedError, PeerBehindError } from './errors.js';
import type { PeerClient } from './peer.js';

export interface CommitOutcome {
  readonly txId: string;
  readonly code: string;
  readonly block: number;
}

export interface PendingCommit {
  readonly promise: Promise<CommitOutcome>;
  /** Stop waiting (the submit failed): the promise rejects with `reason`. */
  cancel(reason: Error): void;
}

export interface CommitWatcherOptions {
  readonly nc: NatsConnection;
  readonly channel: string;
  readonly peer: PeerClient;
  /** How often a pending transaction or height wait asks the peer directly. */
  readonly pollMs: number;
  /** Bound on transactions awaited at once: beyond it `expect` throws (back-pressure). */
  readonly pendingMax: number;
  readonly onError?: (error: unknown) => void;
}

interface Waiter {
  readonly resolve: (outcome: CommitOutcome) => void;
  readonly reject: (error: Error) => void;
}

interface HeightWaiter {
  readonly height: number;
  readonly resolve: () => void;
}

export class CommitWatcher {
  readonly #options: CommitWatcherOptions;
  readonly #waiters = new Map<string, Waiter>();
  readonly #heightWaiters = new Set<HeightWaiter>();
  #subscriber: Subscriber | null = null;
  /** Highest block number seen in a receipt or a height answer (-1: none yet). */
  #height = -1;
  #closed = false;

  constructor(options: CommitWatcherOptions) {
    if (!Number.isSafeInteger(options.pendingMax) || options.pendingMax < 1) {
      throw new GatewayArgumentError('CommitWatcher: pendingMax must be a positive integer');
    }
    this.#options = options;
  }

  /** Highest committed block this watcher knows of (-1 before any). */
  get knownHeight(): number {
    return this.#height;
  }

  get pending(): number {
    return this.#waiters.size;
  }

  start(): void {
    if (this.#subscriber !== null) return;
    const { nc, channel, peer } = this.#options;
    this.#subscriber = subscribeJson<CommitReceipt>(
      nc,
      subjects(channel).commits(peer.peerId),
      { pendingMax: 10_000, ...(this.#options.onError ? { onError: this.#options.onError } : {}) },
      (msg) => this.#onReceipt(msg.data),
    );
  }

  async stop(): Promise<void> {
    this.#closed = true;
    const subscriber = this.#subscriber;
    this.#subscriber = null;
    for (const [txId, waiter] of this.#waiters)
      waiter.reject(new GatewayClosedError(`gateway closed while awaiting ${txId}`));
    this.#waiters.clear();
    for (const waiter of this.#heightWaiters) waiter.resolve();
    this.#heightWaiters.clear();
    await subscriber?.stop();
  }

  /** Registers `txId` and waits for its code (receipt or peer query) for at most `timeoutMs`. */
  expect(txId: string, timeoutMs: number): PendingCommit {
    if (this.#closed) throw new GatewayClosedError('gateway closed');
    if (this.#waiters.has(txId)) throw new GatewayArgumentError(`already awaiting ${txId}`);
    if (this.#waiters.size >= this.#options.pendingMax) {
      throw new GatewayArgumentError(
        `more than ${this.#options.pendingMax} transactions awaiting their commit`,
      );
    }
    let settle!: Waiter;
    const promise = new Promise<CommitOutcome>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const timers: ReturnType<typeof setTimeout>[] = [];
    const finish = (): void => {
      for (const t of timers) clearTimeout(t);
      this.#waiters.delete(txId);
    };
    this.#waiters.set(txId, {
      resolve: (outcome) => {
        finish();
        settle.resolve(outcome);
      },
      reject: (error) => {
        finish();
        settle.reject(error);
      },
    });
    timers.push(
      setTimeout(() => this.#waiters.get(txId)?.reject(new CommitTimeoutError(txId, timeoutMs)), timeoutMs),
    );
    const poll = (): void => {
      timers.push(
        setTimeout(() => {
          if (!this.#waiters.has(txId)) return;
          this.#options.peer.tx(txId).then(
            (status) => {
              if (status !== null)
                this.#waiters.get(txId)?.resolve({ txId, code: status.code, block: status.block });
              else poll();
            },
            (error: unknown) => {
              this.#options.onError?.(error);
              poll();
            },
          );
        }, this.#options.pollMs),
      );
    };
    poll();
    return { promise, cancel: (reason) => this.#waiters.get(txId)?.reject(reason) };
  }

  /**
   * Resolves once the own peer has committed block `height`; throws PeerBehindError after
   * `timeoutMs`. Asks the peer once at the start and every `pollMs`, and listens to receipts.
   */
  async waitForHeight(height: number, timeoutMs: number): Promise<number> {
    if (this.#height >= height) return this.#height;
    const { peer, pollMs } = this.#options;
    this.#observeHeight(await peer.height());
    if (this.#height >= height) return this.#height;
    const deadline = performance.now() + timeoutMs;
    // Bound: one round per pollMs until the deadline.
    while (!this.#closed && performance.now() < deadline) {
      const waitMs = Math.min(pollMs, Math.max(0, deadline - performance.now()));
      await new Promise<void>((resolve) => {
        const waiter: HeightWaiter = {
          height,
          resolve: () => {
            clearTimeout(timer);
            this.#heightWaiters.delete(waiter);
            resolve();
          },
        };
        const timer = setTimeout(waiter.resolve, waitMs);
        this.#heightWaiters.add(waiter);
      });
      if (this.#height >= height) return this.#height;
      this.#observeHeight(await peer.height());
      if (this.#height >= height) return this.#height;
    }
    throw new PeerBehindError(peer.peerId, this.#height, height, timeoutMs);
  }

  /** Asks the peer for its height (and remembers it). */
  async refreshHeight(): Promise<number> {
    this.#observeHeight(await this.#options.peer.height());
    return this.#height;
  }

  #observeHeight(height: number): void {
    if (height <= this.#height) return;
    this.#height = height;
    for (const waiter of [...this.#heightWaiters]) if (waiter.height <= height) waiter.resolve();
  }

  #onReceipt(receipt: CommitReceipt): void {
    if (receipt === null || typeof receipt !== 'object' || !Number.isSafeInteger(receipt.number)) return;
    const codes = receipt.codes ?? {};
    for (const [txId, code] of Object.entries(codes)) {
      this.#waiters.get(txId)?.resolve({ txId, code, block: receipt.number });
    }
    this.#observeHeight(receipt.number);
  }
}

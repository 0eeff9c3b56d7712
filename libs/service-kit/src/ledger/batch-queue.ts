/**
 * Writes that may wait a moment, batched into few transactions: an access log (who read or
 * checked what) must be on the chain, but not on the caller's critical path. Items are queued
 * as they are served and sent in batches of at most `batchMax`, when a batch is full or every
 * `flushMs`, one batch in flight at a time, oldest first.
 *
 * - Bounded: at most `queueMax` items wait; beyond, `enqueue` throws BatchQueueFullError, so the
 *   caller refuses (503) rather than serves something it will never log.
 * - Never lost on a clean shutdown: `stop()` keeps sending until the queue is empty or
 *   `shutdownFlushMs` has passed, and resolves with what is left (for the log).
 * - A batch that fails (ledger unreachable, conflicts beyond the gateway's rebuilds) stays at the
 *   head and is sent again after a delay that doubles up to `retryMaxMs`.
 * - A batch the rules refuse is sent again item by item; only an item refused on its own is
 *   dropped (reported): one bad item does not hold the others back.
 * - With `idOf`, an item whose id is already queued (or was among the last RECENT_IDS_MAX) is
 *   not queued twice.
 */

export interface BatchQueueSettings {
  /** Items per transaction (≤ what the domain accepts per batch). */
  readonly batchMax: number;
  /** Longest an item waits before its batch is sent, against one transaction per item. */
  readonly flushMs: number;
  /** Items waiting at most. */
  readonly queueMax: number;
  /** First delay before a failed batch is sent again; doubles up to retryMaxMs. */
  readonly retryMs: number;
  readonly retryMaxMs: number;
  /** How long `stop()` keeps trying to empty the queue. */
  readonly shutdownFlushMs: number;
}

export class BatchQueueFullError extends Error {
  override readonly name = 'BatchQueueFullError';
}

export type BatchResult =
  | { readonly status: 'RECORDED' }
  | { readonly status: 'REFUSED'; readonly rule: string; readonly message: string };

export interface BatchQueueHooks<T> {
  /** Commits one batch; throws when it could not be committed (it is sent again later). */
  readonly send: (items: readonly T[]) => Promise<BatchResult>;
  readonly onSent?: (result: 'recorded' | 'refused' | 'failed', size: number, error?: unknown) => void;
  readonly onDropped?: (item: T, rule: string, message: string) => void;
  readonly onQueued?: (length: number) => void;
  /** An item's id, to skip an item queued twice. */
  readonly idOf?: (item: T) => string;
}

/** Ids remembered for `idOf` deduplication. */
export const RECENT_IDS_MAX = 10_000;

export class BatchQueue<T> {
  readonly #queue: T[] = [];
  readonly #recent = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #retryDelayMs: number;
  #retryAtMs = 0;
  /** Items at the head to send one at a time, after their batch was refused. */
  #singles = 0;
  #stopping = false;

  constructor(
    private readonly settings: BatchQueueSettings,
    private readonly hooks: BatchQueueHooks<T>,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(settings.batchMax >= 1 && settings.queueMax >= settings.batchMax && settings.flushMs >= 1)) {
      throw new RangeError('batch queue: need 1 <= batchMax <= queueMax and flushMs >= 1');
    }
    this.#retryDelayMs = settings.retryMs;
  }

  get length(): number {
    return this.#queue.length;
  }

  start(): void {
    if (this.#timer !== null || this.#stopping) return;
    this.#timer = setInterval(() => void this.flush(), this.settings.flushMs);
    this.#timer.unref();
  }

  /** Queues an item; throws BatchQueueFullError when full or stopping. */
  enqueue(item: T): void {
    if (this.#stopping) throw new BatchQueueFullError('the service is shutting down');
    const id = this.hooks.idOf?.(item);
    if (id !== undefined && this.#recent.has(id)) return;
    if (this.#queue.length >= this.settings.queueMax) {
      throw new BatchQueueFullError(
        `${this.#queue.length} items are waiting to be recorded (ledger unreachable?); try again shortly`,
      );
    }
    this.#queue.push(item);
    if (id !== undefined) this.#remember(id);
    this.hooks.onQueued?.(this.#queue.length);
    if (this.#queue.length >= this.settings.batchMax) void this.flush();
  }

  /** Sends batches until the queue is empty or one fails; one flush at a time. */
  flush(): Promise<void> {
    if (this.#flushing !== null) return this.#flushing;
    if (this.#queue.length === 0 || this.clock() < this.#retryAtMs) return Promise.resolve();
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Stops the timer and sends what is queued; resolves with how many items could not be sent. */
  async stop(): Promise<number> {
    this.#stopping = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    const deadline = this.clock() + this.settings.shutdownFlushMs;
    while (this.#queue.length > 0 && this.clock() < deadline) {
      this.#retryAtMs = 0;
      await this.flush();
      const waitMs = Math.min(this.#retryDelayMs, Math.max(0, deadline - this.clock()));
      if (this.#queue.length > 0 && waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    }
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    // Each round removes at least one item, or ends on a failure: bounded by the queue's length.
    while (this.#queue.length > 0) {
      const size = this.#singles > 0 ? 1 : Math.min(this.settings.batchMax, this.#queue.length);
      const batch = this.#queue.slice(0, size);
      let result: BatchResult;
      try {
        result = await this.hooks.send(batch);
      } catch (error) {
        this.hooks.onSent?.('failed', size, error);
        this.#retryAtMs = this.clock() + this.#retryDelayMs;
        this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.settings.retryMaxMs);
        return;
      }
      this.#retryDelayMs = this.settings.retryMs;
      this.hooks.onSent?.(result.status === 'RECORDED' ? 'recorded' : 'refused', size);
      if (result.status === 'REFUSED' && size > 1) {
        this.#singles = size;
        continue;
      }
      this.#queue.splice(0, size);
      if (this.#singles > 0) this.#singles--;
      if (result.status === 'REFUSED') this.hooks.onDropped?.(batch[0]!, result.rule, result.message);
      this.hooks.onQueued?.(this.#queue.length);
    }
  }

  #remember(id: string): void {
    this.#recent.add(id);
    if (this.#recent.size > RECENT_IDS_MAX) this.#recent.delete(this.#recent.values().next().value!);
  }
}

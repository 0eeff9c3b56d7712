/**
 * What a service served and must put on the chain, but not on the caller's critical path (an
 * access log: who checked or read what): a BatchQueue whose batches are transactions of one
 * action of the service's NamespaceLedger. It starts with the application and drains on shutdown
 * (`onModuleDestroy`, before the kit closes the gateway and NATS), so nothing served is lost on a
 * clean shutdown; what a shutdown could not send is logged as an error. When the queue is full,
 * `enqueue` throws BatchQueueFullError: the service refuses (503) rather than serves something it
 * will never log. Services subclass it as an injectable provider.
 */
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  BatchQueue,
  type BatchQueueHooks,
  type BatchQueueSettings,
  type BatchResult,
} from './batch-queue.js';

export interface LedgerBatchLogOptions<T, A extends string> {
  /** The service's NamespaceLedger (its `sendBatch`). */
  readonly ledger: { sendBatch(action: A, input: unknown): Promise<BatchResult> };
  /** The action that records a batch (e.g. `check.record`). */
  readonly action: A;
  /** The action's input for a batch (e.g. `(checks) => ({ checks })`). */
  readonly inputOf: (items: readonly T[]) => unknown;
  readonly settings: BatchQueueSettings;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Metrics per batch, per dropped item and of the queue's length; dedup by `idOf`. */
  readonly hooks?: Omit<BatchQueueHooks<T>, 'send'>;
  /** What is lost when a shutdown leaves items unsent, for the error line (e.g. `answered checks`). */
  readonly what: string;
}

export class LedgerBatchLog<T, A extends string = string> implements OnApplicationBootstrap, OnModuleDestroy {
  readonly log: BatchQueue<T>;
  readonly #logger: Logger;
  readonly #what: string;

  constructor(options: LedgerBatchLogOptions<T, A>) {
    const { ledger, action, inputOf, logger, hooks = {} } = options;
    this.#logger = logger;
    this.#what = options.what;
    this.log = new BatchQueue<T>(
      options.settings,
      {
        ...hooks,
        send: (items) => ledger.sendBatch(action, inputOf(items)),
        onSent: (result, size, error) => {
          if (result === 'failed')
            logger.warn({ err: error, size, action }, `${action} batch failed; will retry`);
          hooks.onSent?.(result, size, error);
        },
      },
      options.clock,
    );
  }

  /** Queues an item; throws BatchQueueFullError when it cannot be logged (then serve nothing). */
  enqueue(item: T): void {
    this.log.enqueue(item);
  }

  onApplicationBootstrap(): void {
    this.log.start();
  }

  async onModuleDestroy(): Promise<void> {
    const left = await this.log.stop();
    if (left > 0)
      this.#logger.error({ left }, `shutdown: ${left} ${this.#what} could not be recorded on the chain`);
  }
}

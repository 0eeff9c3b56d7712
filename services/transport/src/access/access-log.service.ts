/**
 * The write path of the access log (docs/transport.md#access-log): records are served to an
 * inspector at once and the access queued in the kit's BatchQueue; batches go to the chain as
 * `access.record` transactions. It starts with the application and drains on shutdown
 * (`onModuleDestroy`, before the kit closes the gateway and NATS), so that no served access is
 * lost on a clean shutdown; when the queue is full, `enqueue` throws BatchQueueFullError and the
 * records are refused (503) instead of served unlogged. An access seen twice (same ticket) is
 * queued once.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BatchQueue, CLOCK, LOGGER, METRICS, SERVICE_CONFIG, type Logger } from '@civic/service-kit';
import type { TransportConfig } from '../config/transport-config.js';
import type { AccessToRecord, RecordAccessResult } from '../domain/index.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import type { TransportMetrics } from '../observability/metrics.js';

@Injectable()
export class AccessLogService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly log: BatchQueue<AccessToRecord>;

  constructor(
    @Inject(TransportLedger) private readonly ledger: TransportLedger,
    @Inject(SERVICE_CONFIG) config: TransportConfig,
    @Inject(METRICS) metrics: TransportMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) clock: () => number,
  ) {
    this.log = new BatchQueue<AccessToRecord>(
      config.accessLog,
      {
        send: async (entries) => {
          const outcome = await this.ledger.submit<RecordAccessResult>('access.record', { entries });
          return outcome.status === 'REFUSED'
            ? { status: 'REFUSED', rule: outcome.violation.rule, message: outcome.violation.message }
            : { status: 'RECORDED' };
        },
        onSent: (result, size, error) => {
          metrics.accessLogBatches.inc({ result });
          if (result === 'failed') logger.warn({ err: error, size }, 'access log batch failed; will retry');
        },
        onDropped: (entry, rule, message) => {
          metrics.accessLogDropped.inc({ rule });
          logger.error(
            { rule, message, accessId: entry.accessId, by: entry.by },
            'access refused by the access log',
          );
        },
        onQueued: (length) => metrics.accessLogQueued.set(length),
        idOf: (entry) => entry.accessId,
      },
      clock,
    );
  }

  /** Queues an access; throws BatchQueueFullError when it cannot be logged (then serve nothing). */
  enqueue(entry: AccessToRecord): void {
    this.log.enqueue(entry);
  }

  onApplicationBootstrap(): void {
    this.log.start();
  }

  async onModuleDestroy(): Promise<void> {
    const left = await this.log.stop();
    if (left > 0) this.logger.error({ left }, 'shutdown: served accesses could not be logged on the chain');
  }
}

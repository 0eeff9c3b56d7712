/**
 * The write path of the access log (docs/transport.md#access-log): records are served to an
 * inspector at once and the access queued in the kit's LedgerBatchLog; batches go to the chain as
 * `access.record` transactions, and a shutdown drains the queue first. When the queue is full,
 * `enqueue` throws BatchQueueFullError and the records are refused (503) instead of served
 * unlogged. An access seen twice (same ticket) is queued once.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, LedgerBatchLog, LOGGER, METRICS, SERVICE_CONFIG, type Logger } from '@civic/service-kit';
import type { TransportConfig } from '../config/transport-config.js';
import type { AccessToRecord, TransportAction } from '../domain/index.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import type { TransportMetrics } from '../observability/metrics.js';

@Injectable()
export class AccessLogService extends LedgerBatchLog<AccessToRecord, TransportAction> {
  constructor(
    @Inject(TransportLedger) ledger: TransportLedger,
    @Inject(SERVICE_CONFIG) config: TransportConfig,
    @Inject(METRICS) metrics: TransportMetrics,
    @Inject(LOGGER) logger: Logger,
    @Inject(CLOCK) clock: () => number,
  ) {
    super({
      ledger,
      action: 'access.record',
      inputOf: (entries) => ({ entries }),
      settings: config.accessLog,
      logger,
      clock,
      what: 'served accesses',
      hooks: {
        onSent: (result) => metrics.accessLogBatches.inc({ result }),
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
    });
  }
}

/**
 * The access log's write path (docs/parking.md#access-log): a roadside check is answered at once
 * and queued in the kit's LedgerBatchLog, which sends batches through the gateway as
 * `check.record` transactions (full batch or every CHECK_LOG_FLUSH_MS, one in flight, retried,
 * refused batches split) and drains the queue on shutdown, so that no answered check is lost on
 * a clean shutdown.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, LedgerBatchLog, LOGGER, METRICS, SERVICE_CONFIG, type Logger } from '@civic/service-kit';
import type { ParkingConfig } from '../config/parking-config.js';
import type { CheckToRecord, ParkingAction } from '../domain/index.js';
import { ParkingLedger } from '../ledger/parking-ledger.js';
import type { ParkingMetrics } from '../observability/metrics.js';

@Injectable()
export class CheckLogService extends LedgerBatchLog<CheckToRecord, ParkingAction> {
  constructor(
    @Inject(ParkingLedger) ledger: ParkingLedger,
    @Inject(SERVICE_CONFIG) config: ParkingConfig,
    @Inject(METRICS) metrics: ParkingMetrics,
    @Inject(LOGGER) logger: Logger,
    @Inject(CLOCK) clock: () => number,
  ) {
    super({
      ledger,
      action: 'check.record',
      inputOf: (checks) => ({ checks }),
      settings: config.checkLog,
      logger,
      clock,
      what: 'answered checks',
      hooks: {
        onSent: (result, size) => {
          metrics.checkLogBatches.inc({ outcome: result });
          if (result === 'recorded') metrics.checkLogRecorded.inc(size);
        },
        onDropped: (check, rule, message) => {
          metrics.checkLogDropped.inc({ reason: rule });
          logger.error(
            { rule, message, checkedAt: check.checkedAt, via: check.via },
            'check refused by the access log',
          );
        },
        onQueued: (length) => metrics.checkLogQueued.set(length),
      },
    });
  }
}

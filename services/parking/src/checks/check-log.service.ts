/**
 * The access log's write path (docs/parking.md#access-log): a roadside check is answered at once
 * and queued here; the kit's BatchQueue sends batches through the gateway as `check.record`
 * transactions (full batch or every CHECK_LOG_FLUSH_MS, one in flight, retried, refused batches
 * split). It starts with the application and drains on shutdown (`onModuleDestroy`, before the
 * kit closes the gateway and NATS), so that no answered check is lost on a clean shutdown.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BatchQueue, CLOCK, LOGGER, METRICS, SERVICE_CONFIG, type Logger } from '@civic/service-kit';
import type { ParkingConfig } from '../config/parking-config.js';
import type { CheckToRecord, RecordChecksResult } from '../domain/index.js';
import { ParkingLedger } from '../ledger/parking-ledger.js';
import type { ParkingMetrics } from '../observability/metrics.js';

@Injectable()
export class CheckLogService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly log: BatchQueue<CheckToRecord>;

  constructor(
    @Inject(ParkingLedger) private readonly ledger: ParkingLedger,
    @Inject(SERVICE_CONFIG) config: ParkingConfig,
    @Inject(METRICS) metrics: ParkingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) clock: () => number,
  ) {
    this.log = new BatchQueue<CheckToRecord>(
      config.checkLog,
      {
        send: async (checks) => {
          const outcome = await this.ledger.submit<RecordChecksResult>('check.record', { checks });
          return outcome.status === 'REFUSED'
            ? { status: 'REFUSED', rule: outcome.violation.rule, message: outcome.violation.message }
            : { status: 'RECORDED' };
        },
        onSent: (result, size, error) => {
          metrics.checkLogBatches.inc({ outcome: result });
          if (result === 'recorded') metrics.checkLogRecorded.inc(size);
          if (result === 'failed') logger.warn({ err: error, size }, 'access-log batch failed; will retry');
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
      clock,
    );
  }

  enqueue(check: CheckToRecord): void {
    this.log.enqueue(check);
  }

  onApplicationBootstrap(): void {
    this.log.start();
  }

  async onModuleDestroy(): Promise<void> {
    const left = await this.log.stop();
    if (left > 0)
      this.logger.error({ left }, 'shutdown: answered checks could not be recorded in the access log');
  }
}

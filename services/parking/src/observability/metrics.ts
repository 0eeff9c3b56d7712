/** The parking service's metrics: the kit's, plus roadside checks, the access-log queue and proofs. */
import { ServiceMetrics } from '@civic/service-kit';
import { Gauge, type Counter, type Histogram } from 'prom-client';

export class ParkingMetrics extends ServiceMetrics {
  /** Roadside checks answered, by what was checked and the answer. */
  readonly checks: Counter<'via' | 'status'>;
  /** From the request to the answer (reads, rule, proof), without HTTP parsing. */
  readonly checkSeconds: Histogram<'via'>;
  readonly checkLogQueued: Gauge;
  readonly checkLogBatches: Counter<'outcome'>;
  readonly checkLogRecorded: Counter;
  readonly checkLogDropped: Counter<'reason'>;
  readonly proofCache: Counter<'result'>;
  readonly erasures: Counter<'step'>;

  constructor(labels: { readonly mspId: string; readonly channel: string }) {
    super({ service: 'parking', ...labels });
    this.checks = this.counter('checks_total', 'Roadside checks answered', ['via', 'status']);
    this.checkSeconds = this.histogram('check_seconds', 'Roadside check latency in the service', ['via']);
    this.checkLogQueued = new Gauge({
      name: `${this.prefix}check_log_queued`,
      help: 'Answered checks waiting to be recorded in the access log',
      registers: [this.registry],
    });
    this.checkLogBatches = this.counter('check_log_batches_total', 'check.record transactions, by outcome', [
      'outcome',
    ]);
    this.checkLogRecorded = this.counter('check_log_recorded_total', 'Checks recorded in the access log', []);
    this.checkLogDropped = this.counter('check_log_dropped_total', 'Checks the ledger refused to record', [
      'reason',
    ]);
    this.proofCache = this.counter('proof_cache_total', 'Record proofs served from the cache or fetched', [
      'result',
    ]);
    this.erasures = this.counter('erasures_total', 'Erasure steps done (private store, chain, assessor)', [
      'step',
    ]);
  }
}

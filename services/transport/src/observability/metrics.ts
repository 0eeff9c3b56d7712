/** The kit's metrics plus the transport service's own: uploads, engine runs, sharing and the access log. */
import { ServiceMetrics } from '@civic/service-kit';
import { Gauge, type Counter, type Histogram } from 'prom-client';

export class TransportMetrics extends ServiceMetrics {
  readonly uploads: Counter<'result'>;
  readonly uploadActivities: Counter;
  /** One run of the compliance engine (validation and evaluation), by where it ran. */
  readonly engineSeconds: Histogram<'use'>;
  /** Requests for records between services: served (company) or fetched (inspector), by result. */
  readonly shares: Counter<'side' | 'result'>;
  readonly accessLogQueued: Gauge;
  readonly accessLogBatches: Counter<'result'>;
  readonly accessLogDropped: Counter<'rule'>;

  constructor(labels: { readonly mspId: string; readonly channel: string }) {
    super({ service: 'transport', ...labels });
    this.uploads = this.counter('uploads_total', 'Uploads of records, by result (COMMITTED or a rule)', [
      'result',
    ]);
    this.uploadActivities = this.counter('upload_activities_total', 'Activities in committed uploads', []);
    this.engineSeconds = this.histogram('engine_seconds', 'One compliance engine run', ['use']);
    this.shares = this.counter('shares_total', 'Record requests served to or fetched by inspectors', [
      'side',
      'result',
    ]);
    this.accessLogQueued = new Gauge({
      name: `${this.prefix}access_log_queued`,
      help: 'Inspector accesses waiting to be logged on the chain',
      registers: [this.registry],
    });
    this.accessLogBatches = this.counter(
      'access_log_batches_total',
      'access.record transactions, by result',
      ['result'],
    );
    this.accessLogDropped = this.counter(
      'access_log_dropped_total',
      'Accesses the domain refused on their own',
      ['rule'],
    );
  }
}

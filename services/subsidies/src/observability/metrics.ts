import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, on a registry of its own (several instances per test process). */
export class SubsidiesMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpSeconds: Histogram<'method' | 'route'>;
  /** One REST transaction, from the first read to the commit code (every rebuild included). */
  readonly txSeconds: Histogram<'action' | 'outcome'>;
  readonly txRebuilds: Counter;
  readonly endorsements: Counter<'action' | 'result'>;
  readonly endorseSeconds: Histogram<'action'>;

  constructor(labels: { mspId: string; channel: string }) {
    this.registry.setDefaultLabels({ org: labels.mspId, channel: labels.channel });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.httpRequests = new Counter({
      name: 'civic_subsidies_http_requests_total',
      help: 'REST requests',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'civic_subsidies_http_seconds',
      help: 'REST request duration',
      labelNames: ['method', 'route'],
      buckets: seconds,
      registers,
    });
    this.txSeconds = new Histogram({
      name: 'civic_subsidies_transaction_seconds',
      help: 'Build, endorse, order and commit of one transaction (outcome COMMITTED, REFUSED or an error code)',
      labelNames: ['action', 'outcome'],
      buckets: seconds,
      registers,
    });
    this.txRebuilds = new Counter({
      name: 'civic_subsidies_transaction_rebuilds_total',
      help: 'Rebuilds after MVCC_READ_CONFLICT or an endorser on newer state',
      registers,
    });
    this.endorsements = new Counter({
      name: 'civic_subsidies_endorsements_total',
      help: 'Endorsement requests answered, by result (ENDORSED or refusal code)',
      labelNames: ['action', 'result'],
      registers,
    });
    this.endorseSeconds = new Histogram({
      name: 'civic_subsidies_endorse_seconds',
      help: 'Time to answer an endorsement request',
      labelNames: ['action'],
      buckets: seconds,
      registers,
    });
  }
}

/**
 * The Prometheus metrics every domain service has, on a registry of its own (several service
 * instances share a test process), named `civic_<service>_…` and labelled with the organisation
 * and channel. A service subclasses it to add its own.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds: from a warm point read to a slow commit. */
export const SECONDS_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const SERVICE_NAME = /^[a-z][a-z0-9_]{0,31}$/;

export class ServiceMetrics {
  readonly registry = new Registry();
  /** `civic_<service>_`. */
  readonly prefix: string;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpSeconds: Histogram<'method' | 'route'>;
  /** One REST transaction, from the first read to the commit code (every rebuild included). */
  readonly txSeconds: Histogram<'action' | 'outcome'>;
  readonly txRebuilds: Counter;
  readonly endorsements: Counter<'action' | 'result'>;
  readonly endorseSeconds: Histogram<'action'>;

  constructor(labels: { readonly service: string; readonly mspId: string; readonly channel: string }) {
    if (!SERVICE_NAME.test(labels.service)) {
      throw new RangeError(`metrics service name must match ${SERVICE_NAME.source}, got ${labels.service}`);
    }
    this.prefix = `civic_${labels.service}_`;
    this.registry.setDefaultLabels({ org: labels.mspId, channel: labels.channel });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = this.counter('http_requests_total', 'REST requests', ['method', 'route', 'status']);
    this.httpSeconds = this.histogram('http_seconds', 'REST request duration', ['method', 'route']);
    this.txSeconds = this.histogram(
      'transaction_seconds',
      'Build, endorse, order and commit of one transaction (outcome COMMITTED, REFUSED or an error name)',
      ['action', 'outcome'],
    );
    this.txRebuilds = this.counter(
      'transaction_rebuilds_total',
      'Rebuilds after MVCC_READ_CONFLICT or an endorser on newer state',
      [],
    );
    this.endorsements = this.counter(
      'endorsements_total',
      'Endorsement requests answered, by result (ENDORSED or refusal code)',
      ['action', 'result'],
    );
    this.endorseSeconds = this.histogram('endorse_seconds', 'Time to answer an endorsement request', [
      'action',
    ]);
  }

  /** A counter `civic_<service>_<name>` on this registry. */
  protected counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name: this.prefix + name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram `civic_<service>_<name>` on this registry (SECONDS_BUCKETS unless given). */
  protected histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: readonly number[] = SECONDS_BUCKETS,
  ): Histogram<L> {
    return new Histogram({
      name: this.prefix + name,
      help,
      labelNames,
      buckets: [...buckets],
      registers: [this.registry],
    });
  }
}

/**
 * The transport service's settings: the kit's common ones (docs/service-kit.md) plus the access
 * log's batching and the sharing of records with inspectors. Every problem is reported at once.
 */
import { loadServiceEnv, type BatchQueueSettings, type Env, type ServiceEnv } from '@civic/service-kit';
import { LIMITS } from '../domain/index.js';

/**
 * Batching of the access log (the kit's BatchQueue): `ACCESS_LOG_BATCH_MAX` accesses per
 * `access.record` (≤ the domain's 200), `ACCESS_LOG_FLUSH_MS` before a batch goes (how soon the
 * driver sees an access), `ACCESS_LOG_QUEUE_MAX` waiting at most (beyond, records are refused
 * rather than served unlogged), `ACCESS_LOG_RETRY_MS`/`_RETRY_MAX_MS` after a failed batch,
 * `ACCESS_LOG_SHUTDOWN_FLUSH_MS` for a clean shutdown to drain the queue.
 */
export type AccessLogSettings = BatchQueueSettings;

export interface SharingSettings {
  /**
   * How long an inspector's signed request stays usable for fetching the records it opened
   * (`SHARE_TICKET_TTL_MS`): long enough to fetch a year in chunks, short against replay.
   */
  readonly ticketTtlMs: number;
  /** Clock difference tolerated between an inspector's and the company's service (`SHARE_CLOCK_SKEW_MS`). */
  readonly clockSkewMs: number;
  /** Patience for one request to a company's service (`SHARE_TIMEOUT_MS`). */
  readonly timeoutMs: number;
}

export interface TransportConfig extends ServiceEnv {
  readonly accessLog: AccessLogSettings;
  readonly sharing: SharingSettings;
}

export const TRANSPORT_SERVICE = 'transport';
export const TRANSPORT_HTTP_PORT = 3300;
/**
 * Uploads carry up to 20,000 activities (about 130 bytes each with flags): 4 MiB, the kit's
 * largest body, bounds the parsing work of one request.
 */
export const TRANSPORT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export function loadTransportConfig(env: Env = process.env): TransportConfig {
  return loadServiceEnv(
    env,
    { service: TRANSPORT_SERVICE, httpPort: TRANSPORT_HTTP_PORT, bodyLimitBytes: TRANSPORT_BODY_LIMIT_BYTES },
    (r) => ({
      accessLog: {
        batchMax: r.integer('ACCESS_LOG_BATCH_MAX', 100, 1, LIMITS.accessEntriesPerBatchMax),
        flushMs: r.integer('ACCESS_LOG_FLUSH_MS', 250, 10, 60_000),
        queueMax: r.integer('ACCESS_LOG_QUEUE_MAX', 10_000, 200, 1_000_000),
        retryMs: r.integer('ACCESS_LOG_RETRY_MS', 200, 10, 60_000),
        retryMaxMs: r.integer('ACCESS_LOG_RETRY_MAX_MS', 10_000, 10, 600_000),
        shutdownFlushMs: r.integer('ACCESS_LOG_SHUTDOWN_FLUSH_MS', 15_000, 100, 600_000),
      },
      sharing: {
        ticketTtlMs: r.integer('SHARE_TICKET_TTL_MS', 5 * 60_000, 10_000, 15 * 60_000),
        clockSkewMs: r.integer('SHARE_CLOCK_SKEW_MS', 30_000, 0, 300_000),
        timeoutMs: r.integer('SHARE_TIMEOUT_MS', 10_000, 100, 120_000),
      },
    }),
  );
}

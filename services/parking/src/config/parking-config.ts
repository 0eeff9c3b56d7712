/**
 * The parking service's settings: the kit's common ones (docs/service-kit.md) plus the roadside
 * check's access-log batching and the holder tokens. Every problem is reported at once.
 */
import { loadServiceEnv, type BatchQueueSettings, type Env, type ServiceEnv } from '@civic/service-kit';
import { LIMITS, MUNICIPALITIES, isMunicipality } from '../domain/index.js';

export interface ParkingConfig extends ServiceEnv {
  readonly checkLog: CheckLogSettings;
  /**
   * CBS code recorded as the check's area when the request names none (`CHECK_AREA`). Default:
   * a municipality's own code; none for the police, whose officers must send `?area=`.
   */
  readonly defaultArea: string | undefined;
  /** Lifetime of the citizen tokens this municipality mints (`HOLDER_TOKEN_TTL_MS`, ≤ 15 min). */
  readonly holderTokenTtlMs: number;
}

/**
 * Batching of the access log (the kit's BatchQueue): `CHECK_LOG_BATCH_MAX` checks per
 * `check.record` (≤ 200, the domain's bound; larger batches mean fewer transactions under load,
 * but each batch is one MVCC unit: a conflict on one holder's bucket rebuilds the whole batch),
 * `CHECK_LOG_FLUSH_MS` before a batch goes (the delay before a holder sees a check, against one
 * transaction per check under light load), `CHECK_LOG_QUEUE_MAX` waiting at most (when the ledger
 * is unreachable for long the queue fills and checks are answered 503 rather than answered and
 * never logged), `CHECK_LOG_RETRY_MS`/`_RETRY_MAX_MS` after a failed batch,
 * `CHECK_LOG_SHUTDOWN_FLUSH_MS` for a shutdown to drain the queue (what is left is logged).
 */
export type CheckLogSettings = BatchQueueSettings;

export const PARKING_SERVICE = 'parking';
export const PARKING_HTTP_PORT = 3200;

export function loadParkingConfig(env: Env = process.env): ParkingConfig {
  return loadServiceEnv(
    env,
    // Bodies are a person or an assessment's details: 16 KiB is ample and bounds parsing.
    { service: PARKING_SERVICE, httpPort: PARKING_HTTP_PORT, bodyLimitBytes: 16 * 1024 },
    (r, base) => {
      const area = r.text('CHECK_AREA');
      if (area !== undefined && !/^\d{4}$/.test(area))
        r.problems.push(`CHECK_AREA must be a 4-digit CBS code, got ${JSON.stringify(area)}`);
      return {
        checkLog: {
          batchMax: r.integer('CHECK_LOG_BATCH_MAX', 100, 1, LIMITS.checksPerBatchMax),
          flushMs: r.integer('CHECK_LOG_FLUSH_MS', 250, 10, 60_000),
          queueMax: r.integer('CHECK_LOG_QUEUE_MAX', 20_000, 100, 1_000_000),
          retryMs: r.integer('CHECK_LOG_RETRY_MS', 200, 10, 60_000),
          retryMaxMs: r.integer('CHECK_LOG_RETRY_MAX_MS', 10_000, 10, 600_000),
          shutdownFlushMs: r.integer('CHECK_LOG_SHUTDOWN_FLUSH_MS', 15_000, 100, 600_000),
        },
        defaultArea: area ?? (isMunicipality(base.mspId) ? MUNICIPALITIES[base.mspId].cbsCode : undefined),
        holderTokenTtlMs: r.integer('HOLDER_TOKEN_TTL_MS', 10 * 60_000, 10_000, 15 * 60_000),
      };
    },
  );
}

/**
 * One REST write = one ledger transaction: `submitMeasured` runs gateway.submit and records its
 * duration and rebuilds in the service's metrics and its outcome in the log, so every service
 * measures writes the same way.
 */
import type { Gateway, SubmitOutcome, SubmitRequest } from '@civic/gateway';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../observability/metrics.js';

export type Committed<T> = Extract<SubmitOutcome<T, unknown>, { status: 'COMMITTED' }>;

/** Where a committed write went: what every 201 answer carries (the gateway's outcome fields). */
export type TxRef = Pick<
  Committed<unknown>,
  'txId' | 'block' | 'action' | 'txTime' | 'endorsedBy' | 'attempts'
>;

export function txRefOf(outcome: Committed<unknown>): TxRef {
  const { txId, block, action, txTime, endorsedBy, attempts } = outcome;
  return { txId, block, action, txTime, endorsedBy, attempts };
}

export async function submitMeasured<I, T, V>(
  gateway: Gateway,
  metrics: ServiceMetrics,
  logger: Logger,
  request: SubmitRequest<I, T, V>,
): Promise<SubmitOutcome<T, V>> {
  const started = performance.now();
  let outcome: SubmitOutcome<T, V>;
  try {
    outcome = await gateway.submit(request);
  } catch (error) {
    metrics.txSeconds.observe(
      { action: request.action, outcome: (error as Error)?.name ?? 'Error' },
      (performance.now() - started) / 1000,
    );
    throw error;
  }
  metrics.txSeconds.observe(
    { action: request.action, outcome: outcome.status },
    (performance.now() - started) / 1000,
  );
  if (outcome.attempts > 1) metrics.txRebuilds.inc(outcome.attempts - 1);
  if (outcome.status === 'REFUSED') {
    const rule = (outcome.violation as { rule?: unknown } | null)?.rule;
    logger.info({ action: request.action, rule, attempts: outcome.attempts }, 'refused');
  } else {
    const { txId, block, endorsedBy, attempts, timings } = outcome;
    logger.info({ action: outcome.action, txId, block, endorsedBy, attempts, timings }, 'committed');
  }
  return outcome;
}

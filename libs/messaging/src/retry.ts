import { errors as natsErrors } from '@nats-io/nats-core';
import { JetStreamApiError } from '@nats-io/jetstream';
import { someCause } from './causes.js';

/** JetStream's "system temporarily unavailable" (no meta leader, e.g. during an election). */
const JS_TEMPORARILY_UNAVAILABLE = 10008;

/**
 * True for failures that a cluster heals by itself within seconds: timeouts, "no responders"
 * while JetStream elects a leader, and JetStream's "temporarily unavailable".
 */
export function isTransient(err: unknown): boolean {
  return someCause(
    err,
    (e) =>
      e instanceof natsErrors.TimeoutError ||
      isNoResponders(e) ||
      (e instanceof JetStreamApiError && e.code === JS_TEMPORARILY_UNAVAILABLE),
  );
}

/** nats.js's "no responders", bare or as a RequestError. */
export function isNoResponders(e: Error): boolean {
  return (
    e instanceof natsErrors.NoRespondersError || (e instanceof natsErrors.RequestError && e.isNoResponders())
  );
}

export interface RetryOptions {
  /** Attempts in all (1 = no retry). */
  readonly attempts: number;
  /** Wait before the second attempt; doubles each time. */
  readonly firstDelayMs: number;
}

/** Runs `operation`, again after a growing delay while it fails transiently, `attempts` times at most. */
export async function retryTransient<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  let delayMs = options.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (err) {
      if (attempt >= options.attempts || !isTransient(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs *= 2;
    }
  }
}

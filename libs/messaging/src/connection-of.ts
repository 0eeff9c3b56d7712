import type { NatsConnection } from '@nats-io/nats-core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';

/**
 * The connection under a JetStream client or manager. nats.js keeps it (`getConnection()`)
 * without putting it in the public type; the helpers need it only for the server's
 * max_payload, so they work (with NATS's 1 MiB default) if a future version drops it.
 */
export function connectionOf(client: JetStreamClient | JetStreamManager): NatsConnection | undefined {
  const candidate = client as unknown as { getConnection?: () => NatsConnection };
  return typeof candidate.getConnection === 'function' ? candidate.getConnection() : undefined;
}

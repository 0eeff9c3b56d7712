/** The NATS server tests talk to: `NATS_URL`, or the local one. */
export function natsUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}

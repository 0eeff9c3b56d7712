import type { MsgHdrs, NatsConnection } from '@nats-io/nats-core';
import { PayloadTooLargeError } from './errors.js';

/** NATS's default max_payload (1 MiB), used until the server's INFO says otherwise. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The connected server's max_payload: the largest message (payload plus headers) it accepts. */
export function maxPayloadBytes(nc: NatsConnection | undefined): number {
  const announced = nc?.info?.max_payload;
  return typeof announced === 'number' && announced > 0 ? announced : DEFAULT_MAX_PAYLOAD_BYTES;
}

const encoder = new TextEncoder();

/** Bytes that `headers` take on the wire (`NATS/1.0\r\nk: v\r\n…\r\n\r\n`), 0 when none. */
export function headersBytes(headers: MsgHdrs | undefined): number {
  if (headers === undefined) return 0;
  let text = 'NATS/1.0';
  let count = 0;
  for (const [key, values] of headers) {
    for (const value of values) {
      text += `\r\n${key}: ${value}`;
      count += 1;
    }
  }
  return count === 0 && headers.code === 0 ? 0 : encoder.encode(`${text}\r\n\r\n`).length;
}

/**
 * Throws {@link PayloadTooLargeError} when payload plus headers exceed `maxBytes`, so that an
 * oversize message is refused with its size and the limit before anything is sent.
 */
export function assertPayloadFits(
  subject: string,
  data: Uint8Array,
  headers: MsgHdrs | undefined,
  maxBytes: number,
): void {
  const bytes = data.length + headersBytes(headers);
  if (bytes > maxBytes) throw new PayloadTooLargeError(subject, bytes, maxBytes);
}

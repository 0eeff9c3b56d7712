import type { Hex } from '@civic/protocol';
import { PubHeaders, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { JsonEncoding } from './codec.js';
import { MessagingArgumentError, WrongLastSequenceError } from './errors.js';
import { publishToStream, type StreamPubAck } from './stream-publish.js';
import { streamNames, subjects } from './subjects.js';

/**
 * What a peer publishes on `civic.<channel>.events.<namespace>.<type>` for each valid
 * transaction: its domain event, with where it sits in the chain so that a subscriber can
 * ask a peer for the proof.
 */
export interface LedgerEvent {
  readonly txId: Hex;
  /** Number of the block that holds the transaction. */
  readonly block: number;
  /** Index of the transaction in that block. */
  readonly txIndex: number;
  readonly namespace: string;
  /** The event's `type` (from the transaction payload). */
  readonly type: string;
  /** The event's `data` (from the transaction payload). */
  readonly data: unknown;
}

export interface PublishEventOptions {
  /**
   * Optional fencing for exactly-once beyond the duplicate window: the number of events of
   * the channel before this one (every honest peer computes the same count from the chain).
   * The event is then stored at sequence `ordinal + 1` or not at all; when another peer
   * stored it already the result is `{duplicate: true}`, not an error.
   */
  readonly ordinal?: number;
  /** Wait for the server's ack. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Trace context to propagate; default: the active one. */
  readonly context?: Context;
}

/**
 * Publishes a domain event of a valid transaction, canonical JSON, msg id = txId: every peer
 * may publish the same events, the server keeps one copy per txId within the duplicate
 * window (and with `ordinal`, forever).
 */
export async function publishEvent(
  js: JetStreamClient,
  channel: string,
  event: LedgerEvent,
  options: PublishEventOptions = {},
): Promise<StreamPubAck> {
  const subject = subjects(channel).events(event?.namespace, event?.type);
  if (typeof event.txId !== 'string' || !/^[0-9a-f]{64}$/.test(event.txId)) {
    throw new MessagingArgumentError(`publishEvent on ${subject}: txId must be 64 lowercase hex characters`);
  }
  const stream = streamNames(channel).events;
  const { ordinal, ...rest } = options;
  try {
    return await publishToStream(js, subject, event, {
      ...rest,
      stream,
      encoding: JsonEncoding.CANONICAL,
      msgId: event.txId,
      ...(ordinal === undefined ? {} : { expectLastSequence: ordinal }),
    });
  } catch (err) {
    if (ordinal === undefined || !(err instanceof WrongLastSequenceError) || !err.alreadyPublished) throw err;
    const jsm = await js.jetstreamManager(false);
    if (await holdsMsgId(jsm, stream, ordinal + 1, event.txId))
      return { stream, seq: ordinal + 1, duplicate: true };
    throw err;
  }
}

async function holdsMsgId(
  jsm: JetStreamManager,
  stream: string,
  seq: number,
  msgId: string,
): Promise<boolean> {
  const stored = await jsm.streams.getMessage(stream, { seq });
  return stored !== null && stored.header?.get(PubHeaders.MsgIdHdr) === msgId;
}

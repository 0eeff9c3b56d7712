import { JetStreamApiCodes, JetStreamApiError, PubHeaders, type JetStreamClient } from '@nats-io/jetstream';
import { someCause } from './causes.js';
import { connectionOf } from './connection-of.js';
import {
  MessagingArgumentError,
  NoStreamError,
  PublishRefusedError,
  TransportError,
  WrongLastSequenceError,
} from './errors.js';
import { prepareOutgoing, prepareOutgoingBytes, type Outgoing, type OutgoingOptions } from './outgoing.js';
import { maxPayloadBytes } from './payload-limit.js';
import { isNoResponders } from './retry.js';

export interface StreamPublishOptions extends OutgoingOptions {
  /** The stream that must capture the subject (`Nats-Expected-Stream`): a misrouted publish fails. */
  readonly stream: string;
  /** Dedup id: a second publish with the same id within the duplicate window is dropped. */
  readonly msgId: string;
  /** Fencing: the server stores the message only if its last sequence is this one. */
  readonly expectLastSequence?: number;
  /** Wait for the server's ack. Default 5000 ms. */
  readonly timeoutMs?: number;
}

/** The server's acknowledgement of a stored (or deduplicated) message. */
export interface StreamPubAck {
  readonly stream: string;
  /** Stream sequence of the message (of the original one when `duplicate`). */
  readonly seq: number;
  /** True when the server dropped this publish as a duplicate of an earlier msg id. */
  readonly duplicate: boolean;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 5000;

/** "wrong last sequence: 7" → 7; -1 when the server's wording does not say. */
function reportedLastSequence(description: string): number {
  const match = /wrong last sequence:\s*(\d+)/i.exec(description);
  return match?.[1] === undefined ? -1 : Number(match[1]);
}

function publishErrorFor(subject: string, options: StreamPublishOptions, err: unknown): Error {
  if (err instanceof JetStreamApiError) {
    const api = err.apiError();
    if (err.code === JetStreamApiCodes.StreamWrongLastSequence && options.expectLastSequence !== undefined) {
      const actual = reportedLastSequence(api.description);
      return new WrongLastSequenceError(options.stream, subject, options.expectLastSequence, actual, {
        cause: err,
      });
    }
    return new PublishRefusedError(subject, err.code, api.description, { cause: err });
  }
  if (someCause(err, isNoResponders)) return new NoStreamError(subject, { cause: err });
  return new TransportError(subject, { cause: err });
}

/**
 * Publishes one JSON value to a stream with a msg id (exactly-once within the duplicate
 * window) and optional expected-last-sequence fencing (exactly-once beyond it). Errors:
 * {@link WrongLastSequenceError} (fence refused), {@link PublishRefusedError} (other server
 * refusal), {@link NoStreamError}, {@link PayloadTooLargeError}, {@link TransportError}
 * (timeout, closed connection: the message may or may not be stored; publish again with the
 * same msg id, which is safe).
 */
export async function publishToStream(
  js: JetStreamClient,
  subject: string,
  value: unknown,
  options: StreamPublishOptions,
): Promise<StreamPubAck> {
  const headers = streamHeaders(subject, options);
  // JetStream's headers are set here, not by nats.js, so that the size check counts them.
  const out = prepareOutgoing(subject, value, options, maxPayloadBytes(connectionOf(js)), headers);
  return send(js, subject, out, options);
}

/**
 * {@link publishToStream} for a payload already encoded (sent byte for byte): the same msg id,
 * fencing, trace headers, size check and errors. `options.encoding` does not apply.
 */
export async function publishBytesToStream(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  options: StreamPublishOptions,
): Promise<StreamPubAck> {
  if (!(data instanceof Uint8Array) || data.length === 0)
    throw new MessagingArgumentError(`publish to ${subject}: data must be a non-empty Uint8Array`);
  const headers = streamHeaders(subject, options);
  const out = prepareOutgoingBytes(subject, data, options, maxPayloadBytes(connectionOf(js)), headers);
  return send(js, subject, out, options);
}

/** The msg id, expected stream and (optionally) expected last sequence headers, checked. */
function streamHeaders(subject: string, options: StreamPublishOptions): Record<string, string> {
  if (options.msgId.length === 0) throw new MessagingArgumentError(`publish to ${subject}: msgId is empty`);
  const expected = options.expectLastSequence;
  if (expected !== undefined && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new MessagingArgumentError(
      `publish to ${subject}: expectLastSequence must be an integer >= 0, got ${expected}`,
    );
  }
  const jsHeaders: Record<string, string> = {
    [PubHeaders.MsgIdHdr]: options.msgId,
    [PubHeaders.ExpectedStreamHdr]: options.stream,
  };
  if (expected !== undefined) jsHeaders[PubHeaders.ExpectedLastSeqHdr] = String(expected);
  return jsHeaders;
}

async function send(
  js: JetStreamClient,
  subject: string,
  out: Outgoing,
  options: StreamPublishOptions,
): Promise<StreamPubAck> {
  try {
    const ack = await js.publish(subject, out.data, {
      timeout: options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
      ...(out.headers === undefined ? {} : { headers: out.headers }),
    });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  } catch (err) {
    throw publishErrorFor(subject, options, err);
  }
}

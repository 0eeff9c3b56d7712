/**
 * One error class per condition (as nats.js does): callers branch on `instanceof` or `name`,
 * every message says what and where, and wrapped transport errors keep their `cause`.
 * All of them extend {@link MessagingError} so that a caller can catch the whole family.
 */
export class MessagingError extends Error {
  override readonly name: string = 'MessagingError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** `: <cause's message>` for messages that wrap a cause, '' without one. */
function because(options: ErrorOptions | undefined): string {
  return options?.cause instanceof Error ? `: ${options.cause.message}` : '';
}

/** What kind of name a subject token is built from (each has its own grammar). */
export const NameKind = {
  CHANNEL: 'channel',
  NODE_ID: 'nodeId',
  PEER_ID: 'peerId',
  MSP_ID: 'mspId',
  NAMESPACE: 'namespace',
  EVENT_TYPE: 'eventType',
  DURABLE: 'durable',
} as const;
export type NameKind = (typeof NameKind)[keyof typeof NameKind];

/** A channel, node, MSP, namespace or event type name that does not match its grammar. */
export class InvalidNameError extends MessagingError {
  override readonly name = 'InvalidNameError';
  constructor(
    readonly kind: NameKind,
    readonly value: unknown,
    readonly pattern: string,
  ) {
    super(`invalid ${kind} ${JSON.stringify(String(value))}: must match ${pattern}`);
  }
}

/** An argument that is not what the function needs (negative sequence, wrong channel, …). */
export class MessagingArgumentError extends MessagingError {
  override readonly name = 'MessagingArgumentError';
}

/** The first connection to NATS failed: names the servers tried and how to get one. */
export class NatsConnectError extends MessagingError {
  override readonly name = 'NatsConnectError';
  constructor(
    readonly servers: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `cannot connect to NATS at ${servers.join(', ')}${because(options)}. Start a server with JetStream ` +
        `(e.g. \`nats-server -js\`, or the compose file in deploy/) or point NATS_URL at one.`,
      options,
    );
  }
}

/** A message (payload plus headers) larger than the server's max_payload. */
export class PayloadTooLargeError extends MessagingError {
  override readonly name = 'PayloadTooLargeError';
  constructor(
    readonly subject: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `message on ${subject} is ${bytes} bytes (payload and headers), over the server's max_payload of ${maxBytes} bytes`,
    );
  }
}

/** A value that cannot be encoded as (canonical) JSON. Nothing was sent. */
export class EncodeError extends MessagingError {
  override readonly name = 'EncodeError';
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`cannot encode the message for ${subject || 'NATS'} as JSON${because(options)}`, options);
  }
}

/** Received bytes that are not one well-formed UTF-8 JSON value. */
export class DecodeError extends MessagingError {
  override readonly name = 'DecodeError';
  constructor(
    readonly subject: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot decode the message on ${subject || 'NATS'}: ${reason}`, options);
  }
}

/** No reply within the request's timeout. */
export class RequestTimeoutError extends MessagingError {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`no reply on ${subject} within ${timeoutMs} ms`, options);
  }
}

/** Nobody subscribes to the request's subject (the server answered 503 at once). */
export class NoRespondersError extends MessagingError {
  override readonly name = 'NoRespondersError';
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`no responders on ${subject}: no service listens there`, options);
  }
}

/** The responder's handler failed; `code` and the message come from its error headers. */
export class RemoteHandlerError extends MessagingError {
  override readonly name = 'RemoteHandlerError';
  constructor(
    readonly subject: string,
    readonly code: string,
    readonly remoteMessage: string,
  ) {
    super(`responder on ${subject} failed with ${code}: ${remoteMessage}`);
  }
}

/** A request or publish that failed in transport (closed connection, …), with the cause. */
export class TransportError extends MessagingError {
  override readonly name = 'TransportError';
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`NATS transport failed on ${subject}${because(options)}`, options);
  }
}

/**
 * The stream refused a publish because its last sequence is not the one expected. For the
 * blocks stream: `actualLastSeq > expectedLastSeq` means the block (or a later one) is there
 * already; `actualLastSeq < expectedLastSeq` means a gap (earlier blocks are missing).
 */
export class WrongLastSequenceError extends MessagingError {
  override readonly name = 'WrongLastSequenceError';
  constructor(
    readonly stream: string,
    readonly subject: string,
    readonly expectedLastSeq: number,
    /** The stream's last sequence as the server reported it; -1 when it did not say. */
    readonly actualLastSeq: number,
    options?: ErrorOptions,
  ) {
    super(
      `stream ${stream} refused the message on ${subject}: expected last sequence ${expectedLastSeq}, ` +
        `stream is at ${actualLastSeq < 0 ? 'an unknown sequence' : actualLastSeq}`,
      options,
    );
  }

  /** The stream already holds the sequence this publish wanted to take (someone published). */
  get alreadyPublished(): boolean {
    return this.actualLastSeq > this.expectedLastSeq;
  }

  /** The stream lacks messages before this one: publish the missing ones first. */
  get gap(): boolean {
    return this.actualLastSeq >= 0 && this.actualLastSeq < this.expectedLastSeq;
  }
}

/** JetStream refused a publish for another reason (size, stream sealed, …): server code kept. */
export class PublishRefusedError extends MessagingError {
  override readonly name = 'PublishRefusedError';
  constructor(
    readonly subject: string,
    readonly errCode: number,
    readonly description: string,
    options?: ErrorOptions,
  ) {
    super(`JetStream refused the message on ${subject}: ${description} (err_code ${errCode})`, options);
  }
}

/** A stream exists with settings that cannot be changed to the wanted ones. */
export class StreamConfigConflictError extends MessagingError {
  override readonly name = 'StreamConfigConflictError';
  constructor(
    readonly stream: string,
    readonly field: string,
    readonly existing: unknown,
    readonly wanted: unknown,
  ) {
    super(
      `stream ${stream} exists with ${field}=${JSON.stringify(existing)}, which cannot be changed ` +
        `to ${JSON.stringify(wanted)}; delete the stream or keep the old setting`,
    );
  }
}

/** A stored message is not what its position says (wrong msg id or block number). */
export class StreamContentError extends MessagingError {
  override readonly name = 'StreamContentError';
  constructor(
    readonly stream: string,
    readonly seq: number,
    reason: string,
  ) {
    super(`stream ${stream} sequence ${seq}: ${reason}`);
  }
}

/** No JetStream stream captures the subject (the server answered "no responders"). */
export class NoStreamError extends MessagingError {
  override readonly name = 'NoStreamError';
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(
      `no JetStream stream captures ${subject} (run ensureStreams for its channel; is JetStream enabled?)`,
      options,
    );
  }
}

/**
 * A `.deliver` exchange failed: the responder's code (`BAD_REQUEST`, `NOT_FOUND`,
 * `UNAVAILABLE`), `NO_RESPONDERS` (nobody serves the subject) or `TIMEOUT` (a reply went silent).
 */
export class DeliverError extends MessagingError {
  override readonly name = 'DeliverError';
  constructor(
    readonly code: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`deliver: ${code}: ${detail}`, options);
  }
}

/**
 * A stream tail's consumer delivered nothing though the stream holds the next message, and
 * re-creating it `restarts` times in a row did not help.
 */
export class TailStalledError extends MessagingError {
  override readonly name = 'TailStalledError';
  constructor(
    readonly stream: string,
    readonly seq: number,
    readonly restarts: number,
  ) {
    super(`tail of stream ${stream}: no message ${seq} after re-creating the consumer ${restarts} times`);
  }
}

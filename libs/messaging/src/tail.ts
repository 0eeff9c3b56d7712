import { DeliverPolicy, type JetStreamClient, type OrderedConsumerOptions } from '@nats-io/jetstream';
import { MessagingArgumentError } from './errors.js';
import { streamMessage, type StreamMessage } from './stream-message.js';

export interface TailOptions {
  /** First stream sequence to deliver (for blocks: height + 1). Default: the stream's first. */
  readonly startSeq?: number;
  /** Only messages on this subject (wildcards allowed), e.g. one namespace's events. */
  readonly filterSubject?: string;
  /**
   * Messages fetched ahead per pull: the bound on what waits in the client. Default 64:
   * enough to keep a reader busy without holding many 1 MiB blocks in memory.
   */
  readonly bufferMax?: number;
}

/** An ordered read of a stream from a sequence on: iterate it, stop it when done. */
export interface StreamTail<T> extends AsyncIterable<StreamMessage<T>> {
  /** Ends the iteration (the loop sees no further message). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Follows a stream in order from `startSeq` through an ephemeral ordered consumer (no acks,
 * nothing stored server-side beyond its lifetime): the client library recreates the consumer
 * at the right sequence after a gap, a reconnect or a server loss, so messages arrive in
 * stream order without holes or repeats. For integrators and CLI tailing; peers use
 * {@link consumeInOrder}. The iterator throws DecodeError on a message that is not JSON.
 */
export async function tailStream<T>(
  js: JetStreamClient,
  stream: string,
  options: TailOptions = {},
): Promise<StreamTail<T>> {
  const { startSeq, filterSubject } = options;
  if (startSeq !== undefined && (!Number.isSafeInteger(startSeq) || startSeq < 1)) {
    throw new MessagingArgumentError(
      `tailStream of ${stream}: startSeq must be an integer >= 1, got ${startSeq}`,
    );
  }
  const bufferMax = options.bufferMax ?? 64;
  if (!Number.isSafeInteger(bufferMax) || bufferMax < 1) {
    throw new MessagingArgumentError(
      `tailStream of ${stream}: bufferMax must be a positive integer, got ${bufferMax}`,
    );
  }
  const ordered: Partial<OrderedConsumerOptions> = {
    ...(startSeq === undefined
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq }),
    ...(filterSubject === undefined ? {} : { filter_subjects: filterSubject }),
  };
  const consumer = await js.consumers.get(stream, ordered);
  const messages = await consumer.consume({ max_messages: bufferMax });
  return {
    async *[Symbol.asyncIterator]() {
      for await (const msg of messages) yield streamMessage<T>(msg);
    },
    async stop() {
      await messages.close();
    },
  };
}

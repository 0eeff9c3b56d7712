import {
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  type OrderedConsumerOptions,
} from '@nats-io/jetstream';
import { MessagingArgumentError, TailStalledError } from './errors.js';
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
  /**
   * Silence (while the reader waits for the next message) after which the stream is asked
   * whether it holds a message this tail has not delivered; if it does, the consumer is
   * re-created after the last message delivered. Default 5000 ms; 0 turns the check off. Guards
   * against an ordered consumer lost with its server and never re-created by nats.js (seen in
   * 2 of 10 runs of a 3-node cluster with the subscriber's server killed). Costs one stream
   * info (a direct get with `filterSubject`) per idle period.
   */
  readonly stallCheckMs?: number;
  /**
   * Re-creations in a row without a message before the iterator throws TailStalledError
   * (default 10): a consumer that never delivers is a failure to report, not to hide.
   */
  readonly restartsMax?: number;
  /**
   * Most time given to nats.js to close a consumer (on stop and on a re-creation), default
   * 2000 ms: after its server was killed, its close can wait on a pull that never ends.
   */
  readonly closeTimeoutMs?: number;
  /** Told each time the consumer is re-created after a stall (for logs and metrics). */
  readonly onRestart?: (event: { readonly afterSeq: number; readonly reason: string }) => void;
}

/** An ordered read of a stream from a sequence on: iterate it, stop it when done. */
export interface StreamTail<T> extends AsyncIterable<StreamMessage<T>> {
  /** Ends the iteration (the loop sees no further message). Idempotent; bounded in time. */
  stop(): Promise<void>;
}

const DEFAULTS = { bufferMax: 64, stallCheckMs: 5_000, restartsMax: 10, closeTimeoutMs: 2_000 } as const;

function checkCount(stream: string, name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new MessagingArgumentError(
      `tailStream of ${stream}: ${name} must be an integer >= ${min}, got ${value}`,
    );
  }
}

/** The promise's value, or `onTimeout` when it takes longer than `timeoutMs`. */
async function within<T, U>(promise: Promise<T>, timeoutMs: number, onTimeout: U): Promise<T | U> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Follows a stream in order from `startSeq` through an ephemeral ordered consumer (no acks,
 * nothing stored server-side beyond its lifetime): the client library recreates the consumer
 * at the right sequence after a gap, a reconnect or a server loss, so messages arrive in
 * stream order without holes or repeats. Where it does not (see `stallCheckMs`), this tail
 * re-creates it itself after the last message it delivered. For integrators, CLI tailing and
 * catching up; peers follow live with {@link consumeInOrder}. The iterator throws DecodeError
 * on a message that is not JSON, and TailStalledError (see `restartsMax`).
 */
export async function tailStream<T>(
  js: JetStreamClient,
  stream: string,
  options: TailOptions = {},
): Promise<StreamTail<T>> {
  const { startSeq } = options;
  if (startSeq !== undefined) checkCount(stream, 'startSeq', startSeq, 1);
  const settings = { ...DEFAULTS, ...options };
  checkCount(stream, 'bufferMax', settings.bufferMax, 1);
  checkCount(stream, 'stallCheckMs', settings.stallCheckMs, 0);
  checkCount(stream, 'restartsMax', settings.restartsMax, 0);
  checkCount(stream, 'closeTimeoutMs', settings.closeTimeoutMs, 1);
  const tail = new OrderedTail<T>(js, stream, options, settings);
  await tail.start();
  return { [Symbol.asyncIterator]: () => tail.iterate(), stop: () => tail.stop() };
}

/** A consumer's messages and the one iterator over them (nats.js allows only one). */
interface Reading {
  readonly messages: ConsumerMessages;
  readonly iterator: AsyncIterator<JsMsg>;
}

/** The bounds, defaults filled in. */
type Settings = { readonly [K in keyof typeof DEFAULTS]: number };

class OrderedTail<T> {
  #reading: Reading | null = null;
  /** Sequence of the last message delivered; null before the first. */
  #lastSeq: number | null = null;
  #stopped = false;
  /** Re-creations in a row without a message. */
  #restarts = 0;
  /** Wakes the one wait in progress when stop() is called (a fresh promise per wait: no leak). */
  #wake: (() => void) | null = null;

  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly options: TailOptions,
    private readonly settings: Settings,
  ) {}

  async start(): Promise<void> {
    this.#reading = await this.#open();
  }

  get #current(): Reading {
    return this.#reading as Reading;
  }

  /** A consumer from the message after the last one delivered (or from `startSeq`). */
  async #open(): Promise<Reading> {
    const fromSeq = this.#lastSeq === null ? this.options.startSeq : this.#lastSeq + 1;
    const { filterSubject } = this.options;
    const ordered: Partial<OrderedConsumerOptions> = {
      ...(fromSeq === undefined
        ? { deliver_policy: DeliverPolicy.All }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq }),
      ...(filterSubject === undefined ? {} : { filter_subjects: filterSubject }),
    };
    const consumer = await this.js.consumers.get(this.stream, ordered);
    const messages = await consumer.consume({ max_messages: this.settings.bufferMax });
    return { messages, iterator: messages[Symbol.asyncIterator]() };
  }

  /**
   * Closes a consumer, in bounded time. Ends its iterator too: nats.js finishes closing only
   * once its iterator runs (a pending next, or a return), and a tail not waiting for a message
   * has neither.
   */
  async #close(reading: Reading): Promise<void> {
    void reading.iterator.return?.().catch(() => undefined);
    const closed = reading.messages.close().then(
      () => undefined,
      () => undefined,
    );
    await within(closed, this.settings.closeTimeoutMs, undefined);
  }

  /** True when the stream holds a message at or after `seq` (matching the filter); false when unsure. */
  async #streamHolds(seq: number): Promise<boolean> {
    const { filterSubject } = this.options;
    try {
      const jsm = await this.js.jetstreamManager();
      if (filterSubject === undefined) return (await jsm.streams.info(this.stream)).state.last_seq >= seq;
      return (await jsm.direct.getMessage(this.stream, { seq, next_by_subj: filterSubject })) !== null;
    } catch {
      return false; // NATS itself is unreachable: waiting for the consumer is all there is to do
    }
  }

  /** The next message, 'stop', or 'silent' after `stallCheckMs` (0: no limit). */
  async #next(pending: Promise<IteratorResult<JsMsg>>) {
    const stop = new Promise<'stop'>((resolve) => {
      this.#wake = () => resolve('stop');
    });
    try {
      const either = Promise.race([pending, stop]);
      const { stallCheckMs } = this.settings;
      return stallCheckMs === 0 ? await either : await within(either, stallCheckMs, 'silent' as const);
    } finally {
      this.#wake = null;
    }
  }

  /**
   * After a silence: true when the consumer was re-created after the last message delivered
   * (the stream holds the next one), false when the stream has nothing new (keep waiting).
   */
  async #restartIfStalled(pending: Promise<unknown>): Promise<boolean> {
    const expected = this.#lastSeq === null ? (this.options.startSeq ?? 1) : this.#lastSeq + 1;
    if (!(await this.#streamHolds(expected))) return false;
    this.#restarts += 1;
    if (this.#restarts > this.settings.restartsMax)
      throw new TailStalledError(this.stream, expected, this.#restarts - 1);
    const reason = `no message ${expected} within ${this.settings.stallCheckMs} ms, though the stream holds it`;
    this.options.onRestart?.({ afterSeq: expected - 1, reason });
    pending.catch(() => undefined); // abandoned with its consumer
    await this.#close(this.#current);
    this.#reading = await this.#open();
    return true;
  }

  async *iterate(): AsyncGenerator<StreamMessage<T>> {
    try {
      while (!this.#stopped) {
        let pending = this.#current.iterator.next();
        for (;;) {
          const step = await this.#next(pending);
          if (step === 'stop' || this.#stopped) return;
          if (step === 'silent') {
            if (await this.#restartIfStalled(pending)) break;
            continue;
          }
          if (step.done) return;
          this.#restarts = 0;
          const message = streamMessage<T>(step.value);
          this.#lastSeq = message.seq;
          yield message;
          if (this.#stopped) return;
          pending = this.#current.iterator.next();
        }
      }
    } finally {
      // The reader broke off (or the tail ended): let nats.js finish the consumer.
      void this.#current.iterator.return?.().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#close(this.#current);
  }
}

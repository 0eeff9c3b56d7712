import { nanos } from '@nats-io/nats-core';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  ReplayPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { MessagingArgumentError, NameKind } from './errors.js';
import { assertName } from './names.js';
import { streamMessage, type StreamMessage } from './stream-message.js';
import { retryTransient } from './retry.js';
import { withTraceContext } from './trace.js';

export interface ConsumeInOrderOptions {
  /**
   * Stream sequence to deliver first (for blocks: the next block number the peer lacks + 1).
   * When the durable exists but would resume elsewhere, it is recreated at `startSeq`: the
   * caller's own storage is the truth about what it has. Unset: resume where the durable's
   * acknowledgements stopped (sequence 1 for a new durable).
   */
  readonly startSeq?: number;
  /** Only messages on this subject (e.g. one peer's receipts in the commits stream). */
  readonly filterSubject?: string;
  /**
   * Time the server waits for an ack before redelivering. Default 30 000 ms. A handler that
   * runs longer is kept alive by progress signals every third of it, so this bounds only how
   * long a crashed process's message stays locked before a restarted one gets it.
   */
  readonly ackWaitMs?: number;
  /** First delay before a failed message is delivered again; doubles each time. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** Ceiling of the retry delay. Default 30 000 ms. */
  readonly retryDelayMaxMs?: number;
  /**
   * Lifetime of one pull request; the client renews it, and after two missed server
   * heartbeats (half of it each) it pulls again. Default 5000 ms: after a NATS node's loss
   * delivery resumes within seconds, for one small request per 5 s on an idle consumer.
   * stop() does not wait for it.
   */
  readonly expiresMs?: number;
  /**
   * Attempts at setting up the durable while the cluster heals (timeouts, no JetStream
   * leader during an election), waiting 250 ms, then twice as long each time. Default 6
   * (about 8 s of waiting): a peer starting during a NATS node's loss comes up by itself.
   */
  readonly setupAttempts?: number;
  /** Told about each failure: undecodable message or handler error, with the sequence. */
  readonly onError?: (err: unknown, seq: number) => void;
}

/** A running in-order consumer. */
export interface InOrderConsumer {
  readonly stream: string;
  readonly durableName: string;
  /** Last sequence handled and acknowledged (0 before the first one). */
  readonly lastSeq: number;
  /** Messages handled successfully. */
  readonly handled: number;
  /** Handler or decode failures (each was delivered again later). */
  readonly failures: number;
  /** Lets the running handler finish and be acknowledged, hands back what was received, ends. */
  stop(): Promise<void>;
  /** Resolves when the consumer has ended. */
  readonly done: Promise<void>;
}

const DEFAULTS = {
  ackWaitMs: 30_000,
  retryDelayMs: 500,
  retryDelayMaxMs: 30_000,
  expiresMs: 5000,
  setupAttempts: 6,
} as const;

function checkInteger(what: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new MessagingArgumentError(`consumeInOrder: ${what} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** The durable's settings: explicit acks and one message in flight, which is what orders delivery. */
export function inOrderConsumerConfig(
  durableName: string,
  startSeq: number,
  options: ConsumeInOrderOptions,
): Partial<ConsumerConfig> {
  return {
    durable_name: durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startSeq,
    // One unacknowledged message at a time: the next is not sent before this one is acked,
    // and a failed one comes back before anything after it.
    max_ack_pending: 1,
    ack_wait: nanos(options.ackWaitMs ?? DEFAULTS.ackWaitMs),
    // Never give up on a message: a peer must not skip a block.
    max_deliver: -1,
    replay_policy: ReplayPolicy.Instant,
    ...(options.filterSubject === undefined ? {} : { filter_subject: options.filterSubject }),
  };
}

async function consumerInfoOrNull(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return null;
    throw err;
  }
}

/**
 * Where a durable resumes: after its ack floor. A durable that has acknowledged nothing yet
 * reports a floor of 0 whatever its start, so the floor is at least start - 1.
 */
export function resumeSequence(info: Pick<ConsumerInfo, 'ack_floor' | 'config'>): number {
  const startFloor = (info.config.opt_start_seq ?? 1) - 1;
  return Math.max(info.ack_floor.stream_seq, startFloor) + 1;
}

/**
 * Reuses the durable when it resumes at the wanted sequence with nothing in flight and the
 * same settings; otherwise recreates it there. A message left unacknowledged by a crashed
 * process would otherwise block delivery for a whole ack wait.
 */
async function prepareDurable(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  options: ConsumeInOrderOptions,
): Promise<void> {
  const existing = await consumerInfoOrNull(jsm, stream, durable);
  const resumeSeq = existing === null ? 1 : resumeSequence(existing);
  const startSeq = options.startSeq ?? resumeSeq;
  const wanted = inOrderConsumerConfig(durable, startSeq, options);
  if (existing !== null) {
    const same =
      resumeSeq === startSeq &&
      existing.num_ack_pending === 0 &&
      existing.config.max_ack_pending === 1 &&
      existing.config.ack_policy === AckPolicy.Explicit &&
      existing.config.ack_wait === wanted.ack_wait &&
      (existing.config.filter_subject ?? '') === (wanted.filter_subject ?? '');
    if (same) return;
    await jsm.consumers.delete(stream, durable);
  }
  await jsm.consumers.add(stream, wanted);
}

/**
 * Consumes a stream through a durable pull consumer, strictly in order and one message at a
 * time: `handler` is awaited before the next message is asked for; success acks (and waits
 * for the server to confirm the ack), failure hands the message back to be redelivered after
 * a growing delay, before anything after it. Memory is bounded: one message in the client.
 *
 * Delivery is at-least-once: a message can come again after a crash between the handler's
 * success and the ack, so handlers are idempotent (a peer ignores a block it has already).
 * Within one process, a redelivery of an acknowledged sequence is acked and skipped.
 * One process per durable name.
 */
export async function consumeInOrder<T>(
  js: JetStreamClient,
  stream: string,
  durableName: string,
  options: ConsumeInOrderOptions,
  handler: (msg: StreamMessage<T>) => Promise<void> | void,
): Promise<InOrderConsumer> {
  assertName(NameKind.DURABLE, durableName);
  if (options.startSeq !== undefined) checkInteger('startSeq', options.startSeq, 1);
  const ackWaitMs = checkInteger('ackWaitMs', options.ackWaitMs ?? DEFAULTS.ackWaitMs, 1000);
  const retryDelayMs = checkInteger('retryDelayMs', options.retryDelayMs ?? DEFAULTS.retryDelayMs, 0);
  const retryDelayMaxMs = checkInteger(
    'retryDelayMaxMs',
    options.retryDelayMaxMs ?? DEFAULTS.retryDelayMaxMs,
    retryDelayMs,
  );
  const expiresMs = checkInteger('expiresMs', options.expiresMs ?? DEFAULTS.expiresMs, 1000);
  const report = options.onError ?? (() => undefined);

  const retry = {
    attempts: checkInteger('setupAttempts', options.setupAttempts ?? DEFAULTS.setupAttempts, 1),
    firstDelayMs: 250,
  };
  const jsm = await js.jetstreamManager(false);
  await retryTransient(() => prepareDurable(jsm, stream, durableName, options), retry);
  const consumer = await retryTransient(() => js.consumers.get(stream, durableName), retry);
  const messages = await consumer.consume({ max_messages: 1, expires: expiresMs });

  const state = { lastSeq: 0, handled: 0, failures: 0, stopping: false, failuresInARow: 0 };

  const handleOne = async (msg: JsMsg): Promise<boolean> => {
    // Progress signals keep the server from redelivering while a long handler runs.
    const keepAlive = setInterval(() => msg.working(), Math.max(500, Math.floor(ackWaitMs / 3)));
    try {
      const decoded = streamMessage<T>(msg);
      await withTraceContext(decoded.traceContext, () => handler(decoded));
      return true;
    } catch (err) {
      report(err, msg.seq);
      return false;
    } finally {
      clearInterval(keepAlive);
    }
  };

  const loop = async (): Promise<void> => {
    for await (const msg of messages) {
      if (state.stopping) {
        msg.nak(); // Received but not started: give it back at once for the next process.
        continue;
      }
      if (msg.seq <= state.lastSeq) {
        msg.ack(); // A redelivery of what we acknowledged already (the ack was lost).
        continue;
      }
      if (await handleOne(msg)) {
        await msg.ackAck().catch(() => false); // If lost: redelivered, then skipped above.
        state.lastSeq = msg.seq;
        state.handled += 1;
        state.failuresInARow = 0;
      } else {
        state.failures += 1;
        const delayMs = Math.min(retryDelayMaxMs, retryDelayMs * 2 ** Math.min(state.failuresInARow, 30));
        state.failuresInARow += 1;
        msg.nak(delayMs);
      }
    }
  };
  const done = loop();
  // Whoever awaits `done` still sees a failure; an unwatched one must not crash the process.
  done.catch(() => undefined);

  return {
    stream,
    durableName,
    get lastSeq() {
      return state.lastSeq;
    },
    get handled() {
      return state.handled;
    },
    get failures() {
      return state.failures;
    },
    done,
    async stop() {
      state.stopping = true;
      await messages.close();
      await done;
    },
  };
}

/**
 * subscribeBlocks: the verified block stream of a channel from a height, for integrators.
 * Blocks come from the JetStream stream `CIVIC_<CHANNEL>_BLOCKS` through an ordered consumer
 * (messaging's tailStream: it re-creates itself at the right sequence after a reconnect or a
 * stall); each
 * is verified by a BlockVerifier before it is yielded. A gap (the stream no longer holds old
 * blocks, or skips) is repaired through `.deliver`. A block that does not verify ends the
 * iteration with BlockRejectedError and is never yielded. If the consumer itself fails, it is
 * reopened after the last verified block (at most `reopenAttemptsMax` times in a row).
 */
import {
  closeNats,
  connectNats,
  DecodeError,
  deliverBlocks,
  lastBlockNumber,
  streamNames,
  tailStream,
  type DeliverOptions,
  type StreamTail,
} from '@civic/messaging';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { BlockVerifier, BlockVerifierOptions, VerifiedChainBlock } from './block-verifier.js';
import { deliverSource } from './deliver-source.js';
import { BlockRejectedError, ClientArgumentError, SubscriptionError } from './errors.js';
import { verifierFromTrust, type TrustAnchor } from './trust.js';
import type { VerifierState } from './verifier-state.js';

export interface SubscribeBlocksOptions {
  /** A connection to use (left open at the end), or `url` to open one of its own. */
  readonly nats?: NatsConnection;
  readonly url?: string | readonly string[];
  readonly channel: string;
  /**
   * First block to yield; default the block after the trust anchor. Blocks between the anchor
   * and it are verified, not yielded. Must be after the anchor. `'latest'`: the last block the
   * stream holds when the subscription starts (then every new one), as `tail` shows the end.
   */
  readonly fromNumber?: number | 'latest';
  /** Genesis block, saved verifier state (resume), or a trusted head (e.g. a checked checkpoint). */
  readonly trust: TrustAnchor;
  readonly verifier?: BlockVerifierOptions;
  readonly deliver?: DeliverOptions;
  /** Blocks fetched ahead from the stream (default 16: blocks may be up to 1 MiB each). */
  readonly bufferMax?: number;
  /** Consumer failures in a row without a new block before giving up (default 10). */
  readonly reopenAttemptsMax?: number;
  /** Pause before reopening the consumer (default 1000 ms). */
  readonly reopenDelayMs?: number;
  /**
   * Silence after which the stream is asked whether it holds a block we have not received
   * (default 5000 ms); if so, the consumer is re-created (messaging's tailStream does it).
   * Guards against an ordered consumer that was lost with its server and is not re-created;
   * costs one stream info per idle period.
   */
  readonly stallCheckMs?: number;
  /** Told each time the consumer is reopened, and why (for logs and metrics). */
  readonly onReopen?: (event: { readonly afterBlock: number; readonly reason: string }) => void;
}

export interface BlockSubscription extends AsyncIterable<VerifiedChainBlock> {
  /** The verifier's saved state after the last verified block (null before the start): keep it to resume. */
  state(): VerifierState | null;
  /** Ends the iteration (the loop sees no further block). Idempotent. */
  stop(): Promise<void>;
}

interface Running {
  nc: NatsConnection;
  own: boolean;
  tail: StreamTail<unknown> | null;
  stopped: boolean;
}

function checkOptions(options: SubscribeBlocksOptions): void {
  if (options === null || typeof options !== 'object')
    throw new ClientArgumentError('subscribeBlocks: options expected');
  if ((options.nats === undefined) === (options.url === undefined)) {
    throw new ClientArgumentError('subscribeBlocks: give exactly one of nats and url');
  }
  const from = options.fromNumber;
  if (from !== undefined && from !== 'latest' && (!Number.isSafeInteger(from) || from < 0)) {
    throw new ClientArgumentError(
      `subscribeBlocks: fromNumber must be an integer >= 0, got ${options.fromNumber}`,
    );
  }
}

/** The verified blocks of `channel` from `fromNumber` on (see the file comment). */
export function subscribeBlocks(options: SubscribeBlocksOptions): BlockSubscription {
  checkOptions(options);
  const run: Running = { nc: undefined as unknown as NatsConnection, own: false, tail: null, stopped: false };
  let verifier: BlockVerifier | null = null;
  let started = false;

  async function* iterate(): AsyncGenerator<VerifiedChainBlock> {
    if (started) throw new ClientArgumentError('subscribeBlocks: a subscription is iterated once');
    started = true;
    run.own = options.nats === undefined;
    run.nc =
      options.nats ??
      (await connectNats({ url: options.url as string | string[], name: `civic-client-${options.channel}` }));
    try {
      verifier = await verifierFromTrust(
        options.trust,
        deliverSource(run.nc, options.channel, options.deliver),
        options.verifier,
      );
      const from = await firstNumber(run.nc, options, verifier.nextNumber);
      if (from < verifier.nextNumber) {
        throw new ClientArgumentError(
          `subscribeBlocks: fromNumber ${from} is not after the trust anchor (block ${verifier.tip.number})`,
        );
      }
      for await (const verified of follow(run, verifier, options)) {
        if (verified.number >= from) yield verified;
      }
    } finally {
      await stopTail(run.tail);
      if (run.own) await closeNats(run.nc);
    }
  }

  return {
    [Symbol.asyncIterator]: iterate,
    state: () => (verifier === null ? null : verifier.state()),
    async stop() {
      run.stopped = true;
      await stopTail(run.tail);
    },
  };
}

/** The first block to yield: fromNumber, the stream's last block for 'latest', or the anchor's next. */
async function firstNumber(
  nc: NatsConnection,
  options: SubscribeBlocksOptions,
  next: number,
): Promise<number> {
  if (options.fromNumber === undefined) return next;
  if (options.fromNumber !== 'latest') return options.fromNumber;
  const last = await lastBlockNumber(await jetstreamManager(nc), options.channel);
  return Math.max(last ?? next, next);
}

/** Follows the stream from the verifier's next block, reopening the consumer after failures. */
async function* follow(
  run: Running,
  verifier: BlockVerifier,
  options: SubscribeBlocksOptions,
): AsyncGenerator<VerifiedChainBlock> {
  const attemptsMax = options.reopenAttemptsMax ?? 10;
  const delayMs = options.reopenDelayMs ?? 1_000;
  const js = jetstream(run.nc);
  const stream = streamNames(options.channel).blocks;
  let failures = 0;
  while (!run.stopped) {
    const before = verifier.nextNumber;
    try {
      // Stream sequence of block n is n + 1.
      // messaging's tail re-creates a consumer that stalls (stallCheckMs) and bounds its close.
      run.tail = await tailStream<unknown>(js, stream, {
        startSeq: verifier.nextNumber + 1,
        bufferMax: options.bufferMax ?? 16,
        stallCheckMs: options.stallCheckMs ?? 5_000,
        onRestart: ({ reason }) => options.onReopen?.({ afterBlock: verifier.tip.number, reason }),
      });
      if (run.stopped) return;
      for await (const message of run.tail) {
        if (run.stopped) break;
        yield* accept(run, verifier, message.data, options);
        if (run.stopped) return;
      }
      if (run.stopped) return;
    } catch (error) {
      if (error instanceof BlockRejectedError || error instanceof ClientArgumentError) throw error;
      if (error instanceof DecodeError) {
        throw new BlockRejectedError(verifier.nextNumber, 'NotJsonError', error.message, { cause: error });
      }
      failures = verifier.nextNumber > before ? 1 : failures + 1;
      options.onReopen?.({ afterBlock: verifier.tip.number, reason: (error as Error).message });
      if (failures >= attemptsMax) {
        throw new SubscriptionError(
          `the block stream of ${options.channel} failed ${failures} times in a row after block ${verifier.tip.number}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    } finally {
      await stopTail(run.tail);
      run.tail = null;
    }
    if (!run.stopped) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

async function stopTail(tail: StreamTail<unknown> | null): Promise<void> {
  await tail?.stop().catch(() => undefined);
}

/** Verifies one stream message's block, repairing a gap before it; yields what verified. */
async function* accept(
  run: Running,
  verifier: BlockVerifier,
  data: unknown,
  options: SubscribeBlocksOptions,
): AsyncGenerator<VerifiedChainBlock> {
  const number = (data as { header?: { number?: unknown } } | null)?.header?.number;
  if (Number.isSafeInteger(number) && (number as number) < verifier.nextNumber) return; // already verified
  if (Number.isSafeInteger(number) && (number as number) > verifier.nextNumber) {
    for await (const repaired of deliverBlocks(
      run.nc,
      options.channel,
      verifier.nextNumber,
      (number as number) - 1,
      options.deliver,
    )) {
      yield verifier.verify(repaired.bytes);
      if (run.stopped) return;
    }
  }
  yield verifier.verify(data);
}

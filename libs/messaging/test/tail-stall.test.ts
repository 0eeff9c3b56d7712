import { afterEach, describe, expect, it } from 'vitest';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Block } from '@civic/protocol';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import { MessagingArgumentError, publishBlock, TailStalledError, tailStream } from '../src/index.js';
import { makeBlock, sleep } from './fixtures.js';

/**
 * The stall guard of tailStream. The fault it guards against (nats.js's ordered consumer not
 * coming back after its server was killed, and its close() waiting forever) shows in about 2
 * of 10 runs on a 3-node cluster (libs/client's subscribe-cluster test runs that for real).
 * To test the guard every time, the consumers nats.js hands out are wrapped so that they stop
 * delivering after `deliverMax` messages and never finish closing: the server, the stream and
 * the consumers the tail re-creates are real.
 */
let channels: TestChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.map((c) => c.cleanup()));
  channels = [];
});

async function channelWithBlocks(count: number): Promise<TestChannel> {
  const t = await createTestChannel();
  channels.push(t);
  for (let n = 0; n < count; n += 1) await publishBlock(t.js, t.channel, makeBlock(t.channel, n));
  return t;
}

/** `js` whose first `stalling` consumers deliver `deliverMax` messages, then nothing, and hang on close. */
function stallingClient(js: JetStreamClient, stalling: number, deliverMax: number): JetStreamClient {
  let left = stalling;
  const consumers = {
    get: async (...args: Parameters<JetStreamClient['consumers']['get']>) => {
      const consumer = await js.consumers.get(...args);
      if (left <= 0) return consumer;
      left -= 1;
      return {
        consume: async (...options: Parameters<typeof consumer.consume>) => {
          const messages = await consumer.consume(...options);
          const real = messages[Symbol.asyncIterator]();
          let delivered = 0;
          return {
            [Symbol.asyncIterator]: () => ({
              next: () => (delivered++ < deliverMax ? real.next() : new Promise<never>(() => undefined)),
            }),
            close: () => {
              void messages.close();
              return new Promise<never>(() => undefined);
            },
          };
        },
      };
    },
  };
  return new Proxy(js, {
    get: (target, key) =>
      key === 'consumers' ? consumers : (Reflect.get(target, key) as unknown as (...a: unknown[]) => unknown),
  });
}

describe('tailStream stall guard (integration, local NATS)', () => {
  it('re-creates a consumer that stops delivering after the last message it gave, and stops in bounded time', async () => {
    const t = await channelWithBlocks(5);
    const restarts: { afterSeq: number; reason: string }[] = [];
    const tail = await tailStream<Block>(stallingClient(t.js, 1, 2), t.streams.blocks.config.name, {
      startSeq: 1,
      stallCheckMs: 200,
      closeTimeoutMs: 100,
      onRestart: (event) => restarts.push(event),
    });
    const numbers: number[] = [];
    for await (const msg of tail) {
      numbers.push(msg.data.header.number);
      if (numbers.length === 5) break;
    }
    expect(numbers).toEqual([0, 1, 2, 3, 4]);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatchObject({ afterSeq: 2 });
    expect(restarts[0]!.reason).toMatch(/no message 3 within 200 ms/);
    await tail.stop();
  });

  it('does not re-create a consumer on an idle stream, and stop() ends a wait even when close hangs', async () => {
    const t = await channelWithBlocks(2);
    const restarts: unknown[] = [];
    const tail = await tailStream<Block>(stallingClient(t.js, 1, 2), t.streams.blocks.config.name, {
      stallCheckMs: 100,
      closeTimeoutMs: 100,
      onRestart: (event) => restarts.push(event),
    });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const msg of tail) seen.push(msg.seq);
    })();
    await sleep(500);
    await tail.stop();
    await reading;
    expect(seen).toEqual([1, 2]);
    expect(restarts).toEqual([]);
  });

  it('gives up with TailStalledError after restartsMax re-creations that bring nothing', async () => {
    const t = await channelWithBlocks(3);
    const tail = await tailStream<Block>(stallingClient(t.js, 10, 0), t.streams.blocks.config.name, {
      stallCheckMs: 50,
      closeTimeoutMs: 20,
      restartsMax: 2,
    });
    const failure = await (async () => {
      for await (const _ of tail) void _;
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TailStalledError);
    expect(failure).toMatchObject({ seq: 1, restarts: 2 });
    await tail.stop();
  });

  it('refuses bad bounds', async () => {
    const t = await channelWithBlocks(0);
    const stream = t.streams.blocks.config.name;
    await expect(tailStream(t.js, stream, { stallCheckMs: -1 })).rejects.toThrow(MessagingArgumentError);
    await expect(tailStream(t.js, stream, { closeTimeoutMs: 0 })).rejects.toThrow(/closeTimeoutMs/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Block } from '@civic/protocol';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import {
  InvalidNameError,
  MessagingArgumentError,
  consumeInOrder,
  publishBlock,
  publishEvent,
  tailStream,
  type InOrderConsumer,
  type StreamMessage,
} from '../src/index.js';
import { hex64, makeBlock, sleep } from './fixtures.js';

let channels: TestChannel[] = [];
const consumers: InOrderConsumer[] = [];
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await Promise.all(channels.map((c) => c.cleanup()));
  channels = [];
});
async function channel(): Promise<TestChannel> {
  const c = await createTestChannel();
  channels.push(c);
  return c;
}

async function publishBlocks(t: TestChannel, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n += 1) await publishBlock(t.js, t.channel, makeBlock(t.channel, n));
}

/** Waits (bounded) until `check` holds; the bound is a safety net, not a timing assertion. */
async function until(check: () => boolean, what: string, waitMs = 10_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > waitMs) throw new Error(`still waiting for ${what}`);
    await sleep(20);
  }
}

describe('consumeInOrder (integration, local NATS)', () => {
  it('delivers in order, one at a time, and survives a restart without loss or duplicates', async () => {
    const t = await channel();
    await publishBlocks(t, 0, 9);
    const seen: number[] = [];
    let running = 0;
    let overlap = false;
    const handler = async (msg: StreamMessage<Block>) => {
      running += 1;
      overlap ||= running > 1;
      await sleep(2);
      seen.push(msg.data.header.number);
      expect(msg.seq).toBe(msg.data.header.number + 1);
      running -= 1;
    };
    const first = await consumeInOrder<Block>(t.js, t.streams.blocks.config.name, 'peer-a', {}, handler);
    await until(() => seen.length >= 4, 'four blocks');
    await first.stop();
    expect(first.lastSeq).toBe(seen.length);

    // Restart with no start: resumes where the acknowledgements stopped.
    const second = await consumeInOrder<Block>(t.js, t.streams.blocks.config.name, 'peer-a', {}, handler);
    consumers.push(second);
    await until(() => seen.length >= 10, 'ten blocks');
    await publishBlocks(t, 10, 14);
    await until(() => seen.length >= 15, 'fifteen blocks');
    expect(seen).toEqual([...Array(15).keys()]);
    expect(overlap).toBe(false);
    expect(second.lastSeq).toBe(15);
  });

  it('restarts at startSeq when the caller (its own storage) says so', async () => {
    const t = await channel();
    await publishBlocks(t, 0, 5);
    const seen: number[] = [];
    const handler = (msg: StreamMessage<Block>) => {
      seen.push(msg.data.header.number);
    };
    const first = await consumeInOrder<Block>(t.js, t.streams.blocks.config.name, 'peer-b', {}, handler);
    await until(() => seen.length === 6, 'six blocks');
    await first.stop();
    // The peer lost its database: it starts again from block 2 (sequence 3).
    seen.length = 0;
    const again = await consumeInOrder<Block>(
      t.js,
      t.streams.blocks.config.name,
      'peer-b',
      { startSeq: 3 },
      handler,
    );
    consumers.push(again);
    await until(() => seen.length === 4, 'four blocks again');
    expect(seen).toEqual([2, 3, 4, 5]);
  });

  it('resumes a durable that never acknowledged anything at its start, not at the stream start', async () => {
    const t = await channel();
    await publishBlocks(t, 0, 5);
    const stream = t.streams.blocks.config.name;
    let tries = 0;
    const failing = await consumeInOrder<Block>(
      t.js,
      stream,
      'peer-d',
      { startSeq: 4, retryDelayMs: 10_000 },
      () => {
        tries += 1;
        throw new Error('not ready');
      },
    );
    await until(() => tries === 1, 'one failed try');
    await failing.stop();
    const seen: number[] = [];
    const resumed = await consumeInOrder<Block>(t.js, stream, 'peer-d', {}, (msg) => {
      seen.push(msg.data.header.number);
    });
    consumers.push(resumed);
    await until(() => seen.length === 3, 'blocks 3 to 5');
    expect(seen).toEqual([3, 4, 5]);
  });

  it('redelivers a failed message before anything after it', async () => {
    const t = await channel();
    await publishBlocks(t, 0, 4);
    const attempts: number[] = [];
    const errors: number[] = [];
    let failuresLeft = 2;
    const consumer = await consumeInOrder<Block>(
      t.js,
      t.streams.blocks.config.name,
      'peer-c',
      { retryDelayMs: 10, onError: (_err, seq) => errors.push(seq) },
      (msg) => {
        attempts.push(msg.data.header.number);
        if (msg.data.header.number === 2 && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('database busy');
        }
      },
    );
    consumers.push(consumer);
    await until(() => consumer.handled === 5, 'five blocks handled');
    expect(attempts).toEqual([0, 1, 2, 2, 2, 3, 4]);
    expect(errors).toEqual([3, 3]);
    expect(consumer.failures).toBe(2);
  });

  it('refuses bad arguments', async () => {
    const t = await channel();
    const stream = t.streams.blocks.config.name;
    await expect(consumeInOrder(t.js, stream, 'a.b', {}, () => undefined)).rejects.toThrow(InvalidNameError);
    await expect(consumeInOrder(t.js, stream, 'ok', { startSeq: 0 }, () => undefined)).rejects.toThrow(
      MessagingArgumentError,
    );
    await expect(consumeInOrder(t.js, stream, 'ok', { ackWaitMs: 10 }, () => undefined)).rejects.toThrow(
      /ackWaitMs/,
    );
  });
});

describe('tailStream (integration, local NATS)', () => {
  it('follows a stream in order from a sequence, with a subject filter', async () => {
    const t = await channel();
    await publishBlocks(t, 0, 5);
    const tail = await tailStream<Block>(t.js, t.streams.blocks.config.name, { startSeq: 4, bufferMax: 2 });
    const numbers: number[] = [];
    for await (const msg of tail) {
      numbers.push(msg.data.header.number);
      if (numbers.length === 2) await publishBlocks(t, 6, 7);
      if (numbers.length === 5) break;
    }
    await tail.stop();
    expect(numbers).toEqual([3, 4, 5, 6, 7]);

    for (const [i, ns] of ['grants', 'cards', 'grants'].entries()) {
      await publishEvent(t.js, t.channel, {
        txId: hex64(`e${i}`),
        block: i,
        txIndex: 0,
        namespace: ns,
        type: 'x.y',
        data: i,
      });
    }
    const grants = await tailStream<{ data: number }>(t.js, t.streams.events.config.name, {
      filterSubject: t.subjects.eventsOf('grants'),
    });
    const data: number[] = [];
    for await (const msg of grants) {
      data.push(msg.data.data);
      if (data.length === 2) break;
    }
    await grants.stop();
    expect(data).toEqual([0, 2]);
  });
});

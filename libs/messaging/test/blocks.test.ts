import { afterEach, describe, expect, it } from 'vitest';
import { createTestChannel, uniqueChannel, type TestChannel } from '@civic/testkit';
import {
  MessagingArgumentError,
  NoStreamError,
  PayloadTooLargeError,
  WrongLastSequenceError,
  blockMsgId,
  lastBlockNumber,
  maxPayloadBytes,
  publishBlock,
  publishBlockBytes,
  publishMissingBlocks,
  readBlock,
  streamLastSequence,
} from '../src/index.js';
import { canonicalBytes } from '@civic/protocol';
import { makeBlock, sleep } from './fixtures.js';

let channels: TestChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.map((c) => c.cleanup()));
  channels = [];
});
async function channel(options?: Parameters<typeof createTestChannel>[0]): Promise<TestChannel> {
  const c = await createTestChannel(options);
  channels.push(c);
  return c;
}

describe('publishBlock (integration, local NATS)', () => {
  it('stores block n at stream sequence n + 1 with msg id <channel>:<n>', async () => {
    const t = await channel();
    for (let n = 0; n < 3; n += 1) {
      const ack = await publishBlock(t.js, t.channel, makeBlock(t.channel, n));
      expect(ack).toEqual({ stream: t.streams.blocks.config.name, seq: n + 1, duplicate: false });
    }
    expect(await lastBlockNumber(t.jsm, t.channel)).toBe(2);
    expect(await readBlock(t.jsm, t.channel, 1)).toEqual(makeBlock(t.channel, 1));
    expect(await readBlock(t.jsm, t.channel, 3)).toBeNull();
    const stored = await t.jsm.streams.getMessage(t.streams.blocks.config.name, { seq: 3 });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(blockMsgId(t.channel, 2));
  });

  it('publishes canonical bytes as they are: the same message as publishBlock, fenced and deduplicated alike', async () => {
    const t = await channel();
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 0));
    const bytes = canonicalBytes(makeBlock(t.channel, 1));
    expect(await publishBlockBytes(t.js, t.channel, 1, bytes)).toMatchObject({ seq: 2, duplicate: false });
    const stored = await t.jsm.streams.getMessage(t.streams.blocks.config.name, { seq: 2 });
    expect(Buffer.from(stored!.data).equals(Buffer.from(bytes))).toBe(true);
    expect(stored?.header.get('Nats-Msg-Id')).toBe(blockMsgId(t.channel, 1));
    // The same block through publishBlock is the same message: a duplicate.
    expect(await publishBlock(t.js, t.channel, makeBlock(t.channel, 1))).toMatchObject({ duplicate: true });
    const gap = await publishBlockBytes(t.js, t.channel, 3, canonicalBytes(makeBlock(t.channel, 3))).catch(
      (e: unknown) => e,
    );
    expect(gap).toBeInstanceOf(WrongLastSequenceError);
    await expect(publishBlockBytes(t.js, t.channel, 2, new Uint8Array(0))).rejects.toThrow(
      MessagingArgumentError,
    );
    await expect(publishBlockBytes(t.js, t.channel, -1, bytes)).rejects.toThrow(MessagingArgumentError);
  });

  it('refuses a block after a gap: publishing 3 when the stream ends at 1', async () => {
    const t = await channel();
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 0));
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 1));
    const err = await publishBlock(t.js, t.channel, makeBlock(t.channel, 3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongLastSequenceError);
    const wrong = err as WrongLastSequenceError;
    expect(wrong.expectedLastSeq).toBe(3);
    expect(wrong.actualLastSeq).toBe(2);
    expect(wrong.gap).toBe(true);
    expect(wrong.alreadyPublished).toBe(false);
    expect(await lastBlockNumber(t.jsm, t.channel)).toBe(1);
  });

  it('deduplicates the same block published twice within the window: one copy', async () => {
    const t = await channel();
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 0));
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 1));
    const again = await publishBlock(t.js, t.channel, makeBlock(t.channel, 1));
    expect(again).toMatchObject({ seq: 2, duplicate: true });
    const older = await publishBlock(t.js, t.channel, makeBlock(t.channel, 0));
    expect(older).toMatchObject({ seq: 1, duplicate: true });
    expect(await streamLastSequence(t.jsm, t.streams.blocks.config.name)).toBe(2);
  });

  it('refuses the same block after the duplicate window (fencing), never storing it twice', async () => {
    const t = await channel({ streams: { duplicateWindowMs: 200 } });
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 0));
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 1));
    // The server forgets msg ids on a timer after the window: until then a re-publish is a
    // duplicate, afterwards the fence refuses it. Either way it is never stored twice.
    let refused: unknown;
    for (let attempt = 0; attempt < 50 && refused === undefined; attempt += 1) {
      await sleep(100);
      const outcome = await publishBlock(t.js, t.channel, makeBlock(t.channel, 0)).catch((e: unknown) => e);
      if (outcome instanceof Error) refused = outcome;
      else expect(outcome).toMatchObject({ seq: 1, duplicate: true });
    }
    expect(refused).toBeInstanceOf(WrongLastSequenceError);
    expect((refused as WrongLastSequenceError).alreadyPublished).toBe(true);
    expect(await streamLastSequence(t.jsm, t.streams.blocks.config.name)).toBe(2);
  });

  it('lets a new leader publish exactly what the stream lacks', async () => {
    const t = await channel();
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 0));
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 1));
    const asked: number[] = [];
    const published = await publishMissingBlocks(t.js, t.jsm, t.channel, 4, async (n) => {
      asked.push(n);
      return makeBlock(t.channel, n);
    });
    expect(published).toBe(3);
    expect(asked).toEqual([2, 3, 4]);
    expect(await lastBlockNumber(t.jsm, t.channel)).toBe(4);
    expect(await publishMissingBlocks(t.js, t.jsm, t.channel, 4, async (n) => makeBlock(t.channel, n))).toBe(
      0,
    );
  });

  it('refuses bad blocks before sending anything', async () => {
    const t = await channel();
    await expect(publishBlock(t.js, t.channel, makeBlock('other', 0))).rejects.toThrow(
      MessagingArgumentError,
    );
    await expect(publishBlock(t.js, t.channel, makeBlock(t.channel, -1))).rejects.toThrow(
      /block number must be an integer >= 0/,
    );
    const huge = makeBlock(t.channel, 0, maxPayloadBytes(t.nc));
    const err = await publishBlock(t.js, t.channel, huge).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).maxBytes).toBe(maxPayloadBytes(t.nc));
    expect(await lastBlockNumber(t.jsm, t.channel)).toBeNull();
  });

  it('says when no stream captures the channel', async () => {
    const t = await channel();
    const missing = uniqueChannel();
    await expect(publishBlock(t.js, missing, makeBlock(missing, 0))).rejects.toThrow(NoStreamError);
  });
});

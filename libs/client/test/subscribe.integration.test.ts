import { afterEach, describe, expect, it } from 'vitest';
import { publishBlock } from '@civic/messaging';
import { blockHashOf, type Block } from '@civic/protocol';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import {
  BlockRejectedError,
  deliverBlocks,
  DeliverError,
  subscribeBlocks,
  type BlockSubscription,
  type VerifiedChainBlock,
} from '../src/index.js';
import { ChainBuilder } from './support/chain.js';
import { serveDeliver, type TestResponder } from './support/deliver-responder.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function channel(
  options: Parameters<typeof createTestChannel>[0] = {},
): Promise<{ tc: TestChannel; chain: ChainBuilder }> {
  const tc = await createTestChannel(options);
  cleanups.push(() => tc.cleanup());
  return { tc, chain: new ChainBuilder(tc.channel) };
}

async function publishAll(tc: TestChannel, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await publishBlock(tc.js, tc.channel, block);
}

/** Takes `count` blocks from a subscription, then stops it. */
async function take(subscription: BlockSubscription, count: number): Promise<VerifiedChainBlock[]> {
  const got: VerifiedChainBlock[] = [];
  for await (const verified of subscription) {
    got.push(verified);
    if (got.length === count) break;
  }
  return got;
}

function responder(r: TestResponder): TestResponder {
  cleanups.push(() => r.stop());
  return r;
}

describe('subscribeBlocks against the local NATS', () => {
  it('yields the verified blocks after the genesis anchor, then new ones as they are published', async () => {
    const { tc, chain } = await channel();
    chain.txBlock(1);
    chain.configBlock(chain.withConsenter('orderer2'));
    chain.txBlock(2);
    await publishAll(tc, chain.blocks);
    const subscription = subscribeBlocks({
      nats: tc.nc,
      channel: tc.channel,
      trust: { genesis: chain.genesis },
    });
    const got: number[] = [];
    for await (const verified of subscription) {
      got.push(verified.number);
      expect(verified.blockHash).toBe(blockHashOf(chain.blocks[verified.number]!.header));
      if (verified.number === 3) await publishBlock(tc.js, tc.channel, chain.txBlock(1));
      if (verified.number === 4) break;
    }
    expect(got).toEqual([1, 2, 3, 4]);
    expect(subscription.state()?.tip.number).toBe(4);
    expect(subscription.state()?.config.number).toBe(2);
  });

  it('starts at fromNumber or at the latest block (verifying the blocks before it) and resumes from a saved state', async () => {
    const { tc, chain } = await channel();
    for (let i = 0; i < 5; i++) chain.txBlock(1);
    await publishAll(tc, chain.blocks);
    const first = subscribeBlocks({
      nats: tc.nc,
      channel: tc.channel,
      trust: { genesis: chain.genesis },
      fromNumber: 3,
    });
    expect((await take(first, 2)).map((b) => b.number)).toEqual([3, 4]);
    const latest = subscribeBlocks({
      nats: tc.nc,
      channel: tc.channel,
      trust: { genesis: chain.genesis },
      fromNumber: 'latest',
    });
    expect((await take(latest, 1)).map((b) => b.number)).toEqual([5]);
    const saved = JSON.parse(JSON.stringify(first.state()));
    const resumed = subscribeBlocks({ url: tc.nc.getServer(), channel: tc.channel, trust: { state: saved } });
    expect((await take(resumed, 1)).map((b) => b.number)).toEqual([5]);
    expect(() => subscribeBlocks({ channel: tc.channel, trust: { genesis: chain.genesis } })).toThrow(
      /exactly one of nats and url/,
    );
  });

  it('repairs a gap through .deliver when the stream no longer holds old blocks', async () => {
    const { tc, chain } = await channel({ streams: { blocks: { maxMsgs: 3 } } });
    for (let i = 0; i < 5; i++) chain.txBlock(1);
    await publishAll(tc, chain.blocks); // the stream keeps blocks 3..5
    const deliver = responder(serveDeliver(tc.nc, tc.channel, chain.blocks, 'orderer'));
    const got = await take(
      subscribeBlocks({ nats: tc.nc, channel: tc.channel, trust: { genesis: chain.genesis } }),
      5,
    );
    expect(got.map((b) => b.number)).toEqual([1, 2, 3, 4, 5]);
    expect(deliver.requests).toEqual([{ from: 1, to: 2 }]);
  });

  it('starts from a trusted head (a checkpoint), authenticating its config through .deliver', async () => {
    const { tc, chain } = await channel();
    chain.txBlock(1);
    chain.configBlock(chain.withConsenter('orderer2'));
    chain.txBlock(1);
    chain.txBlock(1);
    chain.txBlock(1);
    await publishAll(tc, chain.blocks);
    const deliver = responder(serveDeliver(tc.nc, tc.channel, chain.blocks, 'bare'));
    const head = { channel: tc.channel, height: 4, blockHash: blockHashOf(chain.blocks[4]!.header) };
    const got = await take(subscribeBlocks({ nats: tc.nc, channel: tc.channel, trust: { head } }), 1);
    expect(got.map((b) => b.number)).toEqual([5]);
    expect(deliver.requests.map((r) => r.from)).toEqual([4, 2]);
  });

  it('stops with BlockRejectedError at a block that does not verify, never yielding it', async () => {
    const { tc, chain } = await channel();
    chain.txBlock(1);
    await publishAll(tc, chain.blocks);
    const forged = chain.sign(chain.draft([chain.envelope()]), ['orderer2']);
    await publishBlock(tc.js, tc.channel, forged);
    const got: number[] = [];
    const subscription = subscribeBlocks({
      nats: tc.nc,
      channel: tc.channel,
      trust: { genesis: chain.genesis },
    });
    const error = await (async () => {
      try {
        for await (const verified of subscription) got.push(verified.number);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(got).toEqual([1]);
    expect(error).toBeInstanceOf(BlockRejectedError);
    expect((error as BlockRejectedError).blockNumber).toBe(2);
    expect((error as BlockRejectedError).check).toBe('BlockSignatureError');
    expect(subscription.state()?.tip.number).toBe(1);
  });

  it('deliverBlocks understands both framings and says when nobody answers', async () => {
    const { tc, chain } = await channel();
    for (let i = 0; i < 4; i++) chain.txBlock(1);
    await expect(
      (async () => {
        for await (const _ of deliverBlocks(tc.nc, tc.channel, 1, 2, { attemptsMax: 1 })) void _;
      })(),
    ).rejects.toThrow(DeliverError);
    for (const framing of ['orderer', 'bare'] as const) {
      const r = serveDeliver(tc.nc, tc.channel, chain.blocks, framing);
      const numbers: number[] = [];
      for await (const block of deliverBlocks(tc.nc, tc.channel, 0, 4)) numbers.push(block.number);
      r.stop();
      expect(numbers).toEqual([0, 1, 2, 3, 4]);
      expect(r.requests.map((q) => q.from)).toEqual([0, 2, 4]);
    }
  });
});

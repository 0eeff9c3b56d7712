import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats, ensureStreams, publishBlock, type StreamPubAck } from '@civic/messaging';
import { startNatsCluster, uniqueChannel, type NatsCluster } from '@civic/testkit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { subscribeBlocks } from '../src/index.js';
import { ChainBuilder } from './support/chain.js';

let cluster: NatsCluster;
let publisher: NatsConnection;
let subscriber: NatsConnection;

const fast = { reconnectTimeWaitMs: 100, reconnectJitterMs: 100 };

beforeAll(async () => {
  cluster = await startNatsCluster({ size: 3 });
  publisher = await connectNats({ url: cluster.urls, name: 'client-cluster-publisher', ...fast });
  subscriber = await connectNats({ url: cluster.urls, name: 'client-cluster-subscriber', ...fast });
}, 60_000);
afterAll(async () => {
  if (subscriber) await closeNats(subscriber);
  if (publisher) await closeNats(publisher);
  if (cluster) await cluster.stop();
});

/** Publishing retries while the cluster elects a new stream leader (same msg id and fence: safe). */
async function publishWithRetry(publish: () => Promise<StreamPubAck>): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 80; attempt += 1) {
    try {
      await publish();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw lastError;
}

describe('subscribeBlocks on a 3-node NATS cluster (multi-process)', () => {
  it('resumes after the server it is connected to is killed, from the last verified block', async () => {
    const channel = uniqueChannel();
    const chain = new ChainBuilder(channel);
    const js = jetstream(publisher);
    await ensureStreams(await jetstreamManager(publisher), channel, { replicas: 3 });
    for (let i = 0; i < 3; i++) chain.txBlock(1);
    for (const block of chain.blocks) await publishBlock(js, channel, block);

    const subscription = subscribeBlocks({
      nats: subscriber,
      channel,
      trust: { genesis: chain.genesis },
      reopenDelayMs: 200,
      stallCheckMs: 1000,
      onReopen: (e) => reopens.push(e.reason),
    });
    const seen: number[] = [];
    const reopens: string[] = [];
    for await (const verified of subscription) {
      seen.push(verified.number);
      if (verified.number === 3) {
        const connectedTo = cluster.nodes.find((node) => subscriber.getServer().endsWith(`:${node.port}`));
        expect(connectedTo).toBeDefined();
        await connectedTo!.kill();
        for (let i = 0; i < 3; i++) {
          const block = chain.txBlock(1);
          await publishWithRetry(() => publishBlock(js, channel, block));
        }
      }
      if (verified.number === 6) break;
    }
    // Figures, not assertions: how the consumer came back (nats.js re-created it, or our stall check).
    console.log(
      `consumer reopened ${reopens.length} time(s)${reopens.length ? `: ${reopens.join('; ')}` : ''}`,
    );
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);
});

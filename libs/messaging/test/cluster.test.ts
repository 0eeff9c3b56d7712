import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '@civic/protocol';
import { startNatsCluster, uniqueChannel, type NatsCluster } from '@civic/testkit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  closeNats,
  connectNats,
  consumeInOrder,
  ensureStreams,
  publishBlock,
  streamNames,
  type StreamPubAck,
} from '../src/index.js';
import { makeBlock, sleep } from './fixtures.js';

let cluster: NatsCluster;
let nc: NatsConnection;

beforeAll(async () => {
  cluster = await startNatsCluster({ size: 3 });
  nc = await connectNats({
    url: cluster.urls,
    name: 'cluster-test',
    reconnectTimeWaitMs: 100,
    reconnectJitterMs: 100,
  });
}, 60_000);
afterAll(async () => {
  if (nc) await closeNats(nc);
  if (cluster) await cluster.stop();
});

/**
 * Publishes with retries while the cluster elects a new stream leader: a retry of a block
 * is safe (same msg id, same fence), which is the point of the scheme. Bounded attempts.
 */
async function publishWithRetry(publish: () => Promise<StreamPubAck>): Promise<StreamPubAck> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 60; attempt += 1) {
    try {
      return await publish();
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw lastError;
}

describe('3-node NATS cluster (multi-process)', () => {
  it('keeps publishing and consuming blocks in order after the stream leader is killed', async () => {
    const channel = uniqueChannel();
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const info = await ensureStreams(jsm, channel, { replicas: 3 });
    expect(info.blocks.config.num_replicas).toBe(3);
    const stream = streamNames(channel).blocks;

    for (let n = 0; n < 5; n += 1) await publishBlock(js, channel, makeBlock(channel, n));
    const leaderName = (await jsm.streams.info(stream)).cluster?.leader;
    const leader = cluster.nodes.find((node) => node.name === leaderName);
    expect(leader).toBeDefined();
    await leader!.kill();
    expect(leader!.alive).toBe(false);

    for (let n = 5; n < 10; n += 1) {
      const ack = await publishWithRetry(() => publishBlock(js, channel, makeBlock(channel, n)));
      expect(ack.seq).toBe(n + 1);
    }
    const after = await jsm.streams.info(stream);
    expect(after.state.last_seq).toBe(10);
    expect(after.cluster?.leader).not.toBe(leaderName);

    const seen: number[] = [];
    const consumer = await consumeInOrder<Block>(js, stream, 'peer-cluster', {}, (msg) => {
      seen.push(msg.data.header.number);
    });
    for (let waited = 0; seen.length < 10 && waited < 45_000; waited += 50) await sleep(50);
    await consumer.stop();
    expect(seen).toEqual([...Array(10).keys()]);
  }, 90_000);
});

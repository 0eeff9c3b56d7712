/**
 * Figures for the messaging layer against the real NATS (NATS_URL, default 127.0.0.1:4222):
 * fenced block publishing, in-order durable consumption against an ordered tail, and request
 * round trips. Prints figures measured in this run; asserts nothing.
 *
 *   npm run build && npm run bench -w @civic/messaging
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  closeNats,
  connectNats,
  consumeInOrder,
  deleteStreams,
  ensureStreams,
  publishBlock,
  requestJson,
  serveJson,
  streamNames,
  subjects,
  tailStream,
} from '@civic/messaging';
import type { Block } from '@civic/protocol';

const SMALL_BLOCKS = 2000;
const LARGE_BLOCKS = 50;
const LARGE_PAD_BYTES = 512 * 1024;
const REQUESTS = 2000;

function block(channel: string, number: number, padBytes: number): Block {
  return {
    header: {
      channel,
      number,
      previousHash: '0'.repeat(64),
      dataHash: 'a'.repeat(64),
      txCount: 0,
      time: '2026-11-28T10:00:00.000Z',
    },
    envelopes: [],
    metadata: {
      signatures: [
        { nodeId: 'o1', mspId: 'Orderers', cert: 'A'.repeat(padBytes), signature: 'b'.repeat(128) },
      ],
      raft: { term: 1, index: number },
      configNumber: 0,
    },
  };
}

function percentile(sortedMs: number[], p: number): string {
  return (sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? 0).toFixed(2);
}

async function main(): Promise<void> {
  const nc = await connectNats({
    url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    name: 'messaging-bench',
  });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const channel = `bench${randomBytes(4).toString('hex')}`;
  await ensureStreams(jsm, channel);
  const stream = streamNames(channel).blocks;
  try {
    const latencies: number[] = [];
    let start = performance.now();
    for (let n = 0; n < SMALL_BLOCKS; n += 1) {
      const t0 = performance.now();
      await publishBlock(js, channel, block(channel, n, 1024));
      latencies.push(performance.now() - t0);
    }
    let seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `publishBlock, ~1.2 KB, fenced, one at a time: ${(SMALL_BLOCKS / seconds).toFixed(0)} blocks/s, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
    );

    start = performance.now();
    for (let n = SMALL_BLOCKS; n < SMALL_BLOCKS + LARGE_BLOCKS; n += 1)
      await publishBlock(js, channel, block(channel, n, LARGE_PAD_BYTES));
    seconds = (performance.now() - start) / 1000;
    console.log(
      `publishBlock, ~512 KB: ${(LARGE_BLOCKS / seconds).toFixed(0)} blocks/s, ${((LARGE_BLOCKS * LARGE_PAD_BYTES) / seconds / 1e6).toFixed(1)} MB/s`,
    );

    const total = SMALL_BLOCKS + LARGE_BLOCKS;
    let seen = 0;
    start = performance.now();
    const consumer = await consumeInOrder<Block>(js, stream, 'bench-peer', {}, () => {
      seen += 1;
    });
    while (seen < total) await new Promise((resolve) => setTimeout(resolve, 5));
    const inOrderSeconds = (performance.now() - start) / 1000;
    await consumer.stop();

    start = performance.now();
    const tail = await tailStream<Block>(js, stream, {});
    let tailed = 0;
    for await (const _msg of tail) if (++tailed === total) break;
    await tail.stop();
    const tailSeconds = (performance.now() - start) / 1000;
    console.log(
      `consumeInOrder (ack each, one in flight): ${(total / inOrderSeconds).toFixed(0)} msgs/s; tailStream (ordered, no acks): ` +
        `${(total / tailSeconds).toFixed(0)} msgs/s; ratio ${(inOrderSeconds / tailSeconds).toFixed(1)}x`,
    );

    const subject = subjects(channel).query('bench-peer');
    const responder = serveJson(nc, subject, {}, (req) => ({ echo: req.data }));
    await nc.flush();
    const rtts: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const t0 = performance.now();
      await requestJson(nc, subject, { i }, { timeoutMs: 5000 });
      rtts.push(performance.now() - t0);
    }
    await responder.stop();
    rtts.sort((a, b) => a - b);
    console.log(
      `requestJson round trip: p50 ${percentile(rtts, 50)} ms, p99 ${percentile(rtts, 99)} ms over ${REQUESTS} requests`,
    );
  } finally {
    await deleteStreams(jsm, channel);
    await closeNats(nc);
  }
}

await main();

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from '@civic/messaging';
import { natsUrl } from '@civic/testkit';
import { sleep } from '../src/testing/cluster.js';
import { runLoadClient, type LoadClientResult } from '../src/testing/load.js';
import { prepareTxs } from '../src/testing/network.js';
import {
  buildOrderer,
  startCluster,
  storeFiles,
  verifyStoredChain,
  type ClusterFixture,
} from './helpers/fixture.js';

/**
 * The ordering service under fire (multi-process, real NATS): 3 orderers, 4 clients sending
 * 10,000 transactions; meanwhile kill -9 of the leader, then SIGSTOP of the new leader for
 * longer than the election timeout, SIGCONT. The killed one is restarted in between (it
 * catches up from its disk and from the others), so that the SIGSTOP forces a third election.
 */
const TOTAL = 10_000;
const CLIENTS = 4;

let fx: ClusterFixture;

beforeAll(async () => {
  buildOrderer();
  fx = await startCluster();
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
}, 60_000);

function confirmed(): number {
  return fx.observer.blocksOf.size;
}

async function waitConfirmed(count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (confirmed() < count && Date.now() < deadline) await sleep(50);
}

/** First time after `sinceMs` a node other than `exclude` logged that it became leader. */
async function newLeaderAfter(
  sinceMs: number,
  exclude: string,
  timeoutMs: number,
): Promise<{ nodeId: string; atMs: number; readyAtMs: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const node of fx.cluster.nodes.values()) {
      if (node.nodeId === exclude) continue;
      const elected = node.events.find((e) => e.event === 'role' && e.role === 'leader' && e.atMs >= sinceMs);
      const ready = node.events.find((e) => e.event === 'leaderReady' && e.atMs >= sinceMs);
      if (elected && ready) return { nodeId: node.nodeId, atMs: elected.atMs, readyAtMs: ready.atMs };
    }
    await sleep(20);
  }
  const logs = [...fx.cluster.nodes.values()]
    .map((n) => `--- ${n.nodeId}\n${n.lines.slice(-25).join('\n')}`)
    .join('\n');
  throw new Error(`no new leader within ${timeoutMs} ms\n${logs}`);
}

async function waitReady(nodeId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fx.cluster.node(nodeId).status())?.ready) return;
    await sleep(100);
  }
  throw new Error(`${nodeId} not ready within ${timeoutMs} ms`);
}

describe('3 orderers, 4 clients, 10,000 transactions, kill -9 and SIGSTOP of leaders', () => {
  it('orders every accepted transaction exactly once, with identical stores and a gapless stream', async () => {
    const txs = prepareTxs(fx.net, TOTAL, 'load');
    const connections = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => connectNats({ url: natsUrl(), name: `client-${i}` })),
    );
    const started = Date.now();
    const loads: Promise<LoadClientResult>[] = connections.map((nc, i) =>
      runLoadClient({
        nc,
        channel: fx.channel,
        txs: txs.filter((_, j) => j % CLIENTS === i),
        observer: fx.observer,
        concurrency: 24,
        submitTimeoutMs: 3000,
        confirmTimeoutMs: 5000,
        retryDelayMs: 100,
        giveUpMs: 150_000,
      }),
    );

    // 1. kill -9 the leader once a fifth of the load is ordered.
    await waitConfirmed(TOTAL / 5, 60_000);
    const first = await fx.cluster.waitForLeader(10_000);
    const killedAt = Date.now();
    fx.cluster.node(first).signal('SIGKILL');
    const second = await newLeaderAfter(killedAt, first, 20_000);
    const failoverMs = second.atMs - killedAt;
    const orderingAgainMs = second.readyAtMs - killedAt;

    // 2. Restart the killed orderer: it catches up from its own disk and from the others.
    await fx.cluster.node(first).waitExit();
    await fx.cluster.node(first).start();
    await waitReady(first, 60_000);

    // 3. SIGSTOP the new leader for longer than the election timeout (at most 2 × 10 ticks × 50 ms), then SIGCONT.
    await waitConfirmed(Math.min(TOTAL, confirmed() + TOTAL / 5), 60_000);
    const stoppedAt = Date.now();
    fx.cluster.node(second.nodeId).signal('SIGSTOP');
    const third = await newLeaderAfter(stoppedAt, second.nodeId, 20_000);
    await sleep(Math.max(0, stoppedAt + 2500 - Date.now()));
    fx.cluster.node(second.nodeId).signal('SIGCONT');

    const results = await Promise.all(loads);
    const elapsedMs = Date.now() - started;
    await Promise.all(connections.map((nc) => closeNats(nc)));

    const accepted = new Set(results.flatMap((r) => [...r.accepted]));
    const lost = results.flatMap((r) => r.lost);
    const refused = results.flatMap((r) => r.refused);
    const replies = new Map<string, number>();
    for (const r of results) for (const [k, v] of r.replies) replies.set(k, (replies.get(k) ?? 0) + v);
    console.log(
      JSON.stringify({
        failoverMs,
        orderingAgainMs,
        sigstopFailoverMs: third.atMs - stoppedAt,
        killed: first,
        stopped: second.nodeId,
        thirdLeader: third.nodeId,
        elapsedMs,
        txPerSecond: Math.round((TOTAL / elapsedMs) * 1000),
        blocks: fx.observer.height,
        resubmissions: results.reduce((s, r) => s + r.resubmissions, 0),
        replies: Object.fromEntries(replies),
      }),
    );
    expect(refused).toEqual([]);
    expect(lost).toEqual([]);
    expect(accepted.size).toBeGreaterThan(0);
    // Every transaction a client saw ACCEPTED is in exactly one block; so is every other one.
    for (const { txId } of txs) expect(fx.observer.blocksOf.get(txId)).toHaveLength(1);
    expect(fx.observer.blocksOf.size).toBe(TOTAL + 1); // and the genesis config transaction

    // All three reach the same height; the stream holds blocks 0..h-1 at sequences 1..h, once each.
    const height = await fx.cluster.waitForHeight(fx.observer.height, 90_000);
    await fx.observer.waitForHeight(height, 30_000);
    expect(fx.observer.sequence.map((s) => s.seq)).toEqual(Array.from({ length: height }, (_, i) => i + 1));
    expect(fx.observer.sequence.map((s) => s.number)).toEqual(Array.from({ length: height }, (_, i) => i));
    expect(fx.observer.sequence.every((s) => s.msgId === `${fx.channel}:${s.number}`)).toBe(true);

    // Byte-identical stores, and every stored block verifies and holds each transaction once.
    await fx.cluster.stop();
    const files = await Promise.all(
      ['orderer1', 'orderer2', 'orderer3'].map((id) => storeFiles(fx.dataDir(id))),
    );
    expect(files[1]!.data.equals(files[0]!.data)).toBe(true);
    expect(files[2]!.data.equals(files[0]!.data)).toBe(true);
    expect(files[1]!.index.equals(files[0]!.index)).toBe(true);
    const chain = await verifyStoredChain(fx.dataDir('orderer1'));
    expect(chain.height).toBe(height);
    expect(new Set(chain.txIds).size).toBe(chain.txIds.length);
    expect(chain.txIds.length).toBe(TOTAL);
  }, 240_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOnce, subjects } from '@civic/messaging';
import {
  canonicalBytes,
  serializeEnvelope,
  SubmitCode,
  txIdOf,
  utf8Bytes,
  type Envelope,
  type SubmitReply,
} from '@civic/protocol';
import type { ChannelConfig } from '@civic/identity';
import { sleep } from '../src/testing/cluster.js';
import { runLoadClient } from '../src/testing/load.js';
import { configUpdateEnvelope, makeEnvelope, prepareTxs, TEST_RAFT } from '../src/testing/network.js';
import {
  buildOrderer,
  startCluster,
  storeFiles,
  verifyStoredChain,
  type ClusterFixture,
} from './helpers/fixture.js';

/**
 * A 3-orderer cluster (multi-process, real NATS) taking snapshots every 5 blocks and keeping
 * only 2 entries after them, so that a follower that was down must be sent a snapshot and
 * fetch the blocks it lacks over `.deliver`.
 */
let fx: ClusterFixture;

beforeAll(async () => {
  buildOrderer();
  fx = await startCluster({
    raft: { ...TEST_RAFT, snapshotIntervalBlocks: 5 },
    env: { SNAPSHOT_KEEP_ENTRIES: '2' },
  });
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
}, 60_000);

async function submit(bytes: Uint8Array): Promise<SubmitReply> {
  for (let attempt = 0; ; attempt++) {
    const msg = await fx.nc.request(subjects(fx.channel).txSubmit, bytes, { timeout: 5000 });
    const reply = msg.json<SubmitReply>();
    const retryable =
      reply.status === 'REJECTED' &&
      ['NO_LEADER', 'NOT_READY', 'NOT_LEADER', 'OVERLOADED', 'CONFIG_PENDING'].includes(reply.code);
    if (!retryable || attempt > 100) return reply;
    await sleep(100);
  }
}

async function load(count: number, tag: string): Promise<void> {
  const result = await runLoadClient({
    nc: fx.nc,
    channel: fx.channel,
    txs: prepareTxs(fx.net, count, tag),
    observer: fx.observer,
    concurrency: 16,
    submitTimeoutMs: 3000,
    confirmTimeoutMs: 5000,
    retryDelayMs: 100,
    giveUpMs: 60_000,
  });
  expect(result.lost).toEqual([]);
  expect(result.refused).toEqual([]);
}

const bytesOf = (envelope: Envelope) => serializeEnvelope(envelope);
const current = (): ChannelConfig => fx.net.config;
/** The config in force and its version, as the tests change it. */
let inForce: { config: ChannelConfig; version: string } | null = null;
const configNow = () => inForce ?? { config: current(), version: '0:0' };

async function updateConfig(next: ChannelConfig): Promise<number> {
  const envelope = configUpdateEnvelope(fx.net, next, { readVersion: configNow().version });
  const reply = await submit(bytesOf(envelope));
  expect(reply.status === 'REJECTED' ? `${reply.code}: ${reply.reason}` : reply.status).toBe('ACCEPTED');
  expect(await fx.observer.waitFor(txIdOf(envelope.payload), 10_000)).toBe(true);
  const [number] = fx.observer.blocksOf.get(txIdOf(envelope.payload)) as number[];
  inForce = { config: next, version: `${number}:0` };
  return number as number;
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('intake over NATS', () => {
  it('refuses each kind of bad envelope with its code, and none of them reaches a block', async () => {
    const channel = fx.channel;
    const writer = fx.net.identity('utrecht-parking');
    const good = makeEnvelope(writer, { channel });
    const badSignature = { ...makeEnvelope(writer, { channel }), signature: good.signature };
    const cases: [string, Uint8Array, string][] = [
      ['malformed JSON', utf8Bytes('{"payload": {'), SubmitCode.MALFORMED],
      ['not an envelope', canonicalBytes({ hello: 'world' }), SubmitCode.MALFORMED],
      ['wrong signature', canonicalBytes(badSignature), SubmitCode.BAD_SIGNATURE],
      [
        'unknown organisation',
        bytesOf(makeEnvelope(fx.net.outsider, { channel })),
        SubmitCode.UNKNOWN_IDENTITY,
      ],
      [
        'expired certificate',
        bytesOf(makeEnvelope(fx.net.expired, { channel })),
        SubmitCode.EXPIRED_IDENTITY,
      ],
      [
        'revoked certificate',
        bytesOf(makeEnvelope(fx.net.identity('utrecht-revoked'), { channel })),
        SubmitCode.EXPIRED_IDENTITY,
      ],
      [
        'oversize',
        bytesOf(makeEnvelope(writer, { channel, value: { blob: 'x'.repeat(901_000) } })),
        SubmitCode.TOO_LARGE,
      ],
      [
        'namespace not writable',
        bytesOf(makeEnvelope(fx.net.identity('rvo-subsidies'), { channel })),
        SubmitCode.WRITER_NOT_ALLOWED,
      ],
      ['another channel', bytesOf(makeEnvelope(writer, { channel: 'elsewhere' })), SubmitCode.WRONG_CHANNEL],
      [
        'txTime far in the past',
        bytesOf(makeEnvelope(writer, { channel, txTimeMs: Date.now() - 3_600_000 })),
        SubmitCode.TX_TIME_OUT_OF_WINDOW,
      ],
    ];
    const badTxIds: string[] = [];
    for (const [what, bytes, code] of cases) {
      const reply = await submit(bytes);
      expect({ what, reply: reply.status === 'REJECTED' ? reply.code : reply.status }).toEqual({
        what,
        reply: code,
      });
      if (reply.status === 'REJECTED' && reply.txId !== undefined) badTxIds.push(reply.txId);
    }
    expect(badTxIds.length).toBeGreaterThanOrEqual(7);

    // A duplicate: the same envelope twice at once (one is pending), then again once ordered.
    const txId = txIdOf(good.payload);
    const [a, b] = await Promise.all([submit(bytesOf(good)), submit(bytesOf(good))]);
    const outcome = (r: SubmitReply) => (r.status === 'REJECTED' ? r.code : r.status);
    expect([outcome(a), outcome(b)].sort()).toEqual(['ACCEPTED', SubmitCode.DUPLICATE_TXID].sort());
    expect(await fx.observer.waitFor(txId, 10_000)).toBe(true);
    const again = await submit(bytesOf(good));
    expect(again.status === 'REJECTED' && again.code).toBe(SubmitCode.DUPLICATE_TXID);

    await load(50, 'after-bad');
    for (const bad of badTxIds) expect(fx.observer.has(bad)).toBe(false);
    expect(fx.observer.blocksOf.get(txId)).toHaveLength(1);
  }, 60_000);
});

describe('delivery', () => {
  it('serves blocks by height, fails at once for blocks not cut, or waits for them', async () => {
    const height = fx.observer.height;
    const got: number[] = [];
    const it = deliverOnce(fx.nc, fx.channel, { from: 0, to: height - 1 }, { idleTimeoutMs: 5000 });
    for await (const block of it) got.push(block.number);
    expect(got).toEqual(Array.from({ length: height }, (_, i) => i));
    await expect(async () => {
      for await (const _ of deliverOnce(fx.nc, fx.channel, { from: height + 1000 }, { idleTimeoutMs: 5000 }))
        void _;
    }).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const waited = (async () => {
      const numbers: number[] = [];
      for await (const b of deliverOnce(
        fx.nc,
        fx.channel,
        { from: height, to: height, wait: true, waitMs: 20_000 },
        { idleTimeoutMs: 5000 },
      ))
        numbers.push(b.number);
      return numbers;
    })();
    await sleep(300);
    await load(5, 'for-wait');
    expect(await waited).toEqual([height]);
  }, 60_000);
});

describe('config transactions', () => {
  it('puts new batch limits and Raft timing in force, the config block alone', async () => {
    const next: ChannelConfig = {
      ...current(),
      sequence: 1,
      batch: { ...current().batch, maxMessageCount: 3, timeoutMs: 20 },
      raft: { ...current().raft, tickMs: 40, electionTicks: 12 },
    };
    const configNumber = fx.observer.height;
    const envelope = configUpdateEnvelope(fx.net, next, { readVersion: '0:0' });
    const reply = await submit(bytesOf(envelope));
    expect(reply.status).toBe('ACCEPTED');
    expect(await fx.observer.waitFor(txIdOf(envelope.payload), 10_000)).toBe(true);
    const [configBlock] = fx.observer.blocksOf.get(txIdOf(envelope.payload)) as number[];
    expect(configBlock).toBeGreaterThanOrEqual(configNumber);
    await fx.cluster.waitForLeader(30_000);
    const before = fx.observer.height;
    await load(30, 'small-batches');
    // Every block after the config block holds at most 3 envelopes.
    const counts = new Map<number, number>();
    for (const blocks of fx.observer.blocksOf.values())
      for (const n of blocks) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect(counts.get(configBlock as number)).toBe(1);
    for (let n = before; n < fx.observer.height; n++) expect(counts.get(n) ?? 0).toBeLessThanOrEqual(3);
    inForce = { config: next, version: `${configBlock}:0` };
  }, 90_000);
});

describe('a restarted orderer', () => {
  it("catches up from its own disk and, past the others' snapshots, from the others", async () => {
    const leader = await fx.cluster.waitForLeader(30_000);
    const follower = ['orderer1', 'orderer2', 'orderer3'].find((id) => id !== leader) as string;
    const node = fx.cluster.node(follower);
    const heightBefore = (await node.status())?.height ?? 0;
    node.signal('SIGKILL');
    await node.waitExit();
    await sleep(300);
    // A block may land between the status read and the kill: the disk holds at
    // least what it reported and at most what the others held when it died.
    const heightAtKill = (await fx.cluster.node(leader).status())?.height ?? 0;

    // While it is down, adding a consenter would leave 2 reachable of 4: refused.
    const { config, version } = configNow();
    const orderer4 = fx.net.identity('orderer4');
    const add = configUpdateEnvelope(
      fx.net,
      {
        ...config,
        sequence: config.sequence + 1,
        consenters: [...config.consenters, { nodeId: 'orderer4', mspId: 'Orderers', cert: orderer4.cert }],
      },
      { readVersion: version },
    );
    const refused = await submit(bytesOf(add));
    expect(refused.status === 'REJECTED' && refused.code).toBe(SubmitCode.CONFIG_NOT_ALLOWED);

    await load(90, 'while-down'); // ≥ 30 blocks of ≤ 3: several snapshots and compactions
    node.lines.length = 0;
    node.events.length = 0;
    await node.start();
    const height = await fx.cluster.waitForHeight(fx.observer.height, 60_000);
    const opened = node.lines.find((l) => l.includes('orderer opened from disk'));
    const openedHeight = JSON.parse(opened as string).height as number;
    expect(openedHeight).toBeGreaterThanOrEqual(heightBefore);
    expect(openedHeight).toBeLessThanOrEqual(heightAtKill);
    expect(node.lines.some((l) => l.includes("restoring from the leader's snapshot"))).toBe(true);
    expect(height).toBeGreaterThan(heightBefore + 20);
  }, 150_000);
});

describe('consenter changes', () => {
  it('removes the leader (after handing over) and adds a new orderer, which joins from a snapshot', async () => {
    const leader = await fx.cluster.waitForLeader(30_000);
    const { config } = configNow();
    await updateConfig({
      ...config,
      sequence: config.sequence + 1,
      consenters: config.consenters.filter((c) => c.nodeId !== leader),
    });
    const members = ['orderer1', 'orderer2', 'orderer3'].filter((id) => id !== leader);
    await waitFor(
      'two voters',
      async () => {
        const status = await fx.cluster.node(members[0] as string).status();
        return status?.voters.length === 2 && status.leader !== leader && status.leader !== null;
      },
      30_000,
    );
    await load(10, 'two-voters');

    const orderer4 = fx.net.identity('orderer4');
    const two = configNow().config;
    await updateConfig({
      ...two,
      sequence: two.sequence + 1,
      consenters: [...two.consenters, { nodeId: 'orderer4', mspId: 'Orderers', cert: orderer4.cert }],
    });
    const joined = fx.cluster.add('orderer4');
    await joined.start();
    await load(10, 'three-again');
    await waitFor(
      'orderer4 to catch up',
      async () => {
        const [a, b] = await Promise.all([joined.status(), fx.cluster.node(members[0] as string).status()]);
        return a !== null && b !== null && a.height === b.height && b.voters.includes('orderer4') && a.ready;
      },
      60_000,
    );
    expect(joined.lines.some((l) => l.includes("restoring from the leader's snapshot"))).toBe(true);
    removed = leader;
    current4 = [...members, 'orderer4'];
  }, 120_000);
});

let removed = '';
let current4: string[] = [];

describe('at the end', () => {
  it('every member holds a byte-identical block store of verified blocks', async () => {
    const members = current4.length > 0 ? current4 : ['orderer1', 'orderer2', 'orderer3'];
    const height = await fx.cluster.waitForHeight(fx.observer.height, 30_000, members);
    await fx.cluster.stop();
    const files = await Promise.all(members.map((id) => storeFiles(fx.dataDir(id))));
    for (const f of files.slice(1)) expect(f.data.equals(files[0]!.data)).toBe(true);
    const chain = await verifyStoredChain(fx.dataDir(members[0] as string));
    expect(chain.height).toBeGreaterThanOrEqual(height);
    if (removed !== '') {
      // The removed orderer holds a prefix of the same chain.
      const theirs = await storeFiles(fx.dataDir(removed));
      expect(files[0]!.data.subarray(0, theirs.data.length).equals(theirs.data)).toBe(true);
    }
  }, 60_000);
});

/**
 * Ordering throughput and submit-to-block latency for 1 and 3 orderers (real processes, real
 * NATS), plus the cost of the pure steps. `npm run bench -w @civic/orderer` (builds first).
 * Figures depend on the machine and its load; compare the rows of one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeNats, connectNats, deleteStreams } from '@civic/messaging';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { formatRfc3339Ms, serializeEnvelope, sha256 } from '@civic/protocol';
import { assembleSignedBlock, checkSubmission, decideEntry, genesisState } from '@civic/orderer';
import {
  BlockObserver,
  OrdererCluster,
  TEST_BATCH,
  createTestNetwork,
  prepareTxs,
  runLoadClient,
  writeTestNetwork,
  type LoadClientResult,
  type TestNetwork,
} from '@civic/orderer/testing';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const TXS = Number(process.env.BENCH_TXS ?? 10_000);
const CLIENTS = 4;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function latencies(observer: BlockObserver, results: LoadClientResult[]): number[] {
  const out: number[] = [];
  for (const r of results) {
    for (const [txId, at] of r.firstSubmitMs) {
      const seen = observer.seenAtMs.get(txId);
      if (seen !== undefined) out.push(seen - at);
    }
  }
  return out.sort((a, b) => a - b);
}

async function run(consenters: string[]): Promise<Record<string, string | number>> {
  const channel = `bench${consenters.length}${Math.floor(Math.random() * 1e6)}`;
  const dir = mkdtempSync(join(tmpdir(), 'orderer-bench-'));
  const net = writeTestNetwork(createTestNetwork({ channel, consenters }), dir, NATS_URL);
  const cluster = new OrdererCluster({ networkDir: dir, natsUrl: NATS_URL }, consenters);
  const nc = await connectNats({ url: NATS_URL, name: `bench-${channel}` });
  const observer = new BlockObserver(jetstream(nc), channel);
  try {
    await cluster.start();
    await cluster.waitForLeader(60_000);
    await observer.start();
    // Idle latency: one envelope at a time.
    const idle = prepareTxs(net, 100, 'idle');
    const idleResult = await runLoadClient(loadOptions(nc, channel, idle, observer, 1));
    const idleLatency = latencies(observer, [idleResult]);
    // Throughput under load: 4 clients, CONCURRENCY envelopes in flight each.
    const txs = prepareTxs(net, TXS, 'load');
    const connections = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => connectNats({ url: NATS_URL, name: `bench-client-${i}` })),
    );
    const started = Date.now();
    const results = await Promise.all(
      connections.map((c, i) =>
        runLoadClient(
          loadOptions(
            c,
            channel,
            txs.filter((_, j) => j % CLIENTS === i),
            observer,
            CONCURRENCY,
          ),
        ),
      ),
    );
    const elapsedMs = Date.now() - started;
    await Promise.all(connections.map((c) => closeNats(c)));
    const loaded = latencies(observer, results);
    const lost = results.reduce((s, r) => s + r.lost.length + r.refused.length, 0);
    return {
      orderers: consenters.length,
      txs: TXS,
      'tx/s': Math.round((TXS / elapsedMs) * 1000),
      'load p50 ms': percentile(loaded, 50),
      'load p99 ms': percentile(loaded, 99),
      'idle p50 ms': percentile(idleLatency, 50),
      'idle p99 ms': percentile(idleLatency, 99),
      blocks: observer.height,
      'tx/block': Math.round(((TXS + 100) / Math.max(1, observer.height - 1)) * 10) / 10,
      lost,
      'leader changes':
        [...cluster.nodes.values()].reduce(
          (n, node) => n + node.events.filter((e) => e.event === 'role' && e.role === 'leader').length,
          0,
        ) - 1,
      resubmits: results.reduce((n, r) => n + r.resubmissions, 0),
    };
  } finally {
    await observer.stop();
    await cluster.stop();
    await deleteStreams(await jetstreamManager(nc), channel).catch(() => undefined);
    await closeNats(nc);
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadOptions(
  nc: Awaited<ReturnType<typeof connectNats>>,
  channel: string,
  txs: { txId: string; bytes: Uint8Array }[],
  observer: BlockObserver,
  concurrency: number,
) {
  return {
    nc,
    channel,
    txs,
    observer,
    concurrency,
    submitTimeoutMs: 5000,
    confirmTimeoutMs: 3000,
    retryDelayMs: 50,
    giveUpMs: 120_000,
  };
}

function micro(net: TestNetwork): Record<string, string> {
  const txs = prepareTxs(net, 2000, 'micro');
  const ctx = {
    channel: net.channel,
    config: net.config,
    configNumber: 0,
    nowMs: Date.now(),
    txWindowMs: 600_000,
  };
  let t = performance.now();
  const checked = txs.map((tx) => {
    const verdict = checkSubmission(tx.bytes, ctx);
    if (!verdict.ok) throw new Error(verdict.rejection.reason);
    return verdict.checked;
  });
  const intakeUs = ((performance.now() - t) * 1000) / txs.length;
  const genesis = genesisState(net.genesis);
  const o1 = net.identity('orderer1');
  const signer = { nodeId: 'orderer1', mspId: o1.mspId, cert: o1.cert, key: o1.key };
  const batch = checked.slice(0, TEST_BATCH.maxMessageCount);
  t = performance.now();
  const rounds = 10;
  let bytes: Uint8Array = new Uint8Array();
  for (let i = 0; i < rounds; i++) {
    bytes = assembleSignedBlock(
      {
        channel: net.channel,
        number: 1,
        previousHash: genesis.tip.hash,
        time: formatRfc3339Ms(Date.now()),
        raft: { term: 2, index: 2 },
        configNumber: 0,
        envelopes: batch.map((c) => ({
          bytes: serializeEnvelope(c.envelope),
          envelopeHash: sha256(serializeEnvelope(c.envelope)),
        })),
      },
      signer,
    ).bytes;
  }
  const assembleMs = (performance.now() - t) / rounds;
  t = performance.now();
  for (let i = 0; i < rounds; i++) decideEntry(genesis, { index: 2, term: 2, data: bytes });
  const applyMs = (performance.now() - t) / rounds;
  return {
    'intake check per envelope': `${intakeUs.toFixed(0)} µs`,
    [`assemble + sign a block of ${batch.length}`]: `${assembleMs.toFixed(1)} ms`,
    [`verify + apply a block of ${batch.length} (${Math.round(bytes.length / 1024)} kB)`]: `${applyMs.toFixed(1)} ms`,
  };
}

const net = createTestNetwork({ channel: 'benchmicro' });
console.log('Pure steps (one core):');
console.table(micro(net));
console.log(
  `Batch settings: maxMessageCount ${TEST_BATCH.maxMessageCount}, preferredMaxBytes ${TEST_BATCH.preferredMaxBytes}, ` +
    `absoluteMaxBytes ${TEST_BATCH.absoluteMaxBytes}, timeoutMs ${TEST_BATCH.timeoutMs}; Raft tick 50 ms, election 10 ticks, heartbeat 1 tick; ` +
    `envelopes ~${prepareTxs(net, 1, 'size')[0]!.bytes.length} bytes; ${CLIENTS} clients × ${CONCURRENCY} in flight.`,
);
const rows = [];
for (const consenters of [['orderer1'], ['orderer1', 'orderer2', 'orderer3']])
  rows.push(await run(consenters));
console.table(rows);

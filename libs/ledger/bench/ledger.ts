/**
 * Figures for libs/ledger against the real PostgreSQL (DATABASE_URL, default local) and
 * embedded PGlite: committed transactions per second (one block per database transaction, as
 * when following the stream live, and groups of blocks, as when catching up), query latency
 * with 10k keys, and the cost per block at 1k blocks of chain. Prints figures; asserts nothing.
 *
 *   npm run build && npm run bench -w @civic/ledger              # minutes
 *   npm run bench -w @civic/ledger -- --large                    # + 1M keys and 100k blocks (long)
 */
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeBlock, ZERO_HASH_HEX, type Block } from '@civic/protocol';
import {
  Ledger,
  LedgerQueries,
  openLedgerStore,
  VerifierPool,
  type BlockCommit,
  type LedgerStore,
} from '@civic/ledger';
import { BlockFactory, createTestNetwork, freshPgliteDir, type TestNetwork } from '@civic/ledger/testing';
import { createTestDatabase } from '@civic/testkit';

const LARGE = process.argv.includes('--large');
const THROUGHPUT_BLOCKS = 100;
const TXS_PER_BLOCK = 250;
/** Blocks measured one by one at the end of the chain, and their size. */
const COST_SAMPLE_BLOCKS = 200;
const COST_TXS_PER_BLOCK = 10;
/** Size of the blocks that build the chain before the measure (small: 100k blocks must build in minutes). */
const FILL_TXS_PER_BLOCK = 2;

type Engine = 'postgres' | 'pglite';

interface OpenStore {
  readonly store: LedgerStore;
  dispose(): Promise<void>;
}

async function openStore(engine: Engine, channel: string): Promise<OpenStore> {
  if (engine === 'postgres') {
    const db = await createTestDatabase('civic_bench');
    const store = await openLedgerStore({ channel, databaseUrl: db.url });
    return { store, dispose: async () => (await store.close(), await db.drop()) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
  const store = await openLedgerStore({ channel, dataDir: await freshPgliteDir(dir) });
  return { store, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** Blocks of `txs` transactions, each reading a key at its version and writing it (no conflicts). */
function workload(net: TestNetwork, blocks: number, txs: number): Uint8Array[] {
  const factory = new BlockFactory(net);
  const out: Uint8Array[] = [serializeBlock(net.genesis)];
  const creator = net.signer('rvo-client');
  for (let b = 1; b <= blocks; b++) {
    const envelopes = [];
    for (let t = 0; t < txs; t++) {
      const key = `grant/${b}/${t}`;
      envelopes.push(
        factory.tx({
          creator,
          reads: [{ key, version: null }],
          writes: [{ key, value: { amountCents: b * t, scheme: 'SDE++' } }],
        }),
      );
    }
    out.push(serializeBlock(factory.block(envelopes)));
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function throughput(
  engine: Engine,
  net: TestNetwork,
  blocks: Uint8Array[],
  verifier: VerifierPool,
): Promise<void> {
  for (const mode of ['live', 'catch-up'] as const) {
    const opened = await openStore(engine, net.channel);
    const ledger = await Ledger.open({ store: opened.store, channel: net.channel, verifier });
    await ledger.append([blocks[0]]);
    const start = performance.now();
    if (mode === 'live') {
      for (const bytes of blocks.slice(1)) await ledger.commit([ledger.prepare(bytes)]);
    } else {
      // Read ahead: every block's signatures start verifying at once; commits go 16 blocks at a time.
      const prepared = blocks.slice(1).map((bytes) => ledger.prepare(bytes));
      for (let i = 0; i < prepared.length; i += 16) await ledger.commit(prepared.slice(i, i + 16));
    }
    const seconds = (performance.now() - start) / 1000;
    const txs = (blocks.length - 1) * TXS_PER_BLOCK;
    console.log(
      `${engine.padEnd(8)} ${mode.padEnd(8)}: ${(txs / seconds).toFixed(0)} tx/s committed (${blocks.length - 1} blocks x ${TXS_PER_BLOCK} tx, ` +
        `${((seconds * 1000) / (blocks.length - 1)).toFixed(1)} ms/block)`,
    );
    await opened.dispose();
  }
}

/** Fills the state with `keys` keys straight through the store (no validation: the state, not the chain, is measured). */
async function fillState(store: LedgerStore, keys: number): Promise<void> {
  const perBlock = 5000;
  for (let b = 0; b * perBlock < keys; b++) {
    const count = Math.min(perBlock, keys - b * perBlock);
    const changes = Array.from({ length: count }, (_, i) => ({
      namespace: 'subsidies',
      key: `grant/${b * perBlock + i}`,
      value: JSON.stringify({ amountCents: i, scheme: 'SDE++', recipient: `kvk-${i}` }),
      version: `${b}:${i}`,
    }));
    const commit: BlockCommit = {
      number: b,
      hash: b.toString(16).padStart(64, '0'),
      previousHash: b === 0 ? ZERO_HASH_HEX : (b - 1).toString(16).padStart(64, '0'),
      header: '{}',
      metadata: '{}',
      time: '2026-01-01T00:00:00.000Z',
      codes: [],
      commitHash: ZERO_HASH_HEX,
      configBlock: 0,
      validBefore: 0,
      txs: [],
      stateChanges: changes,
      history: changes.map((c, i) => ({
        namespace: c.namespace,
        key: c.key,
        block: b,
        index: i,
        txId: ZERO_HASH_HEX,
        creatorMsp: 'RVO',
        creatorSubject: 'CN=rvo-client, OU=client, O=RVO',
        blockTime: '2026-01-01T00:00:00.000Z',
        txTime: '2026-01-01T00:00:00.000Z',
        value: c.value,
      })),
    };
    await store.commitBlocks([commit]);
  }
}

async function queryLatency(engine: Engine, net: TestNetwork, keys: number): Promise<void> {
  const opened = await openStore(engine, net.channel);
  const fillStart = performance.now();
  await fillState(opened.store, keys);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const queries = new LedgerQueries(opened.store, {
    channel: net.channel,
    peerId: 'bench',
    signer: net.signer('rvo-peer'),
  });
  for (const kind of ['state', 'history'] as const) {
    const latencies: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const key = `grant/${Math.floor(Math.random() * keys)}`;
      const t0 = performance.now();
      if (kind === 'state') await queries.state('subsidies', key);
      else await queries.history('subsidies', key, 10);
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `${engine.padEnd(8)} ${kind.padEnd(7)} query, ${keys.toLocaleString('en')} keys: p50 ${percentile(latencies, 50).toFixed(3)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(3)} ms (filled at ${(keys / fillSeconds).toFixed(0)} keys/s)`,
    );
  }
  await opened.dispose();
}

/** Cost of committing a block (one per database transaction) once the chain is `length` blocks long. */
async function costPerBlock(
  engine: Engine,
  net: TestNetwork,
  length: number,
  verifier: VerifierPool,
): Promise<void> {
  const opened = await openStore(engine, net.channel);
  const ledger = await Ledger.open({ store: opened.store, channel: net.channel, verifier });
  const factory = new BlockFactory(net);
  const creator = net.signer('rvo-client');
  const makeBlock = (n: number, txs: number): Block =>
    factory.block(
      Array.from({ length: txs }, (_, t) =>
        factory.tx({ creator, writes: [{ key: `k/${n}/${t}`, value: n }] }),
      ),
    );
  await ledger.append([net.genesis]);
  const fillStart = performance.now();
  let n = 1;
  // Build the chain fast: groups of 64 blocks per database transaction.
  while (n <= length - COST_SAMPLE_BLOCKS) {
    const group = [];
    for (let i = 0; i < 64 && n <= length - COST_SAMPLE_BLOCKS; i++, n++)
      group.push(ledger.prepare(makeBlock(n, FILL_TXS_PER_BLOCK)));
    await ledger.commit(group);
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const costs: number[] = [];
  for (; n <= length; n++) {
    const block = makeBlock(n, COST_TXS_PER_BLOCK);
    const t0 = performance.now();
    await ledger.commit([ledger.prepare(block)]);
    costs.push(performance.now() - t0);
  }
  costs.sort((a, b) => a - b);
  console.log(
    `${engine.padEnd(8)} cost per block at ${length.toLocaleString('en')} blocks of chain: p50 ${percentile(costs, 50).toFixed(2)} ms, ` +
      `p99 ${percentile(costs, 99).toFixed(2)} ms (${COST_TXS_PER_BLOCK} tx/block; chain of ${FILL_TXS_PER_BLOCK}-tx blocks built in ${fillSeconds.toFixed(0)} s)`,
  );
  await opened.dispose();
}

async function main(): Promise<void> {
  const workers = cpus().length;
  console.log(
    `libs/ledger benchmark: ${workers} cores, signature pool of ${workers}, ${LARGE ? 'with' : 'without'} --large`,
  );
  const verifier = new VerifierPool({ workers });
  try {
    const engines: Engine[] = ['postgres', 'pglite'];
    const net = createTestNetwork({ channel: 'bench' });
    const genStart = performance.now();
    const blocks = workload(net, THROUGHPUT_BLOCKS, TXS_PER_BLOCK);
    console.log(
      `workload: ${THROUGHPUT_BLOCKS * TXS_PER_BLOCK} signed transactions built in ${((performance.now() - genStart) / 1000).toFixed(1)} s`,
    );
    for (const engine of engines) await throughput(engine, net, blocks, verifier);
    for (const engine of engines) await queryLatency(engine, net, 10_000);
    if (LARGE) for (const engine of engines) await queryLatency(engine, net, 1_000_000);
    for (const engine of engines) await costPerBlock(engine, net, 1000, verifier);
    if (LARGE) for (const engine of engines) await costPerBlock(engine, net, 100_000, verifier);
  } finally {
    await verifier.close();
  }
}

await main();

/**
 * Figures for the peer service against the real NATS and PostgreSQL, and PGlite: catch-up
 * speed from an empty database (blocks already on the stream), the live commit rate while
 * blocks arrive, and query latency over NATS and REST (with its reader token check). Prints
 * figures; asserts nothing.
 *
 *   npm run build && npm run bench -w @civic/peer
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishBlock, requestJson } from '@civic/messaging';
import { serializeBlock, type Block } from '@civic/protocol';
import { certificateToPem, mintToken, PEER_TOKEN_AUDIENCE, privateKeyToPem } from '@civic/identity';
import { BlockFactory, createTestNetwork, freshPgliteDir, type TestNetwork } from '@civic/ledger/testing';
import { createTestChannel, createTestDatabase, natsUrl } from '@civic/testkit';
import { loadPeerConfig, startPeer } from '@civic/peer';

const BLOCKS = 200;
const TXS_PER_BLOCK = 100;
const QUERIES = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** GETs as a reader of the channel (the REST API checks a bearer token per request). */
function readerFetch(net: TestNetwork): (url: string) => Promise<Response> {
  const { cert, key } = net.signer('rvo-client');
  const token = mintToken({
    cert,
    key,
    audience: PEER_TOKEN_AUDIENCE,
    ttlMs: 15 * 60_000,
    nowMs: Date.now(),
  });
  return (url) => fetch(url, { headers: { authorization: `Bearer ${token}` } });
}

async function waitForHeight(
  get: (url: string) => Promise<Response>,
  url: string,
  height: number,
): Promise<void> {
  for (;;) {
    const reply = (await (await get(`${url}/height`)).json()) as { height: number };
    if (reply.height >= height) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Signed blocks of `TXS_PER_BLOCK` transactions, each writing a key of its own. */
function buildBlocks(
  factory: BlockFactory,
  creator: ReturnType<TestNetwork['signer']>,
  from: number,
  count: number,
): Block[] {
  const blocks: Block[] = [];
  for (let b = from; b < from + count; b++) {
    blocks.push(
      factory.block(
        Array.from({ length: TXS_PER_BLOCK }, (_, t) =>
          factory.tx({
            creator,
            reads: [{ key: `g/${b}/${t}`, version: null }],
            writes: [{ key: `g/${b}/${t}`, value: { b, t } }],
          }),
        ),
      ),
    );
  }
  return blocks;
}

async function runEngine(engine: 'postgres' | 'pglite'): Promise<void> {
  const channel = await createTestChannel();
  const net = createTestNetwork({ channel: channel.channel });
  const get = readerFetch(net);
  const dir = mkdtempSync(join(tmpdir(), 'civic-peer-bench-'));
  const db = engine === 'postgres' ? await createTestDatabase('civic_bench') : undefined;
  try {
    const identity = net.signer('rvo-peer');
    writeFileSync(join(dir, 'cert.pem'), certificateToPem(identity.cert));
    writeFileSync(join(dir, 'key.pem'), privateKeyToPem(identity.key));
    writeFileSync(join(dir, 'genesis.block'), serializeBlock(net.genesis));
    const factory = new BlockFactory(net);
    const creator = net.signer('rvo-client');
    const before = [net.genesis, ...buildBlocks(factory, creator, 1, BLOCKS)];
    const during = buildBlocks(factory, creator, BLOCKS + 1, BLOCKS);
    for (const block of before) await publishBlock(channel.js, channel.channel, block);
    const env: Record<string, string> = {
      CHANNEL: channel.channel,
      PEER_ID: `bench-${engine}`,
      PEER_CERT: join(dir, 'cert.pem'),
      PEER_KEY: join(dir, 'key.pem'),
      PEER_MSP_ID: 'RVO',
      GENESIS_FILE: join(dir, 'genesis.block'),
      NATS_URL: natsUrl(),
      HTTP_PORT: '0',
      LOG_LEVEL: 'error',
      ...(db ? { DATABASE_URL: db.url } : { DATA_DIR: await freshPgliteDir(dir) }),
    };
    const start = performance.now();
    const peer = await startPeer(loadPeerConfig(env));
    try {
      await peer.started;
      await waitForHeight(get, peer.url, BLOCKS);
      const catchUp = (performance.now() - start) / 1000;
      console.log(
        `${engine.padEnd(8)} catch-up from zero: ${(BLOCKS / catchUp).toFixed(0)} blocks/s, ${((BLOCKS * TXS_PER_BLOCK) / catchUp).toFixed(0)} tx/s ` +
          `(${catchUp.toFixed(1)} s from process start, audit of the empty store included)`,
      );
      const liveStart = performance.now();
      for (const block of during) await publishBlock(channel.js, channel.channel, block);
      await waitForHeight(get, peer.url, BLOCKS * 2);
      const live = (performance.now() - liveStart) / 1000;
      console.log(
        `${engine.padEnd(8)} live, blocks published one by one while it follows: ${((BLOCKS * TXS_PER_BLOCK) / live).toFixed(0)} tx/s committed (${(BLOCKS / live).toFixed(1)} blocks/s)`,
      );
      for (const transport of ['nats', 'rest'] as const) {
        const latencies: number[] = [];
        for (let i = 0; i < QUERIES; i++) {
          const b = 1 + Math.floor(Math.random() * BLOCKS * 2);
          const t = Math.floor(Math.random() * TXS_PER_BLOCK);
          const t0 = performance.now();
          if (transport === 'nats') {
            await requestJson(
              channel.nc,
              `civic.${channel.channel}.query.bench-${engine}`,
              { type: 'state', namespace: 'assets', key: `g/${b}/${t}` },
              { timeoutMs: 5000 },
            );
          } else {
            await (await get(`${peer.url}/state/assets/g/${b}/${t}`)).json();
          }
          latencies.push(performance.now() - t0);
        }
        latencies.sort((a, b) => a - b);
        console.log(
          `${engine.padEnd(8)} state query over ${transport.padEnd(4)}, ${(BLOCKS * 2 * TXS_PER_BLOCK).toLocaleString('en')} keys: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
        );
      }
    } finally {
      await peer.stop();
    }
  } finally {
    await channel.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `peer benchmark: ${BLOCKS} blocks x ${TXS_PER_BLOCK} tx on the stream before start, ${BLOCKS} more while live`,
  );
  for (const engine of ['postgres', 'pglite'] as const) await runEngine(engine);
}

await main();

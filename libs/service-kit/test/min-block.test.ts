/**
 * The `minBlock` consistency token on a service built with createDomainApp, over the real NATS
 * and a stand-in ledger whose peer can be made to lag: a request asking for a block the peer has
 * not committed waits and answers once it has; past MIN_BLOCK_WAIT_MS it gets 503 PEER_BEHIND with
 * the figures and Retry-After; a malformed token is 400 naming minBlock; without one nothing
 * changes; the header works as the query does (the query wins); public routes ignore it.
 */
import { mintToken, type Gateway } from '@civic/gateway';
import { injectJson, natsUrl } from '@civic/testkit';
import { startStubLedger, type StubLedger } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDomainApp,
  createErrorMapping,
  GATEWAY,
  loadServiceEnv,
  ServiceMetrics,
  type DomainApp,
  type ServiceEnv,
} from '../src/index.js';
import { ThingsController } from './support/test-app.js';

const WAIT_MS = 1_500;
let commitDelayMs = 0;
let ledger: StubLedger;
let built: DomainApp<ServiceEnv, ServiceMetrics>;
let token: string;

beforeAll(async () => {
  ledger = await startStubLedger({ seed: 'service-kit-min-block', commitDelayMs: () => commitDelayMs });
  const config = loadServiceEnv(
    {
      NETWORK_DIR: ledger.dir,
      CHANNEL: ledger.channel.channel,
      ORG: 'Utrecht',
      IDENTITY: 'utrecht-subsidies',
      PEER_ID: 'utrecht-peer',
      NATS_URL: natsUrl(),
      LOG_LEVEL: 'silent',
      MIN_BLOCK_WAIT_MS: String(WAIT_MS),
    },
    { service: 'things', httpPort: 0 },
  );
  built = await createDomainApp(
    { config, logger: pino({ level: 'silent' }), shutdownHooks: false, gatewayBounds: { commitPollMs: 100 } },
    {
      privateTable: 'things_private',
      metrics: (c) => new ServiceMetrics(c),
      openApi: {},
      logicFor: undefined,
      errors: createErrorMapping(),
      module: () => ({ controllers: [ThingsController] }),
    },
  );
  const user = ledger.signer('utrecht-user1');
  token = mintToken({
    cert: user.cert,
    key: user.key,
    audience: 'things',
    ttlMs: 5 * 60_000,
    nowMs: Date.now(),
  });
}, 60_000);

afterAll(async () => {
  await built?.app.close();
  await ledger?.stop();
});

const peerHeight = () => ledger.peers.get('utrecht-peer')!.height;

function get(url: string, headers: Record<string, string> = {}, withToken = true) {
  return injectJson<{ error: Record<string, unknown> } & Record<string, unknown>>(built.app, {
    method: 'GET',
    url,
    headers,
    ...(withToken ? { token } : {}),
  });
}

/** Submits one transaction through the app's gateway; resolves with its block once the orderer has cut it. */
async function cutBlock(): Promise<{ block: number; committed: Promise<unknown> }> {
  const gateway = built.app.get<Gateway>(GATEWAY);
  const before = ledger.orderer.blocks.length;
  const committed = gateway.submit({
    namespace: 'subsidies',
    action: 'note',
    input: { at: Date.now() },
    logic: async (ctx, input) => {
      ctx.put(`note/${String(input.at)}-${Math.random()}`, input);
      ctx.emit('note.added', input);
      return { ok: true, value: null };
    },
  });
  for (let i = 0; ledger.orderer.blocks.length === before; i++) {
    if (i > 400) throw new Error('no block cut in 4 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { block: ledger.orderer.blocks.at(-1)!.header.number, committed };
}

describe('minBlock', () => {
  it('without it nothing changes; a block the peer has answers at once, by query or header', async () => {
    await ledger.settle();
    expect(await get('/things')).toMatchObject({ status: 200, body: { caller: 'Utrecht' } });
    const height = peerHeight();
    expect(await get(`/things?minBlock=${height}`)).toMatchObject({
      status: 200,
      body: { caller: 'Utrecht' },
    });
    expect(await get('/things', { 'civic-min-block': String(height) })).toMatchObject({ status: 200 });
    // The query's value wins over the header's.
    expect(await get('/things?minBlock=0', { 'civic-min-block': '999999' })).toMatchObject({ status: 200 });
  });

  it('waits for a block the peer has not committed yet and answers once it has', async () => {
    await ledger.settle();
    commitDelayMs = 600;
    try {
      const { block, committed } = await cutBlock();
      expect(peerHeight()).toBeLessThan(block);
      const started = performance.now();
      const reply = await get(`/things?minBlock=${block}`);
      const waitedMs = performance.now() - started;
      expect(reply).toMatchObject({ status: 200, body: { caller: 'Utrecht' } });
      expect(peerHeight()).toBeGreaterThanOrEqual(block);
      expect(waitedMs).toBeGreaterThan(100);
      expect(waitedMs).toBeLessThan(WAIT_MS);
      process.stdout.write(
        `minBlock ${block}: answered after ${waitedMs.toFixed(0)} ms (commit delay 600 ms)\n`,
      );
      await committed;
    } finally {
      commitDelayMs = 0;
    }
  });

  it('past MIN_BLOCK_WAIT_MS: 503 PEER_BEHIND with the peer height, the block asked for and Retry-After', async () => {
    await ledger.settle();
    const height = peerHeight();
    const wanted = height + 1_000;
    const started = performance.now();
    const reply = await get('/things', { 'civic-min-block': String(wanted) });
    const waitedMs = performance.now() - started;
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('1');
    expect(reply.body.error).toMatchObject({
      code: 'PEER_BEHIND',
      peerId: 'utrecht-peer',
      height,
      minBlock: wanted,
      waitedMs: WAIT_MS,
    });
    expect(String(reply.body.error['message'])).toContain(`is at block ${height}, not yet ${wanted}`);
    expect(waitedMs).toBeGreaterThanOrEqual(WAIT_MS - 50);
  });

  it('a malformed minBlock is 400 INVALID_INPUT naming it, in the query or the header', async () => {
    for (const bad of ['abc', '-1', '1.5', '1e3', '', '%201', '0x10', '99999999999999999']) {
      const reply = await get(`/things?minBlock=${bad}`);
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error, bad).toMatchObject({ code: 'INVALID_INPUT', field: 'minBlock' });
      expect(String(reply.body.error['message'])).toContain('minBlock');
    }
    const twice = await get('/things?minBlock=1&minBlock=2');
    expect(twice.status).toBe(400);
    expect(String(twice.body.error['message'])).toContain('given once');
    const header = await get('/things', { 'civic-min-block': 'soon' });
    expect(header.status).toBe(400);
    expect(header.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'minBlock' });
    expect(String(header.body.error['message'])).toContain('Civic-Min-Block');
    // Both are checked even though the query's value is the one used.
    expect((await get('/things?minBlock=1', { 'civic-min-block': 'x' })).status).toBe(400);
  });

  it('is checked after authentication, and public routes ignore it', async () => {
    const started = performance.now();
    expect((await get('/things?minBlock=999999', {}, false)).status).toBe(401);
    expect((await get('/healthz?minBlock=999999', {}, false)).status).toBe(200);
    expect((await get('/healthz?minBlock=abc', {}, false)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(WAIT_MS);
  });
});

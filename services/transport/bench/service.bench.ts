/**
 * Benchmark (not a test) of the service around the engine, on the real NATS and PostgreSQL with
 * the kit's stub ledger: a year of one driver's records (about 20,000 periods) uploaded as four
 * quarterly uploads (REST to commit), then the year's compliance at the company (private store,
 * hash check, engine) and at ILT (signed NATS fetch in chunks, hash check, engine).
 *
 *   npm run bench:service -w @civic/transport     (builds the packages it imports, compiles this file, runs it)
 */
import { cpus, loadavg } from 'node:os';
import { mintToken } from '@civic/gateway';
import { openPrivateStore } from '@civic/service-kit';
import { createTestDatabase, injectJson } from '@civic/testkit';
import { startStubLedger } from '@civic/testkit/stub-network';
import { createTransportApp, loadTransportConfig } from '@civic/transport';
import { pino } from 'pino';
import { generate } from './records.js';

const CARD = 'NB00000000005500';
const WEEK_MS = 7 * 86_400_000;
const START_MS = Date.UTC(2025, 0, 6);
const ORGS = ['RDW', 'Haulier', 'ILT'] as const;
type Org = (typeof ORGS)[number];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const ledger = await startStubLedger({ seed: 'transport-bench' });
const db = await createTestDatabase('civic_transport_bench');
const apps = {} as Record<Org, Awaited<ReturnType<typeof createTransportApp>>>;
try {
  for (const org of ORGS) {
    const s = ledger.signer(`${org.toLowerCase()}-transport`);
    apps[org] = await createTransportApp({
      config: loadTransportConfig({
        NETWORK_DIR: ledger.dir,
        CHANNEL: ledger.channel.channel,
        ORG: org,
        PEER_ID: 'utrecht-peer',
        LOG_LEVEL: 'silent',
        HTTP_PORT: '0',
      }),
      signer: s,
      logger: pino({ level: 'silent' }),
      privateStore: await openPrivateStore({ url: db.url, mspId: org, table: 'transport_private' }),
      shutdownHooks: false,
    });
  }
  const call = async (org: Org, method: 'GET' | 'POST', url: string, body?: unknown) => {
    const s = ledger.signer(`${org.toLowerCase()}-user1`);
    const token = mintToken({
      cert: s.cert,
      key: s.key,
      audience: 'transport',
      ttlMs: 600_000,
      nowMs: Date.now(),
    });
    const reply = await injectJson<Record<string, unknown>>(apps[org].app, {
      method,
      url,
      token,
      ...(body === undefined ? {} : { body }),
    });
    if (reply.status >= 300)
      throw new Error(`${method} ${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  for (const org of ORGS) {
    while ((await injectJson(apps[org].app, { method: 'GET', url: '/readyz' })).status !== 200)
      await new Promise((r) => setTimeout(r, 100));
  }
  await call('RDW', 'POST', '/cards', {
    cardNumber: CARD,
    driver: { name: 'Bench Driver', birthDate: '1970-01-01' },
    company: 'Haulier',
    validFrom: '2024-12-01',
    validUntil: '2029-11-30',
  });
  const year = generate(52, 561, START_MS);
  console.log(
    `transport service, node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; ${year.length} periods in a year`,
  );
  for (let q = 0; q < 4; q++) {
    const fromMs = START_MS + q * 13 * WEEK_MS;
    const part = year.filter(
      (a) => Date.parse(a.start) >= fromMs && Date.parse(a.start) < fromMs + 13 * WEEK_MS,
    );
    const t0 = performance.now();
    await call('Haulier', 'POST', `/drivers/${CARD}/records`, { activities: part });
    console.log(
      `upload of quarter ${q + 1}: ${String(part.length).padStart(5)} periods  ${(performance.now() - t0).toFixed(0).padStart(5)} ms (validate, store, engine over the window, commit)`,
    );
  }
  const range = `from=${new Date(START_MS + 5 * WEEK_MS).toISOString()}&to=${new Date(START_MS + 52 * WEEK_MS).toISOString()}`;
  for (const org of ['Haulier', 'ILT'] as const) {
    const times: number[] = [];
    let findings = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const view = await call(org, 'GET', `/drivers/${CARD}/compliance?${range}`);
      times.push(performance.now() - t0);
      findings = (view.findings as unknown[]).length;
    }
    console.log(
      `compliance over 47 weeks at ${org.padEnd(7)} median ${median(times).toFixed(0).padStart(5)} ms of 5 (${findings} findings)${org === 'ILT' ? ', records fetched over NATS and hash-checked' : ', from the private store, hash-checked'}`,
    );
  }
} finally {
  for (const org of ORGS) await apps[org]?.app.close().catch(() => undefined);
  await db.drop();
  await ledger.stop();
}

/**
 * Roadside check benchmark (`npm run bench -w @civic/parking`): a real network (three orderer
 * processes, a peer process on PostgreSQL, NATS: @civic/testkit/mesh) holding 10 000 valid cards,
 * and the Police's parking service in this process, listening on a socket. Measures checks over
 * HTTP (keep-alive): cold (first check of a card: its proofs are fetched from the peer and
 * verified), warm (proofs cached by version: point reads only) one at a time, and warm with 16
 * in flight for throughput; then the access-log batches that recorded them.
 *
 * Needs NATS and PostgreSQL (as the tests) and the programs built (the npm script builds them).
 */
import { mintToken, type Gateway } from '@civic/gateway';
import { loadSigner } from '@civic/identity';
import { GATEWAY, openPrivateStore } from '@civic/service-kit';
import { createTestDatabase } from '@civic/testkit';
import { startMesh } from '@civic/testkit/mesh';
import { pino } from 'pino';
import {
  createParkingApp,
  loadParkingConfig,
  makeCardNumber,
  type CardRecord,
  type HolderRecord,
} from '../dist/index.js';
import { RoadsideChecks } from '../dist/checks/roadside-checks.service.js';

const CARDS = Number(process.env.BENCH_CARDS ?? 10_000);
const CARDS_PER_TX = 250;
const COLD_CHECKS = Math.min(2_000, CARDS);
const WARM_CHECKS = 2_000;
const THROUGHPUT_MS = 5_000;
const IN_FLIGHT = 16;

const hex = (n: number) => n.toString(16).padStart(64, '0');
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${pct(s, 0.5).toFixed(2)} ms, p99 ${pct(s, 0.99).toFixed(2)} ms, max ${s.at(-1)!.toFixed(2)} ms`;
};

async function main(): Promise<void> {
  const t0 = performance.now();
  const mesh = await startMesh({ peers: ['utrecht-peer'] });
  const privateDb = await createTestDatabase('civic_parking_bench');
  const quiet = pino({ level: 'silent' });
  const start = async (org: 'Utrecht' | 'Police', extra: Record<string, string> = {}) =>
    createParkingApp({
      config: loadParkingConfig({
        NETWORK_DIR: mesh.dir,
        ORG: org,
        PEER_ID: 'utrecht-peer',
        NATS_URL: mesh.natsUrl,
        LOG_LEVEL: 'silent',
        HTTP_PORT: '0',
        CHECK_AREA: '0344',
        ...extra,
      }),
      logger: quiet,
      privateStore: await openPrivateStore({ url: privateDb.url, mspId: org, table: 'parking_private' }),
      shutdownHooks: false,
    });
  const utrecht = await start('Utrecht');
  const police = await start('Police', { CHECK_LOG_BATCH_MAX: '200', CHECK_LOG_FLUSH_MS: '200' });
  try {
    process.stdout.write(`network up in ${Math.round(performance.now() - t0)} ms; seeding ${CARDS} cards…\n`);
    const seedMs = await seed(utrecht.app.get<Gateway>(GATEWAY));
    process.stdout.write(
      `seeded in ${Math.round(seedMs)} ms (${Math.ceil(CARDS / CARDS_PER_TX)} transactions of ${CARDS_PER_TX} holders and cards)\n`,
    );

    await police.app.listen({ port: 0, host: '127.0.0.1' });
    const base = await police.app.getUrl();
    const officer = loadSigner(mesh.dir, 'police-user1');
    const token = mintToken({
      cert: officer.cert,
      key: officer.key,
      audience: 'parking',
      ttlMs: 15 * 60_000,
      nowMs: Date.now(),
    });
    const check = async (i: number): Promise<number> => {
      const started = performance.now();
      const res = await fetch(`${base}/checks/cards/${makeCardNumber('Utrecht', 1 + (i % CARDS))}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { check?: { status: string } };
      if (res.status !== 200 || body.check?.status !== 'VALID')
        throw new Error(`check ${i}: ${res.status} ${JSON.stringify(body)}`);
      return performance.now() - started;
    };

    const cold: number[] = [];
    for (let i = 0; i < COLD_CHECKS; i++) cold.push(await check(i));
    const warm: number[] = [];
    for (let i = 0; i < WARM_CHECKS; i++) warm.push(await check(i % COLD_CHECKS));

    // The same warm checks without HTTP and authentication: the service's own share.
    const checks = police.app.get(RoadsideChecks);
    const caller = {
      mspId: 'Police',
      role: 'client',
      commonName: 'police-user1',
      subject: 'CN=police-user1, OU=client, O=Police',
      serialHex: '01',
      expiresAtMs: Date.now() + 600_000,
    };
    const direct: number[] = [];
    for (let i = 0; i < WARM_CHECKS; i++) {
      const t = performance.now();
      await checks.card(makeCardNumber('Utrecht', 1 + (i % COLD_CHECKS)), '0344', caller);
      direct.push(performance.now() - t);
    }
    const reads: number[] = [];
    const peer = police.app.get<Gateway>(GATEWAY).peer;
    for (let i = 0; i < WARM_CHECKS; i++) {
      const t = performance.now();
      await peer.getState('parking', `card/${makeCardNumber('Utrecht', 1 + (i % COLD_CHECKS))}`);
      reads.push(performance.now() - t);
    }

    let done = 0;
    const loaded: number[] = [];
    const until = performance.now() + THROUGHPUT_MS;
    const tStart = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, w) => {
        for (let i = w; performance.now() < until; i += IN_FLIGHT) {
          loaded.push(await check(i % COLD_CHECKS));
          done++;
        }
      }),
    );
    const rate = done / ((performance.now() - tStart) / 1000);

    const flushStart = performance.now();
    await police.checkLog.log.flush();
    const flushMs = performance.now() - flushStart;
    const text = await police.metrics.registry.getSingleMetricAsString(
      'civic_parking_check_log_recorded_total',
    );
    const recorded = Number(/ (\d+)$/m.exec(text)?.[1] ?? 0);

    process.stdout.write(
      [
        '',
        `roadside card checks over HTTP, Police service → utrecht-peer (PostgreSQL), ${CARDS} cards on the chain`,
        `  cold (proofs fetched and verified), 1 in flight: ${summary(cold)}  (${COLD_CHECKS} checks)`,
        `  warm (proofs cached), 1 in flight:               ${summary(warm)}  (${WARM_CHECKS} checks)`,
        `  warm, in process (no HTTP, no token check):     ${summary(direct)}`,
        `  one point read from the peer over NATS (floor): ${summary(reads)}`,
        `  warm, ${IN_FLIGHT} in flight: ${Math.round(rate)} checks/s, ${summary(loaded)}  (${done} checks in ${THROUGHPUT_MS / 1000} s)`,
        `  access log: ${recorded} checks recorded in check.record batches of up to 200 (last flush ${Math.round(flushMs)} ms)`,
        '',
      ].join('\n'),
    );
  } finally {
    await police.app.close();
    await utrecht.app.close();
    await mesh.close();
    await privateDb.drop();
  }
}

/**
 * Puts CARDS holders with a valid card each on the chain, CARDS_PER_TX per transaction, through
 * Utrecht's gateway (a bench-only action under the namespace's default policy: the peers validate
 * signatures, policies and MVCC, not the domain's rules, so the records are written as the domain
 * would have written them).
 */
async function seed(gateway: Gateway): Promise<number> {
  const started = performance.now();
  const today = new Date().toISOString().slice(0, 10);
  const until = `${Number(today.slice(0, 4)) + 4}${today.slice(4)}`;
  const txs = Math.ceil(CARDS / CARDS_PER_TX);
  const batches = Array.from({ length: txs }, (_, b) => b);
  const worker = async () => {
    for (let b = batches.shift(); b !== undefined; b = batches.shift()) {
      const outcome = await gateway.submit({
        namespace: 'parking',
        action: 'bench.seed',
        input: { batch: b },
        logic: async (ctx) => {
          for (let i = b * CARDS_PER_TX; i < Math.min(CARDS, (b + 1) * CARDS_PER_TX); i++) {
            const hid = hex(i + 1);
            const cardNumber = makeCardNumber('Utrecht', i + 1);
            const holder: HolderRecord = {
              hid,
              municipality: 'Utrecht',
              status: 'active',
              generation: 1,
              currentCard: cardNumber,
              cards: [cardNumber],
              assessments: [`ASM-B${i}`],
              place: null,
              places: [],
              registeredOn: today,
            };
            const card: CardRecord = {
              cardNumber,
              hid,
              kind: 'driver',
              issuer: 'Utrecht',
              assessmentId: `ASM-B${i}`,
              generation: 1,
              validFrom: today,
              validUntil: until,
              issuedAt: ctx.txTime,
              status: 'active',
            };
            ctx.put(`holder/${hid}`, holder);
            ctx.put(`card/${cardNumber}`, card);
          }
          ctx.emit('bench.seeded', { batch: b });
          return { ok: true as const, value: b };
        },
      });
      if (outcome.status !== 'COMMITTED') throw new Error(`seed batch ${b} refused`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return performance.now() - started;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

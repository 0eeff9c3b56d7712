/**
 * Multi-process: the transport services of RDW, Haulier and ILT against three real orderer
 * processes (Raft), a real peer process on PostgreSQL and the real NATS (testkit's mesh). A company
 * uploads four weeks of a driver's records; an ILT inspector fetches them through ILT's service,
 * gets the same findings as the company, records a check; the driver sees the access. Prints the
 * latency of each step.
 */
import { memberTokens } from '@civic/gateway/testing';
import { loadSigner } from '@civic/identity';
import { generateKeyPair, toHex } from '@civic/protocol';
import { openPrivateStore } from '@civic/service-kit';
import {
  startServiceInstances,
  type CallOptions,
  type JsonReply,
  type ServiceInstances,
} from '@civic/testkit';
import { buildMeshPrograms, startMesh, type Mesh } from '@civic/testkit/mesh';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../bench/records.js';
import { createTransportApp, type TransportApp } from '../src/app.js';
import { mintDriverToken } from '../src/auth/driver-token.js';
import { loadTransportConfig } from '../src/config/transport-config.js';

const ORGS = ['RDW', 'Haulier', 'ILT'] as const;
type Org = (typeof ORGS)[number];
const CARD = 'NB00000000004400';
/** Monday 2026-09-07: four weeks of records, well before the test runs. */
const START_MS = Date.UTC(2026, 8, 7);
const RANGE = 'from=2026-09-07T00:00:00Z&to=2026-10-05T00:00:00Z';

let mesh: Mesh;
let instances: ServiceInstances<Org, TransportApp>;
const driverKey = generateKeyPair();

beforeAll(async () => {
  buildMeshPrograms();
  mesh = await startMesh({ peers: ['utrecht-peer'] });
  instances = await startServiceInstances({
    orgs: ORGS,
    database: 'civic_transport_mp',
    token: memberTokens((user) => loadSigner(mesh.dir, user), 'transport'),
    create: async (org, databaseUrl) =>
      createTransportApp({
        config: loadTransportConfig({
          NETWORK_DIR: mesh.dir,
          CHANNEL: mesh.channel.channel,
          ORG: org,
          PEER_ID: 'utrecht-peer',
          NATS_URL: mesh.natsUrl,
          HTTP_PORT: '0',
          LOG_LEVEL: 'silent',
          ACCESS_LOG_FLUSH_MS: '100',
        }),
        logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
        privateStore: await openPrivateStore({ url: databaseUrl, mspId: org, table: 'transport_private' }),
        shutdownHooks: false,
      }),
  });
}, 300_000);

afterAll(async () => {
  await instances?.close();
  await mesh?.close();
}, 120_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
function call<T = any>(
  org: Org,
  method: 'GET' | 'POST',
  url: string,
  options: CallOptions = {},
): Promise<JsonReply<T>> {
  return instances.call<T>(org, method, url, options);
}

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await step();
  console.log(`transport e2e: ${label} ${(performance.now() - t0).toFixed(0)} ms`);
  return result;
}

describe('transport on real orderers and a real peer', () => {
  it('a company uploads, an ILT inspector checks the same findings, the driver sees the access', async () => {
    const issued = await timed('card.issue', () =>
      call('RDW', 'POST', '/cards', {
        body: {
          cardNumber: CARD,
          driver: { name: 'A. Jansen', birthDate: '1975-02-03' },
          driverKey: toHex(driverKey.publicKey),
          company: 'Haulier',
          validFrom: '2025-01-01',
          validUntil: '2029-12-31',
        },
      }),
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);

    const activities = generate(4, 165, START_MS);
    const upload = await timed(`records.upload of ${activities.length} periods`, () =>
      call('Haulier', 'POST', `/drivers/${CARD}/records`, { body: { activities } }),
    );
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    expect(upload.body.upload).toMatchObject({ count: activities.length, uploader: 'Haulier' });
    expect(upload.body.tx.block).toBeGreaterThan(issued.body.tx.block);

    const company = await timed('compliance at the company', () =>
      call('Haulier', 'GET', `/drivers/${CARD}/compliance?${RANGE}`),
    );
    expect(company.status).toBe(200);
    expect(company.body.summary.weeks.length).toBeGreaterThanOrEqual(4);
    const inspector = await timed('compliance at ILT (fetched over NATS, hash-checked)', () =>
      call('ILT', 'GET', `/drivers/${CARD}/compliance?${RANGE}&purpose=COMPANY&reference=ILT-E2E`),
    );
    expect(inspector.status, JSON.stringify(inspector.body)).toBe(200);
    expect(inspector.body.findings).toEqual(company.body.findings);
    expect(inspector.body.summary).toEqual(company.body.summary);
    expect(inspector.body.uploads).toEqual([
      expect.objectContaining({ uploadId: upload.body.upload.uploadId, hash: upload.body.upload.hash }),
    ]);

    const check = await timed('check.record with the engine infringements', () =>
      call('ILT', 'POST', '/inspections', {
        body: { cardNumber: CARD, kind: 'COMPANY', from: '2026-09-07T00:00:00Z', to: '2026-10-05T00:00:00Z' },
      }),
    );
    expect(check.status, JSON.stringify(check.body)).toBe(201);
    expect(check.body.inspection).toMatchObject({
      inspector: 'ILT',
      uploads: [{ uploadId: upload.body.upload.uploadId, hash: upload.body.upload.hash }],
    });

    const driverToken = mintDriverToken({
      cardNumber: CARD,
      key: driverKey,
      audience: 'transport',
      ttlMs: 5 * 60_000,
      nowMs: Date.now(),
    });
    const t0 = performance.now();
    let entries: { by: string; purpose: string; reference: string | null }[] = [];
    while (entries.length < 2 && performance.now() - t0 < 30_000) {
      entries =
        (await call('Haulier', 'GET', `/drivers/${CARD}/access-log`, { token: driverToken })).body.entries ??
        [];
      if (entries.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(
      `transport e2e: the ILT accesses in the driver's log after ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ by: 'ILT', purpose: 'COMPANY', reference: 'ILT-E2E' }),
    );
    expect(entries.every((e) => e.by === 'ILT')).toBe(true);
    const findings = await call('Haulier', 'GET', `/drivers/${CARD}/findings?${RANGE}`, {
      token: driverToken,
    });
    expect(findings.status).toBe(200);
  });
});

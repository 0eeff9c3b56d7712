/**
 * Multi-process, end to end: the parking services of Utrecht, Amsterdam, the Assessor and the
 * Police (in this process) on three real orderer processes (Raft), a real peer process on
 * PostgreSQL and the real NATS (@civic/testkit/mesh). Proofs come from the peer's `proof` query
 * and erasure events from its event publishing. A card is issued (the Assessor endorses), a
 * duplicate makes the old card invalid at the next check, the holder is erased: the Assessor's
 * service erases the assessment details on the holder.erased event, no private store holds
 * anything for the holder, the person appears nowhere on the chain, and `civic peer audit`
 * (the CLI, against the peer's database) still accepts the chain. Prints the latencies seen.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { memberTokens } from '@civic/gateway/testing';
import { loadSigner } from '@civic/identity';
import { openLedgerStore } from '@civic/ledger';
import { openPrivateStore, type PrivateStore } from '@civic/service-kit';
import { buildMeshPrograms, startMesh, WORKSPACE_ROOT, type Mesh } from '@civic/testkit/mesh';
import { startServiceInstances, type ServiceInstances } from '@civic/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParkingApp, type ParkingApp } from '../src/app.js';
import { loadParkingConfig } from '../src/config/parking-config.js';
import { drivesWalks50m, person } from './support/people.js';

const ORGS = ['Utrecht', 'Amsterdam', 'Assessor', 'Police'] as const;
type Org = (typeof ORGS)[number];

let mesh: Mesh;
let instances: ServiceInstances<Org, ParkingApp>;
let apps: Readonly<Record<Org, ParkingApp>>;
const stores = {} as Record<Org, PrivateStore>;

beforeAll(async () => {
  buildMeshPrograms();
  mesh = await startMesh({ peers: ['utrecht-peer'] });
  instances = await startServiceInstances({
    orgs: ORGS,
    database: 'civic_parking',
    token: memberTokens((user) => loadSigner(mesh.dir, user), 'parking'),
    create: async (org, databaseUrl) => {
      stores[org] = await openPrivateStore({ url: databaseUrl, mspId: org, table: 'parking_private' });
      return createParkingApp({
        config: loadParkingConfig({
          NETWORK_DIR: mesh.dir,
          ORG: org,
          PEER_ID: 'utrecht-peer',
          NATS_URL: mesh.natsUrl,
          LOG_LEVEL: 'silent',
          CHECK_AREA: '0344',
          CHECK_LOG_FLUSH_MS: '50',
        }),
        logger: pino({ level: 'silent' }),
        privateStore: stores[org],
        shutdownHooks: false,
      });
    },
  });
  apps = instances.apps;
}, 300_000);

afterAll(async () => {
  await instances?.close();
  await mesh?.close();
}, 120_000);

/** A request as the organisation's first user; the answer's body, its status checked. */
async function call(
  org: Org,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  status = 201,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
): Promise<any> {
  const reply = await instances.call(org, method, url, body === undefined ? {} : { body });
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  return reply.body;
}

const timed = async <T>(label: string, times: Record<string, number>, run: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const result = await run();
  times[label] = Math.round(performance.now() - t0);
  return result;
};

describe('parking on real orderers and a real peer', () => {
  it('duplicate then check, erasure, and the chain still passes civic peer audit', async () => {
    const times: Record<string, number> = {};
    const who = person();
    const notes = 'Mp-test: Hyperion-syndroom, zeldzaam';
    const { holder } = await timed('register', times, () => call('Utrecht', 'POST', '/holders', who));
    const { assessment } = await timed('assess', times, () =>
      call('Assessor', 'POST', '/assessments', { hid: holder.hid, details: drivesWalks50m(notes) }),
    );
    const issued = await timed('issue (endorsed)', times, () =>
      call('Utrecht', 'POST', '/cards', {
        hid: holder.hid,
        kind: 'driver',
        assessmentId: assessment.assessmentId,
      }),
    );
    expect(issued.tx.endorsedBy).toEqual(['Assessor']);
    const first = await timed('check (cold)', times, () =>
      call('Police', 'GET', `/checks/cards/${issued.card.cardNumber}`, undefined, 200),
    );
    expect(first.check.status).toBe('VALID');
    expect(first.proof.records).toHaveLength(2);
    await timed('check (warm)', times, () =>
      call('Police', 'GET', `/checks/cards/${issued.card.cardNumber}`, undefined, 200),
    );

    const dup = await timed('duplicate (endorsed)', times, () =>
      call('Utrecht', 'POST', `/cards/${issued.card.cardNumber}/duplicate`, { reason: 'lost' }),
    );
    const old = await call('Police', 'GET', `/checks/cards/${issued.card.cardNumber}`, undefined, 200);
    expect(old.check).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
      supersededBy: dup.card.cardNumber,
    });
    expect(old.proof.records[0]).toMatchObject({ block: dup.tx.block, txId: dup.tx.txId });

    await call('Utrecht', 'POST', '/places', { hid: holder.hid, plate: '56-XZ-78', address: who.address });
    await apps.Police.checkLog.log.flush();
    expect(await stores.Assessor.countSubject(holder.hid)).toBe(1);
    expect(await stores.Utrecht.countSubject(holder.hid)).toBe(3);

    const erased = await timed('erasure', times, () =>
      call('Utrecht', 'POST', `/holders/${holder.hid}/erasure`),
    );
    expect(erased.holder.status).toBe('erased');
    const deadline = Date.now() + 20_000;
    while ((await stores.Assessor.countSubject(holder.hid)) > 0) {
      if (Date.now() > deadline) throw new Error('the Assessor did not erase the details');
      await new Promise((r) => setTimeout(r, 100));
    }
    times['assessor erasure seen'] = 1;
    for (const org of ORGS) expect(await stores[org].countSubject(holder.hid), org).toBe(0);
    expect(
      (await call('Police', 'GET', `/checks/cards/${dup.card.cardNumber}`, undefined, 200)).check.reason,
    ).toBe('HOLDER_ERASED');

    const peerDb = mesh.peers.get('utrecht-peer')!.database.url;
    const store = await openLedgerStore({ channel: mesh.channel.channel, databaseUrl: peerDb });
    try {
      const head = await store.head();
      const chain = JSON.stringify(await store.blocksFrom(0, head.height + 1));
      for (const secret of [who.personId, who.name, who.address.street, notes])
        expect(chain).not.toContain(secret);
    } finally {
      await store.close();
    }

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(WORKSPACE_ROOT, 'tools/civic/bin/civic.js'),
        'peer',
        'audit',
        '--channel',
        mesh.channel.channel,
        '--database-url',
        peerDb,
      ],
      { cwd: WORKSPACE_ROOT },
    );
    expect(stdout).toContain(
      `audit passed: the stored chain of ${mesh.channel.channel} verifies from genesis`,
    );
    process.stdout.write(`parking on real orderers and peer, ms: ${JSON.stringify(times)}\n`);
  });
});

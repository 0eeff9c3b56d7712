/**
 * The parking services of the development network's four organisations (Utrecht, Amsterdam,
 * Assessor, Police), in this process, on the real NATS and PostgreSQL: a stand-in orderer that
 * cuts signed blocks, one peer running libs/ledger's real validation and commit over a PostgreSQL
 * database of its own (`utrecht-peer`, which every instance reads, as in the dev network), the
 * peer's event publishing, and the private stores in one more database (rows kept apart by
 * organisation). Requests go through fastify's inject (no sockets).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetwork, devNetworkSpec, loadSigner, seededKeySource, writeNetwork } from '@civic/identity';
import { mintToken } from '@civic/gateway';
import { LedgerQueries } from '@civic/ledger';
import type { BlockSigner, Signer } from '@civic/protocol';
import { openPrivateStore, type PrivateStore } from '@civic/service-kit';
import {
  createTestChannel,
  createTestDatabase,
  natsUrl,
  type TestChannel,
  type TestDatabase,
} from '@civic/testkit';
import { EventPublisher, LedgerPeer, StubOrderer } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { createParkingApp, type ParkingApp } from '../../src/app.js';
import { loadParkingConfig, type ParkingConfig } from '../../src/config/parking-config.js';
import type { ProofSource, PeerProofReply } from '../../src/ledger/record-proofs.js';

export const ORGS = ['Utrecht', 'Amsterdam', 'Assessor', 'Police'] as const;
export type Org = (typeof ORGS)[number];

export interface Reply {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ParkingMesh {
  readonly channel: TestChannel;
  readonly dir: string;
  readonly peer: LedgerPeer;
  readonly orderer: StubOrderer;
  readonly events: EventPublisher;
  readonly apps: Readonly<Record<Org, ParkingApp>>;
  readonly stores: Readonly<Record<Org, PrivateStore>>;
  readonly privateDb: TestDatabase;
  /** A token of `user` (identity name) for the `parking` audience (or another). */
  token(user: string, audience?: string): string;
  /** A request to `org`'s service as `user` (no user: no Authorization header). */
  call(
    org: Org,
    method: 'GET' | 'POST',
    url: string,
    user?: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  height(): number;
  stop(): Promise<void>;
}

export interface ParkingMeshOptions {
  /** Overrides of each instance's environment (CHECK_LOG_FLUSH_MS…). */
  readonly env?: Readonly<Record<string, string>>;
  readonly clock?: () => number;
}

const FAST_BOUNDS = {
  submitTimeoutMs: 2_000,
  submitBackoffMs: 20,
  commitPollMs: 100,
  minHeightWaitMs: 3_000,
  endorseTimeoutMs: 5_000,
  commitTimeoutMs: 15_000,
};

export async function startParkingMesh(options: ParkingMeshOptions = {}): Promise<ParkingMesh> {
  const channel = await createTestChannel();
  const dir = mkdtempSync(join(tmpdir(), 'parking-mesh-'));
  const created = createNetwork(devNetworkSpec(channel.channel), {
    timeMs: Date.now() - 3_600_000,
    keys: seededKeySource('parking-service-tests'),
    genesisNonce: '00'.repeat(16),
  });
  writeNetwork(dir, created.network, {
    genesisBytes: created.genesisBytes,
    createdAt: new Date().toISOString(),
    natsUrl: natsUrl(),
  });
  const signer = (name: string): Signer => {
    const s = loadSigner(dir, name);
    return { mspId: s.mspId, cert: s.cert, key: s.key };
  };
  const first = created.network.config.consenters[0]!;
  const consenter: BlockSigner = {
    nodeId: first.nodeId,
    mspId: first.mspId,
    cert: first.cert,
    key: signer(first.nodeId).key,
  };
  const base = { nc: channel.nc, js: channel.js, channel: channel.channel, genesis: created.genesis };
  const orderer = await StubOrderer.start({ ...base, consenter, batchMs: 15 });
  const peer = await LedgerPeer.start({ ...base, peerId: 'utrecht-peer', signer: signer('utrecht-peer') });
  const events = await EventPublisher.start({
    js: channel.js,
    channel: channel.channel,
    peerId: 'utrecht-peer',
    store: peer.store,
  });
  const queries = new LedgerQueries(peer.store, {
    channel: channel.channel,
    peerId: 'utrecht-peer',
    signer: signer('utrecht-peer'),
  });
  const proofSource: ProofSource = {
    proof: async (txId) => (await queries.proof(txId)) as unknown as PeerProofReply,
  };
  const privateDb = await createTestDatabase('civic_parking');
  const apps = {} as Record<Org, ParkingApp>;
  const stores = {} as Record<Org, PrivateStore>;
  for (const org of ORGS) {
    const config: ParkingConfig = loadParkingConfig({
      NETWORK_DIR: dir,
      ORG: org,
      PEER_ID: 'utrecht-peer',
      NATS_URL: natsUrl(),
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      CHECK_LOG_FLUSH_MS: '50',
      ...(org === 'Police' ? { CHECK_AREA: '0344' } : {}),
      ...options.env,
    });
    stores[org] = await openPrivateStore({ url: privateDb.url, mspId: org, table: 'parking_private' });
    apps[org] = await createParkingApp({
      config,
      signer: signer(`${org.toLowerCase()}-parking`),
      logger: pino({ level: 'silent' }),
      privateStore: stores[org],
      gatewayBounds: FAST_BOUNDS,
      proofSource,
      shutdownHooks: false,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }
  const token = (user: string, audience = 'parking') => {
    const s = signer(user);
    return mintToken({ cert: s.cert, key: s.key, audience, ttlMs: 10 * 60_000, nowMs: Date.now() });
  };
  const tokens = new Map<string, string>();
  const cachedToken = (user: string) => {
    let t = tokens.get(user);
    if (t === undefined) tokens.set(user, (t = token(user)));
    return t;
  };
  let stopped = false;
  return {
    channel,
    dir,
    peer,
    orderer,
    events,
    apps,
    stores,
    privateDb,
    token,
    height: () => peer.height,
    async call(org, method, url, user, body, headers = {}) {
      const res = await apps[org].app.inject({
        method,
        url,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(user ? { authorization: `Bearer ${cachedToken(user)}` } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = res.body;
      let parsed: unknown = text;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (metrics)
      }
      return { status: res.statusCode, body: parsed };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const org of ORGS) await apps[org]?.app.close().catch(() => undefined);
      await events.stop();
      await orderer.stop();
      await peer.stop();
      await privateDb.drop();
      await channel.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

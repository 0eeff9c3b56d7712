/**
 * The parking services of the development network's four organisations (Utrecht, Amsterdam,
 * Assessor, Police), in this process, on the real NATS and PostgreSQL: testkit's stub ledger (a
 * stand-in orderer that cuts signed blocks, `utrecht-peer` running libs/ledger's real validation
 * and commit over a PostgreSQL database of its own, which every instance reads, as in the dev
 * network, and its event publishing) and testkit's service instances (the private stores in one
 * more database, rows kept apart by organisation; requests through fastify's inject).
 */
import { memberTokens } from '@civic/gateway/testing';
import { openPrivateStore, type PrivateStore } from '@civic/service-kit';
import {
  natsUrl,
  startServiceInstances,
  TEST_GATEWAY_BOUNDS,
  type TestChannel,
  type TestDatabase,
} from '@civic/testkit';
import {
  startStubLedger,
  type EventPublisher,
  type LedgerPeer,
  type StubOrderer,
} from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { createParkingApp, type ParkingApp } from '../../src/app.js';
import { loadParkingConfig, type ParkingConfig } from '../../src/config/parking-config.js';
import type { ProofSource } from '../../src/ledger/record-proofs.js';

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

export async function startParkingMesh(options: ParkingMeshOptions = {}): Promise<ParkingMesh> {
  const ledger = await startStubLedger({ seed: 'parking-service-tests', events: true });
  const peer = ledger.peers.get('utrecht-peer')!;
  const proofSource: ProofSource = {
    proof: (txId) => peer.queries.proof(txId),
  };
  const token = (user: string, audience = 'parking') => memberTokens(ledger.signer, audience)(user);
  const stores = {} as Record<Org, PrivateStore>;
  const instances = await startServiceInstances({
    orgs: ORGS,
    database: 'civic_parking',
    token,
    create: async (org, databaseUrl) => {
      const config: ParkingConfig = loadParkingConfig({
        NETWORK_DIR: ledger.dir,
        ORG: org,
        PEER_ID: 'utrecht-peer',
        NATS_URL: natsUrl(),
        LOG_LEVEL: 'silent',
        HTTP_PORT: '0',
        CHECK_LOG_FLUSH_MS: '50',
        ...(org === 'Police' ? { CHECK_AREA: '0344' } : {}),
        ...options.env,
      });
      stores[org] = await openPrivateStore({ url: databaseUrl, mspId: org, table: 'parking_private' });
      return createParkingApp({
        config,
        logger: pino({ level: 'silent' }),
        privateStore: stores[org],
        gatewayBounds: TEST_GATEWAY_BOUNDS,
        proofSource,
        shutdownHooks: false,
        ...(options.clock ? { clock: options.clock } : {}),
      });
    },
  }).catch(async (error: unknown) => {
    await ledger.stop();
    throw error;
  });
  return {
    channel: ledger.channel,
    dir: ledger.dir,
    peer,
    orderer: ledger.orderer,
    events: ledger.events.get('utrecht-peer')!,
    apps: instances.apps,
    stores,
    privateDb: instances.privateDb!,
    token,
    height: () => peer.height,
    call: (org, method, url, user, body, headers) =>
      instances.call(org, method, url, {
        user: user ?? null,
        ...(body === undefined ? {} : { body }),
        ...(headers === undefined ? {} : { headers }),
      }),
    async stop() {
      await instances.close();
      await ledger.stop();
    },
  };
}

/**
 * The transport services of the development network's four organisations (RDW, Haulier, ILT,
 * Police) in this process, on the real NATS and PostgreSQL: testkit's stub ledger (a stand-in
 * orderer and `utrecht-peer` running libs/ledger, which every instance reads, as in the dev
 * network) and testkit's service instances (private stores in a database of their own, rows kept
 * apart by organisation; requests through fastify's inject).
 */
import { memberTokens } from '@civic/gateway/testing';
import { generateKeyPair, toHex, type Ed25519KeyPair } from '@civic/protocol';
import { openPrivateStore, type PrivateStore } from '@civic/service-kit';
import {
  natsUrl,
  startServiceInstances,
  TEST_GATEWAY_BOUNDS,
  type CallOptions,
  type JsonReply,
} from '@civic/testkit';
import { startStubLedger, type StubLedger } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { createTransportApp, type TransportApp } from '../../src/app.js';
import { mintDriverToken } from '../../src/auth/driver-token.js';
import { loadTransportConfig } from '../../src/config/transport-config.js';

export const ORGS = ['RDW', 'Haulier', 'ILT', 'Police'] as const;
export type Org = (typeof ORGS)[number];

export interface TransportMesh {
  readonly ledger: StubLedger;
  readonly apps: Readonly<Record<Org, TransportApp>>;
  readonly stores: Readonly<Record<Org, PrivateStore>>;
  token(user: string): string;
  /** A new card holder's key pair and the token it signs for `cardNumber`. */
  driverKey(): { key: Ed25519KeyPair; hex: string };
  driverToken(cardNumber: string, key: Ed25519KeyPair, ttlMs?: number): string;
  call<T = any>(org: Org, method: 'GET' | 'POST', url: string, options?: CallOptions): Promise<JsonReply<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export interface TransportMeshOptions {
  /** Extra environment per organisation (ACCESS_LOG_FLUSH_MS…). */
  readonly env?: Partial<Record<Org, Readonly<Record<string, string>>>>;
}

export async function startTransportMesh(options: TransportMeshOptions = {}): Promise<TransportMesh> {
  const ledger = await startStubLedger({ seed: 'transport-service-tests' });
  const stores = {} as Record<Org, PrivateStore>;
  const instances = await startServiceInstances({
    orgs: ORGS,
    database: 'civic_transport',
    token: memberTokens(ledger.signer, 'transport'),
    create: async (org, databaseUrl) =>
      createTransportApp({
        config: loadTransportConfig({
          NETWORK_DIR: ledger.dir,
          CHANNEL: ledger.channel.channel,
          ORG: org,
          PEER_ID: 'utrecht-peer',
          NATS_URL: natsUrl(),
          LOG_LEVEL: 'silent',
          HTTP_PORT: '0',
          ACCESS_LOG_FLUSH_MS: '50',
          BODY_LIMIT_BYTES: String(1024 * 1024),
          ...options.env?.[org],
        }),
        logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
        privateStore: (stores[org] = await openPrivateStore({
          url: databaseUrl,
          mspId: org,
          table: 'transport_private',
        })),
        gatewayBounds: TEST_GATEWAY_BOUNDS,
        shutdownHooks: false,
      }),
  }).catch(async (error: unknown) => {
    await ledger.stop();
    throw error;
  });
  return {
    ledger,
    apps: instances.apps,
    stores,
    token: instances.token,
    driverKey: () => {
      const key = generateKeyPair();
      return { key, hex: toHex(key.publicKey) };
    },
    driverToken: (cardNumber, key, ttlMs = 10 * 60_000) =>
      mintDriverToken({ cardNumber, key, audience: 'transport', ttlMs, nowMs: Date.now() }),
    call: instances.call,
    async stop() {
      await instances.close();
      await ledger.stop();
    },
  };
}

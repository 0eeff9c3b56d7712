/**
 * The transport services of the development network's four organisations (RDW, Haulier, ILT,
 * Police) in this process, on the real NATS and PostgreSQL: the kit's stub ledger (a stand-in
 * orderer and `utrecht-peer` running libs/ledger, which every instance reads, as in the dev
 * network) and the private stores in a database of their own (rows kept apart by organisation).
 * Requests go through fastify's inject.
 */
import { mintToken } from '@civic/gateway';
import { generateKeyPair, toHex, type Ed25519KeyPair } from '@civic/protocol';
import { openPrivateStore, type PrivateStore } from '@civic/service-kit';
import { createTestDatabase, injectJson, natsUrl, type JsonReply, type TestDatabase } from '@civic/testkit';
import { startStubLedger, type StubLedger } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { createTransportApp, type TransportApp } from '../../src/app.js';
import { mintDriverToken } from '../../src/auth/driver-token.js';
import { loadTransportConfig } from '../../src/config/transport-config.js';

export const ORGS = ['RDW', 'Haulier', 'ILT', 'Police'] as const;
export type Org = (typeof ORGS)[number];

export interface CallOptions {
  /** Identity whose member token is sent (default `<org>-user1`); null: none. */
  readonly user?: string | null;
  /** A token to send instead (a driver token). */
  readonly token?: string;
  readonly body?: unknown;
}

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

const FAST_BOUNDS = {
  submitTimeoutMs: 2_000,
  submitBackoffMs: 20,
  commitPollMs: 100,
  minHeightWaitMs: 3_000,
  endorseTimeoutMs: 5_000,
  commitTimeoutMs: 15_000,
};

export interface TransportMeshOptions {
  /** Extra environment per organisation (ACCESS_LOG_FLUSH_MS…). */
  readonly env?: Partial<Record<Org, Readonly<Record<string, string>>>>;
}

export async function startTransportMesh(options: TransportMeshOptions = {}): Promise<TransportMesh> {
  const ledger = await startStubLedger({ seed: 'transport-service-tests' });
  let privateDb: TestDatabase | undefined;
  const apps = {} as Record<Org, TransportApp>;
  const stores = {} as Record<Org, PrivateStore>;
  try {
    privateDb = await createTestDatabase('civic_transport');
    for (const org of ORGS) {
      stores[org] = await openPrivateStore({ url: privateDb.url, mspId: org, table: 'transport_private' });
      apps[org] = await createTransportApp({
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
        signer: ledger.signer(`${org.toLowerCase()}-transport`),
        logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
        privateStore: stores[org],
        gatewayBounds: FAST_BOUNDS,
        shutdownHooks: false,
      });
    }
  } catch (error) {
    for (const app of Object.values(apps)) await app.app.close().catch(() => undefined);
    await privateDb?.drop();
    await ledger.stop();
    throw error;
  }
  for (const org of ORGS) await ready(apps[org]);
  const tokens = new Map<string, string>();
  const token = (user: string) => {
    let t = tokens.get(user);
    if (t === undefined) {
      const s = ledger.signer(user);
      tokens.set(
        user,
        (t = mintToken({
          cert: s.cert,
          key: s.key,
          audience: 'transport',
          ttlMs: 10 * 60_000,
          nowMs: Date.now(),
        })),
      );
    }
    return t;
  };
  let stopped = false;
  return {
    ledger,
    apps,
    stores,
    token,
    driverKey: () => {
      const key = generateKeyPair();
      return { key, hex: toHex(key.publicKey) };
    },
    driverToken: (cardNumber, key, ttlMs = 10 * 60_000) =>
      mintDriverToken({ cardNumber, key, audience: 'transport', ttlMs, nowMs: Date.now() }),
    call: (org, method, url, options = {}) => {
      const user = options.user === undefined ? `${org.toLowerCase()}-user1` : options.user;
      const bearer = options.token ?? (user === null ? undefined : token(user));
      return injectJson(apps[org].app, {
        method,
        url,
        ...(bearer === undefined ? {} : { token: bearer }),
        ...(options.body === undefined ? {} : { body: options.body }),
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const org of ORGS) await apps[org].app.close().catch(() => undefined);
      await privateDb!.drop();
      await ledger.stop();
    },
  };
}

/** Waits until the instance's /readyz answers 200 (its peer has the channel config). */
async function ready(app: TransportApp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await injectJson(app.app, { method: 'GET', url: '/readyz' });
    if (reply.status === 200) return;
    if (Date.now() > deadline) throw new Error(`not ready: ${JSON.stringify(reply.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

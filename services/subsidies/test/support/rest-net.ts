/**
 * The three authorities' subsidies services in one process, over the real NATS, testkit's stub
 * ledger (a stand-in orderer and two peers running libs/ledger: rvo-peer; utrecht-peer, which
 * Amsterdam reads too, as in the development network) and testkit's service instances (private
 * stores in memory). Requests go through fastify's inject: the whole HTTP stack without sockets.
 */
import { mintToken } from '@civic/gateway';
import { natsUrl, startServiceInstances, type JsonReply } from '@civic/testkit';
import { startStubLedger, type LedgerPeer, type StubOrderer } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import {
  createSubsidiesApp,
  loadSubsidiesConfig,
  type SubsidiesApp,
  type SubsidiesConfig,
} from '../../src/index.js';

export const ORGS = ['RVO', 'Utrecht', 'Amsterdam'] as const;
export type Org = (typeof ORGS)[number];

/** Which peer each authority reads (as in the development network). */
export const PEER_OF: Readonly<Record<Org, string>> = {
  RVO: 'rvo-peer',
  Utrecht: 'utrecht-peer',
  Amsterdam: 'utrecht-peer',
};

/** The settings of one authority's instance in tests. */
export function testConfig(
  org: Org,
  channel: string,
  networkDir: string,
  nats: string,
  env: Readonly<Record<string, string>> = {},
): SubsidiesConfig {
  return loadSubsidiesConfig({
    NETWORK_DIR: networkDir,
    CHANNEL: channel,
    ORG: org,
    PEER_ID: PEER_OF[org],
    NATS_URL: nats,
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
export type Reply<T = any> = JsonReply<T>;

export interface RequestOptions {
  /** Identity name whose token is sent (default `<org>-user1`); null: no Authorization header. */
  readonly user?: string | null;
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /**
   * Wait first until every peer has committed every block cut so far (default true): requests
   * then read a settled network. False for tests about a peer that lags.
   */
  readonly settle?: boolean;
}

export interface RestNet {
  readonly orderer: StubOrderer;
  /** The network folder (network.json, keys), as `civic network init` writes it. */
  readonly dir: string;
  readonly peers: Readonly<Record<string, LedgerPeer>>;
  readonly apps: Readonly<Record<Org, SubsidiesApp>>;
  /** Holds every block this long before the peer commits it (a peer behind the others). */
  setCommitDelay(peerId: string, ms: number): void;
  token(user: string, options?: { audience?: string; nowMs?: number; ttlMs?: number }): string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
  request<T = any>(
    org: Org,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options?: RequestOptions,
  ): Promise<Reply<T>>;
  close(): Promise<void>;
}

const quiet = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

export async function startRestNet(
  options: { bounds?: Record<string, number>; env?: Readonly<Record<string, string>> } = {},
): Promise<RestNet> {
  const delays = new Map<string, number>();
  const ledger = await startStubLedger({
    seed: 'subsidies-rest',
    peerIds: ['rvo-peer', 'utrecht-peer'],
    batchMs: 20,
    commitDelayMs: (peerId) => delays.get(peerId) ?? 0,
  });
  const token: RestNet['token'] = (user, o = {}) => {
    const signer = ledger.signer(user);
    return mintToken({
      cert: signer.cert,
      key: signer.key,
      audience: o.audience ?? 'subsidies',
      ttlMs: o.ttlMs ?? 5 * 60_000,
      nowMs: o.nowMs ?? Date.now(),
    });
  };
  const instances = await startServiceInstances({
    orgs: ORGS,
    token: (user) => token(user),
    create: (org) =>
      createSubsidiesApp({
        config: testConfig(org, ledger.channel.channel, ledger.dir, natsUrl(), options.env),
        logger: quiet.child({ org }),
        gatewayBounds: { commitPollMs: 250, submitTimeoutMs: 1_000, ...options.bounds },
        shutdownHooks: false,
      }),
  }).catch(async (error: unknown) => {
    await ledger.stop();
    throw error;
  });
  return {
    orderer: ledger.orderer,
    dir: ledger.dir,
    peers: Object.fromEntries(ledger.peers),
    apps: instances.apps,
    token,
    setCommitDelay: (peerId, ms) => void delays.set(peerId, ms),
    async request(org, method, url, o = {}) {
      if (o.settle !== false) await ledger.settle();
      const body = o.rawBody ?? o.body;
      return instances.call(org, method, url, {
        ...(o.user === undefined ? {} : { user: o.user }),
        ...(o.token === undefined ? {} : { token: o.token }),
        ...(body === undefined ? {} : { body }),
        ...(o.headers === undefined ? {} : { headers: o.headers }),
      });
    },
    async close() {
      await instances.close();
      await ledger.stop();
    },
  };
}

/**
 * The three authorities' subsidies services in one process, over the real NATS, a stand-in
 * orderer and two peers running libs/ledger (rvo-peer; utrecht-peer, which Amsterdam reads too,
 * as in the development network). Requests go through fastify's inject: the whole HTTP stack
 * without sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@civic/gateway';
import { writeNetwork } from '@civic/identity';
import { serializeBlock } from '@civic/protocol';
import { createTestChannel, injectJson, natsUrl, type TestChannel } from '@civic/testkit';
import { LedgerPeer, StubOrderer, testDevNetwork, type TestDevNetwork } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { createSubsidiesApp, type SubsidiesApp } from '../../src/index.js';
import type { SubsidiesConfig } from '../../src/index.js';
import { GATEWAY } from '@civic/service-kit';
import type { Gateway } from '@civic/gateway';

export const ORGS = ['RVO', 'Utrecht', 'Amsterdam'] as const;
export type Org = (typeof ORGS)[number];

/** Which peer each authority reads (as in the development network). */
export const PEER_OF: Readonly<Record<Org, string>> = {
  RVO: 'rvo-peer',
  Utrecht: 'utrecht-peer',
  Amsterdam: 'utrecht-peer',
};

/** The settings of one authority's instance in tests. */
export function testConfig(org: Org, channel: string, networkDir: string, nats: string): SubsidiesConfig {
  return {
    service: 'subsidies',
    channel,
    networkDir,
    mspId: org,
    identity: `${org.toLowerCase()}-subsidies`,
    peerId: PEER_OF[org],
    natsUrl: nats,
    httpPort: 0,
    httpHost: '127.0.0.1',
    databaseUrl: undefined,
    bodyLimitBytes: 64 * 1024,
    logLevel: 'silent',
    otlpEndpoint: undefined,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
export interface Reply<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, unknown>;
}

export interface RequestOptions {
  /** Identity name whose token is sent (default `<org>-user1`); null: no Authorization header. */
  readonly user?: string | null;
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  /**
   * Wait first until every peer has committed every block cut so far (default true): requests
   * then read a settled network. False for tests about a peer that lags.
   */
  readonly settle?: boolean;
}

export interface RestNet {
  readonly channel: TestChannel;
  readonly net: TestDevNetwork;
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

export async function startRestNet(options: { bounds?: Record<string, number> } = {}): Promise<RestNet> {
  const channel = await createTestChannel();
  const net = testDevNetwork(channel.channel, 'subsidies-rest');
  const dir = mkdtempSync(join(tmpdir(), 'civic-subsidies-'));
  writeNetwork(dir, net.network, {
    genesisBytes: serializeBlock(net.genesis),
    createdAt: new Date().toISOString(),
    natsUrl: natsUrl(),
  });
  const orderer = await StubOrderer.start({
    nc: channel.nc,
    js: channel.js,
    channel: channel.channel,
    genesis: net.genesis,
    consenter: net.consenter,
    batchMs: 20,
  });
  const peers: Record<string, LedgerPeer> = {};
  const delays: Record<string, number> = {};
  for (const peerId of ['rvo-peer', 'utrecht-peer']) {
    delays[peerId] = 0;
    peers[peerId] = await LedgerPeer.start({
      nc: channel.nc,
      js: channel.js,
      channel: channel.channel,
      peerId,
      genesis: net.genesis,
      signer: net.signer(peerId),
      commitDelayMs: () => delays[peerId]!,
    });
  }
  const apps = {} as Record<Org, SubsidiesApp>;
  for (const org of ORGS) {
    const config = testConfig(org, channel.channel, dir, natsUrl());
    apps[org] = await createSubsidiesApp({
      config,
      logger: quiet.child({ org }),
      gatewayBounds: { commitPollMs: 250, submitTimeoutMs: 1_000, ...options.bounds },
      shutdownHooks: false,
    });
  }
  for (const org of ORGS) {
    const gateway = apps[org].app.get<Gateway>(GATEWAY);
    await gateway.watcher.waitForHeight(0, 10_000);
  }
  const token: RestNet['token'] = (user, o = {}) => {
    const signer = net.signer(user);
    return mintToken({
      cert: signer.cert,
      key: signer.key,
      audience: o.audience ?? 'subsidies',
      ttlMs: o.ttlMs ?? 5 * 60_000,
      nowMs: o.nowMs ?? Date.now(),
    });
  };
  return {
    channel,
    net,
    orderer,
    dir,
    peers,
    apps,
    token,
    setCommitDelay: (peerId, ms) => void (delays[peerId] = ms),
    async request(org, method, url, o = {}) {
      if (o.settle !== false) await settle(orderer, Object.values(peers));
      const user = o.user === undefined ? `${org.toLowerCase()}-user1` : o.user;
      const bearer = o.token ?? (user === null ? undefined : token(user));
      const body = o.rawBody ?? o.body;
      return injectJson(apps[org].app, {
        method,
        url,
        ...(bearer === undefined ? {} : { token: bearer }),
        ...(body === undefined ? {} : { body }),
      });
    },
    async close() {
      for (const org of ORGS) await apps[org]?.app.close();
      await orderer.stop();
      for (const peer of Object.values(peers)) await peer.stop();
      await channel.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every peer's height reaches the orderer's last block (bounded: 10 s). */
async function settle(orderer: StubOrderer, peers: readonly LedgerPeer[]): Promise<void> {
  const target = orderer.blocks.at(-1)?.header.number ?? 0;
  const deadline = performance.now() + 10_000;
  while (peers.some((p) => p.height < target)) {
    if (performance.now() > deadline) throw new Error(`peers did not reach block ${target} in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

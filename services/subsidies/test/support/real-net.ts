/**
 * The real network for the multi-process test: three orderer processes (Raft, services/orderer),
 * two peer processes (services/peer) on PostgreSQL databases of their own, the real NATS, and
 * the three authorities' subsidies services in this process (requests through fastify inject).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken, type Gateway } from '@civic/gateway';
import { GATEWAY } from '@civic/service-kit';
import {
  OrdererCluster,
  createTestNetwork,
  writeTestNetwork,
  type TestNetwork,
} from '@civic/orderer/testing';
import {
  createTestChannel,
  createTestDatabase,
  natsUrl,
  type TestChannel,
  type TestDatabase,
} from '@civic/testkit';
import { pino } from 'pino';
import { createSubsidiesApp, type SubsidiesApp, type SubsidiesConfig } from '../../src/index.js';
import { ORGS, type Org, type Reply } from './rest-net.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PEER_MAIN = join(ROOT, 'services/peer/dist/main.js');
const PEER_OF: Record<Org, string> = { RVO: 'rvo-peer', Utrecht: 'utrecht-peer', Amsterdam: 'utrecht-peer' };

/** Builds the orderer and the peer (their dist/ is what runs), under the workspace's build lock. */
export function buildPrograms(): void {
  execFileSync('flock', ['/tmp/civic-build.lock', 'npx', 'tsc', '-b', 'services/orderer', 'services/peer'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

class PeerProcess {
  readonly log: string[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.#child = spawn(process.execPath, [PEER_MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.log.length > 2000) this.log.splice(0, this.log.length - 2000);
    };
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)));
  }

  async stop(): Promise<void> {
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface RealNet {
  readonly channel: TestChannel;
  readonly net: TestNetwork;
  readonly orderers: OrdererCluster;
  readonly apps: Readonly<Record<Org, SubsidiesApp>>;
  request(org: Org, method: 'GET' | 'POST', url: string, body?: unknown, user?: string): Promise<Reply>;
  close(): Promise<void>;
}

const quiet = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

export async function startRealNet(): Promise<RealNet> {
  const channel = await createTestChannel();
  const dir = mkdtempSync(join(tmpdir(), 'civic-subsidies-mp-'));
  const net = writeTestNetwork(createTestNetwork({ channel: channel.channel }), dir, natsUrl());
  const orderers = new OrdererCluster(
    { networkDir: dir, natsUrl: natsUrl(), logLevel: 'info', keepLines: 500 },
    ['orderer1', 'orderer2', 'orderer3'],
  );
  const databases: TestDatabase[] = [];
  const peers: PeerProcess[] = [];
  const apps = {} as Record<Org, SubsidiesApp>;
  const close = async (): Promise<void> => {
    for (const org of ORGS) await apps[org]?.app.close();
    await Promise.all(peers.map((p) => p.stop()));
    await orderers.stop();
    for (const db of databases) await db.drop();
    await channel.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await orderers.start();
    await orderers.waitForLeader();
    for (const peerId of ['rvo-peer', 'utrecht-peer']) {
      const db = await createTestDatabase('civic_peer');
      databases.push(db);
      peers.push(
        new PeerProcess({
          CHANNEL: channel.channel,
          PEER_ID: peerId,
          NETWORK_DIR: dir,
          DATABASE_URL: db.url,
          NATS_URL: natsUrl(),
          HTTP_PORT: '0',
          VERIFY_WORKERS: '1',
          LOG_LEVEL: 'warn',
        }),
      );
    }
    for (const org of ORGS) {
      const config: SubsidiesConfig = {
        service: 'subsidies',
        channel: channel.channel,
        networkDir: dir,
        mspId: org,
        identity: `${org.toLowerCase()}-subsidies`,
        peerId: PEER_OF[org],
        natsUrl: natsUrl(),
        httpPort: 0,
        httpHost: '127.0.0.1',
        databaseUrl: undefined,
        bodyLimitBytes: 64 * 1024,
        logLevel: 'silent',
        otlpEndpoint: undefined,
      };
      apps[org] = await createSubsidiesApp({ config, logger: quiet.child({ org }), shutdownHooks: false });
    }
    for (const org of ORGS) await untilPeerAnswers(apps[org].app.get<Gateway>(GATEWAY), 60_000);
  } catch (error) {
    await close().catch(() => undefined);
    throw new Error(
      `real network did not start: ${(error as Error).message}\n${peers.flatMap((p) => p.log.slice(-10)).join('\n')}`,
      { cause: error },
    );
  }
  return {
    channel,
    net,
    orderers,
    apps,
    async request(org, method, url, body, user) {
      const signer = net.identity(user ?? `${org.toLowerCase()}-user1`);
      const token = mintToken({
        cert: signer.cert,
        key: signer.key,
        audience: 'subsidies',
        ttlMs: 600_000,
        nowMs: Date.now(),
      });
      const response = await apps[org].app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return {
        status: response.statusCode,
        body: JSON.parse(response.body) as never,
        headers: response.headers,
      };
    },
    close,
  };
}

/** Waits until the gateway's own peer answers with the genesis block committed (bounded). */
async function untilPeerAnswers(gateway: Gateway, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const height = await gateway.peer.height().catch(() => -1);
    if (height >= 0) return;
    if (performance.now() > deadline)
      throw new Error(`peer ${gateway.peer.peerId} not ready in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

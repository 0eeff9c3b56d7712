/**
 * A real network for multi-process tests of what runs on top of it (domain services): three
 * orderer processes (Raft, services/orderer), peer processes (services/peer) on PostgreSQL
 * databases of their own, and the real NATS, on a channel of their own. The domain services are
 * started by the caller (in its process, from `dir`), since each has its own factory.
 *
 * Needs the programs built (`buildMeshPrograms()` runs `tsc -b` under the shared build lock).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_TOKEN_AUDIENCE, tokenSource } from '@civic/identity';
import { requestJson, subjects } from '@civic/messaging';
import {
  createTestNetwork,
  OrdererCluster,
  writeTestNetwork,
  type TestNetwork,
} from '@civic/orderer/testing';
import { createTestChannel, type TestChannel } from '../nats-channel.js';
import { natsUrl } from '../nats.js';
import { createTestDatabase, type TestDatabase } from '../postgres.js';
import { PeerProcess, WORKSPACE_ROOT } from './peer-process.js';

export interface MeshOptions {
  /** Peers to run (default the dev network's `utrecht-peer`). */
  readonly peers?: readonly string[];
  /** Orderers (default orderer1..3). */
  readonly orderers?: readonly string[];
  /** Peer and orderer log level (default warn / info). */
  readonly logLevel?: string;
}

export interface MeshPeer {
  readonly process: PeerProcess;
  /** The peer's own database (for `civic peer audit --database-url`). */
  readonly database: TestDatabase;
}

export interface Mesh {
  readonly channel: TestChannel;
  /** The network folder (network.json, keys, genesis), as `civic network init` writes it. */
  readonly dir: string;
  readonly net: TestNetwork;
  readonly natsUrl: string;
  readonly orderers: OrdererCluster;
  readonly peers: ReadonlyMap<string, MeshPeer>;
  /**
   * Bearer tokens for the peers' REST APIs (audience `peer`), of `user` of the network (default
   * `utrecht-user1`, a reader under the dev network's `ANY member`), renewed as they age.
   */
  peerTokens(user?: string): () => string;
  /** Stops the peers and orderers, drops their databases, removes the channel and the folder. */
  close(): Promise<void>;
}

/** Builds what the mesh runs (orderer, peer, the civic CLI) under the workspace's build lock. */
export function buildMeshPrograms(extra: readonly string[] = []): void {
  execFileSync(
    'flock',
    [
      '/tmp/civic-build.lock',
      join(WORKSPACE_ROOT, 'node_modules/.bin/tsc'),
      '-b',
      'services/orderer',
      'services/peer',
      'tools/civic',
      ...extra,
    ],
    { cwd: WORKSPACE_ROOT, stdio: 'inherit' },
  );
}

export async function startMesh(options: MeshOptions = {}): Promise<Mesh> {
  const url = natsUrl();
  const channel = await createTestChannel();
  const dir = mkdtempSync(join(tmpdir(), 'civic-mesh-'));
  const net = writeTestNetwork(createTestNetwork({ channel: channel.channel }), dir, url);
  const orderers = new OrdererCluster(
    { networkDir: dir, natsUrl: url, logLevel: options.logLevel ?? 'info', keepLines: 500 },
    options.orderers ?? ['orderer1', 'orderer2', 'orderer3'],
  );
  const peers = new Map<string, MeshPeer>();
  const close = async (): Promise<void> => {
    await Promise.all([...peers.values()].map((p) => p.process.stop()));
    await orderers.stop();
    for (const peer of peers.values()) await peer.database.drop();
    await channel.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await orderers.start();
    await orderers.waitForLeader();
    for (const peerId of options.peers ?? ['utrecht-peer']) {
      const database = await createTestDatabase('civic_peer');
      const process = new PeerProcess(peerId, {
        CHANNEL: channel.channel,
        PEER_ID: peerId,
        NETWORK_DIR: dir,
        DATABASE_URL: database.url,
        NATS_URL: url,
        HTTP_PORT: '0',
        VERIFY_WORKERS: '1',
        LOG_LEVEL: options.logLevel ?? 'warn',
      });
      peers.set(peerId, { process, database });
    }
    for (const peerId of peers.keys()) await untilPeerAnswers(channel, peerId, 60_000);
  } catch (error) {
    const logs = [...peers.values()].flatMap((p) => p.process.log.slice(-10));
    await close().catch(() => undefined);
    throw new Error(`mesh did not start: ${(error as Error).message}\n${logs.join('\n')}`, { cause: error });
  }
  const peerTokens = (user = 'utrecht-user1') => {
    const { cert, key } = net.identity(user);
    return tokenSource({ cert, key, audience: PEER_TOKEN_AUDIENCE, ttlMs: 10 * 60_000 });
  };
  return { channel, dir, net, natsUrl: url, orderers, peers, peerTokens, close };
}

/** Waits until a peer answers its query subject with the genesis block committed (bounded). */
async function untilPeerAnswers(channel: TestChannel, peerId: string, timeoutMs: number): Promise<void> {
  const subject = subjects(channel.channel).query(peerId);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const reply = await requestJson<{ height: number }>(
      channel.nc,
      subject,
      { query: 'height' },
      { timeoutMs: 1_000 },
    ).catch(() => ({ height: -1 }));
    if (reply.height >= 0) return;
    if (performance.now() > deadline) throw new Error(`peer ${peerId} not ready in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

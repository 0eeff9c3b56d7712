import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeNats, connectNats, deleteStreams } from '@civic/messaging';
import { natsUrl, uniqueChannel } from '@civic/testkit';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { BatchConfig, RaftTimingConfig } from '@civic/identity';
import { decideBlock, genesisState } from '../../src/chain/chain-state.js';
import { BlockStore } from '../../src/storage/block-store.js';
import { OrdererCluster } from '../../src/testing/cluster.js';
import { BlockObserver } from '../../src/testing/load.js';
import { createTestNetwork, writeTestNetwork, type TestNetwork } from '../../src/testing/network.js';
import { parseBlock } from '@civic/protocol';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** Builds the orderer (the processes run dist/main.js), under the shared build lock. */
export function buildOrderer(): void {
  execFileSync(
    'flock',
    ['/tmp/civic-build.lock', join(ROOT, 'node_modules', '.bin', 'tsc'), '-b', 'services/orderer'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export interface ClusterFixture {
  readonly net: TestNetwork;
  readonly dir: string;
  readonly channel: string;
  readonly cluster: OrdererCluster;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly observer: BlockObserver;
  dataDir(nodeId: string): string;
  cleanup(): Promise<void>;
}

export interface FixtureOptions {
  readonly nodes?: readonly string[];
  readonly raft?: RaftTimingConfig;
  readonly batch?: BatchConfig;
  readonly env?: Readonly<Record<string, string>>;
  /** Print the orderers' warnings and errors. */
  readonly verbose?: boolean;
}

/** A network in a temp folder with a unique channel, its orderers started, an observer of the stream. */
export async function startCluster(options: FixtureOptions = {}): Promise<ClusterFixture> {
  const channel = uniqueChannel('to');
  const dir = mkdtempSync(join(tmpdir(), 'orderer-mp-'));
  const net = writeTestNetwork(
    createTestNetwork({
      channel,
      ...(options.raft ? { raft: options.raft } : {}),
      ...(options.batch ? { batch: options.batch } : {}),
    }),
    dir,
    natsUrl(),
  );
  const cluster = new OrdererCluster(
    {
      networkDir: dir,
      natsUrl: natsUrl(),
      ...(options.env ? { env: options.env } : {}),
      onLine: (line) => {
        if (options.verbose !== false && /"level":(40|50|60)/.test(line))
          process.stdout.write(`${line.slice(0, 600)}\n`);
      },
    },
    options.nodes ?? ['orderer1', 'orderer2', 'orderer3'],
  );
  const nc = await connectNats({ url: natsUrl(), name: `test-${channel}` });
  const js = jetstream(nc);
  const observer = new BlockObserver(js, channel);
  const fixture: ClusterFixture = {
    net,
    dir,
    channel,
    cluster,
    nc,
    js,
    observer,
    dataDir: (nodeId) => join(dir, 'data', nodeId),
    async cleanup() {
      await observer.stop().catch(() => undefined);
      await Promise.all([...cluster.nodes.values()].map((n) => n.kill()));
      await deleteStreams(await jetstreamManager(nc), channel).catch(() => undefined);
      await closeNats(nc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
    await cluster.waitForLeader(60_000);
    await observer.start();
    return fixture;
  } catch (error) {
    await fixture.cleanup();
    throw error;
  }
}

/** The bytes of a node's block store files (after it stopped). */
export async function storeFiles(dataDir: string): Promise<{ data: Buffer; index: Buffer }> {
  return {
    data: await readFile(join(dataDir, 'blocks', 'blocks.dat')),
    index: await readFile(join(dataDir, 'blocks', 'blocks.idx')),
  };
}

/** Opens a stopped node's block store and checks that every block extends and verifies. */
export async function verifyStoredChain(dataDir: string): Promise<{ height: number; txIds: string[] }> {
  const { store } = await BlockStore.open(join(dataDir, 'blocks'));
  try {
    let state = genesisState(parseBlock(await store.read(0)));
    const txIds: string[] = [];
    for (let n = 1; n < store.height; n++) {
      const decision = decideBlock(state, await store.read(n), null);
      if (decision.kind !== 'append')
        throw new Error(`stored block ${n} does not verify: ${JSON.stringify(decision)}`);
      state = decision.next;
      txIds.push(...decision.txIds);
    }
    return { height: store.height, txIds };
  } finally {
    await store.close();
  }
}

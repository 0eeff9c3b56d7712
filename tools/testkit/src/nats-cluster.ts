import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { uniqueSuffix } from './names.js';

/** One nats-server process of a test cluster. */
export interface NatsClusterNode {
  readonly name: string;
  /** Client URL, `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly clusterPort: number;
  /** JetStream store directory (inside the cluster's temp dir). */
  readonly storeDir: string;
  readonly pid: number;
  /** True until the process has exited. */
  readonly alive: boolean;
  /** SIGKILL, as a crash: waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after `graceMs`: waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL (a client given all reconnects to the survivors). */
  readonly urls: readonly string[];
  /** Stops every process by PID and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  /** Number of servers; 3 is the smallest cluster that survives the loss of one. */
  readonly size?: number;
  /** The nats-server binary. Default `NATS_SERVER_BIN`, else /usr/sbin/nats-server. */
  readonly serverBin?: string;
  /** How long to wait for every node to answer and JetStream to place `size` replicas. Default 30 000 ms. */
  readonly readyTimeoutMs?: number;
}

/** Processes started here and still running: killed if the test process exits early. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port the OS reports free on 127.0.0.1 (released at once; fine for tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `url` answers and its JetStream has a meta leader (account info succeeds) and,
 * when `replicas` > 1, knows enough peers to place a stream with that many replicas (a
 * throwaway memory stream is created and deleted): right after start a meta leader may
 * exist before every server has joined, and placements fail with "no suitable peers".
 */
async function waitForJetStream(url: string, replicas: number, deadline: number): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const nc = await connect({ servers: url, timeout: 1000, reconnect: false });
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2000, checkAPI: false });
        await jsm.getAccountInfo();
        if (replicas > 1) {
          const name = `TESTKIT_READY_${uniqueSuffix()}`;
          await jsm.streams.add({
            name,
            subjects: [`testkit.ready.${name}`],
            storage: StorageType.Memory,
            num_replicas: replicas,
          });
          await jsm.streams.delete(name);
        }
        return;
      } finally {
        await nc.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(200);
    }
  }
  throw new Error(`nats-server at ${url} has no JetStream ready for ${replicas} replicas in time`, {
    cause: lastError,
  });
}

/**
 * Starts a cluster of nats-server processes with JetStream on free 127.0.0.1 ports, each
 * storing in its own folder of a temp dir and logging to `<dir>/<name>.log`; resolves when
 * every node answers with a JetStream meta leader and a stream with `size` replicas can be
 * placed. Always call `stop()` (in afterAll).
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  if (!Number.isSafeInteger(size) || size < 1 || size > 7)
    throw new Error(`cluster size must be 1..7, got ${size}`);
  const serverBin = options.serverBin ?? process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
  const dir = await mkdtemp(join(tmpdir(), 'civic-nats-'));
  const clusterName = `civic-t-${uniqueSuffix()}`;
  const ports: { port: number; clusterPort: number }[] = [];
  for (let i = 0; i < size; i += 1) ports.push({ port: await freePort(), clusterPort: await freePort() });
  const routes = ports.map((p) => `nats://127.0.0.1:${p.clusterPort}`).join(',');

  const nodes: NatsClusterNode[] = ports.map(({ port, clusterPort }, i) => {
    const name = `n${i + 1}`;
    const storeDir = join(dir, name);
    const child = spawn(
      serverBin,
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-n',
        name,
        '-js',
        '-sd',
        storeDir,
        '--cluster_name',
        clusterName,
        '--cluster',
        `nats://127.0.0.1:${clusterPort}`,
        '--routes',
        routes,
        '-l',
        join(dir, `${name}.log`),
      ],
      { stdio: 'ignore' },
    );
    running.add(child);
    child.once('exit', () => running.delete(child));
    const signal = async (sig: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      await exited(child);
    };
    return {
      name,
      url: `nats://127.0.0.1:${port}`,
      port,
      clusterPort,
      storeDir,
      pid: child.pid ?? -1,
      get alive() {
        return child.exitCode === null && child.signalCode === null;
      },
      kill: () => signal('SIGKILL'),
      async stop(graceMs = 5000) {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          await signal('SIGTERM');
        } finally {
          clearTimeout(timer);
        }
      },
    };
  });

  let stopped = false;
  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((n) => n.url),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(nodes.map((n) => n.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    for (const node of nodes) {
      if (!node.alive)
        throw new Error(`nats-server ${node.name} exited at start (log: ${join(dir, `${node.name}.log`)})`);
      await waitForJetStream(node.url, 1, deadline);
    }
    await waitForJetStream(nodes[0]!.url, size, deadline);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

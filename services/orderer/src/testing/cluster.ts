import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrdererStatus } from '../node/orderer-node.js';

/**
 * Real orderer processes for multi-process tests, benchmarks and `civic orderer cluster`:
 * each is `node dist/main.js --network DIR --node ID` with its HTTP port taken from its
 * "listening" log line. Logs are kept (bounded) and parsed; `event` lines (role changes,
 * leader ready) are recorded with their `atMs` so tests can time failovers.
 */
export const ORDERER_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');

export interface OrdererEvent {
  readonly event: string;
  readonly atMs: number;
  readonly [key: string]: unknown;
}

export interface OrdererProcessOptions {
  readonly networkDir: string;
  readonly nodeId: string;
  readonly dataDir?: string;
  readonly natsUrl?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly logLevel?: string;
  /** Called with each log line (e.g. to prefix and print them). */
  readonly onLine?: (line: string) => void;
  /** Lines kept in memory. */
  readonly keepLines?: number;
}

export class OrdererProcess {
  private child: ChildProcess | null = null;
  private port: number | null = null;
  readonly lines: string[] = [];
  readonly events: OrdererEvent[] = [];
  private exitWaiters: ((code: number | null) => void)[] = [];
  private exited = true;

  constructor(readonly options: OrdererProcessOptions) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  get httpPort(): number | null {
    return this.port;
  }

  /** Spawns the process and waits for its HTTP server. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (!this.exited) throw new Error(`${this.nodeId} is already running`);
    const o = this.options;
    const args = [ORDERER_MAIN, '--network', o.networkDir, '--node', o.nodeId, '--http-port', '0'];
    if (o.dataDir) args.push('--data', o.dataDir);
    if (o.natsUrl) args.push('--nats', o.natsUrl);
    args.push('--log-level', o.logLevel ?? 'info');
    this.port = null;
    this.exited = false;
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        this.onLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      this.exited = true;
      for (const waiter of this.exitWaiters.splice(0)) waiter(code);
    });
    const deadline = Date.now() + timeoutMs;
    while (this.port === null) {
      if (this.exited)
        throw new Error(`${this.nodeId} exited while starting:\n${this.lines.slice(-20).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`${this.nodeId} did not start within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  private onLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > (this.options.keepLines ?? 5000))
      this.lines.splice(0, this.lines.length - (this.options.keepLines ?? 5000));
    this.options.onLine?.(line);
    if (!line.startsWith('{')) return;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.event === 'listening' && typeof record.httpPort === 'number') this.port = record.httpPort;
      if (typeof record.event === 'string' && typeof record.atMs === 'number')
        this.events.push(record as unknown as OrdererEvent);
    } catch {
      // not a log record
    }
  }

  /** GET /status, or null when the process does not answer. */
  async status(timeoutMs = 2000): Promise<OrdererStatus | null> {
    if (this.port === null || this.exited) return null;
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/status`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      return res.ok ? ((await res.json()) as OrdererStatus) : null;
    } catch {
      return null;
    }
  }

  async get(path: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text() };
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child?.pid !== undefined && !this.exited) process.kill(this.child.pid, signal);
  }

  /** Resolves with the exit code once the process has ended. */
  waitExit(): Promise<number | null> {
    if (this.exited) return Promise.resolve(this.child?.exitCode ?? null);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.waitExit();
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.waitExit();
  }
}

export class OrdererCluster {
  readonly nodes: Map<string, OrdererProcess>;

  constructor(
    private readonly options: Omit<OrdererProcessOptions, 'nodeId'>,
    nodeIds: readonly string[],
  ) {
    this.nodes = new Map(nodeIds.map((id) => [id, new OrdererProcess({ ...options, nodeId: id })]));
  }

  /** A further orderer of the same network (not started). */
  add(nodeId: string): OrdererProcess {
    const node = new OrdererProcess({ ...this.options, nodeId });
    this.nodes.set(nodeId, node);
    return node;
  }

  node(id: string): OrdererProcess {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no orderer ${id} in the cluster`);
    return node;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.start(timeoutMs)));
  }

  /** The leader once a running node says it leads and has applied its log. */
  async waitForLeader(timeoutMs = 30_000, exclude: readonly string[] = []): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const node of this.nodes.values()) {
        if (exclude.includes(node.nodeId) || !node.running) continue;
        const status = await node.status(1000);
        if (status?.role === 'leader' && status.leaderReady) return node.nodeId;
      }
      await sleep(50);
    }
    throw new Error(`no leader within ${timeoutMs} ms`);
  }

  /** Waits until every running node (of `only`, when given) has at least `height` blocks, all the same. */
  async waitForHeight(height: number, timeoutMs = 60_000, only?: readonly string[]): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let heights: (number | undefined)[] = [];
    const nodes = [...this.nodes.values()].filter((n) => only === undefined || only.includes(n.nodeId));
    while (Date.now() < deadline) {
      const statuses = await Promise.all(nodes.filter((n) => n.running).map((n) => n.status()));
      heights = statuses.map((s) => s?.height);
      if (heights.every((h) => h !== undefined && h >= height) && new Set(heights).size === 1)
        return heights[0] as number;
      await sleep(100);
    }
    throw new Error(`heights ${JSON.stringify(heights)} did not reach ${height} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.stop()));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CliError, formatTable, type Output } from '../output.js';
import { DevChild } from './child.js';
import { ensureDevDatabases } from './databases.js';
import { ensureDevNetwork, networkNatsUrl } from './network-setup.js';
import { DevKind, planMesh, type DevDomain, type DevProcess } from './plan.js';
import { checkNats, isOurProcess, natsProblemLine, portIsFree, residentBytes } from './preflight.js';
import { waitUntilReady } from './readiness.js';
import { checkChannelStreams } from './stream-check.js';

export interface DevUpOptions {
  /** Absolute network folder (created when it holds no network.json). */
  readonly networkDir: string;
  /** Channel of a network created now. */
  readonly channel: string;
  readonly domains: readonly DevDomain[];
  /** NATS servers (default: NATS_URL, then the network's). */
  readonly natsUrl?: string;
  /** PostgreSQL server for the peers and the services' private stores (default: PGlite, memory). */
  readonly databaseUrl?: string;
  readonly logLevel: string;
  /** Every log line on the console, not only errors. */
  readonly verbose: boolean;
  /** Bound on the whole start-up. */
  readonly readyTimeoutMs: number;
  /** Per process: SIGTERM, then SIGKILL after this. */
  readonly stopGraceMs: number;
  readonly workspaceRoot: string;
  /** Signature threads per peer. */
  readonly verifyWorkers: number;
  /** Colour the console prefixes (a terminal). */
  readonly colour: boolean;
}

/** Two signals closer than this are one Ctrl-C (npm and the terminal both deliver it). */
const SAME_SIGNAL_MS = 2_000;
const COLOURS: Record<DevKind, string> = { orderer: '34', peer: '32', service: '35' };

/**
 * `civic dev up`: the whole development mesh as child processes of this one. Start-up in three
 * stages (orderers, peers, domain services), each waited for on `/readyz`; a table of what runs
 * where; then it waits for SIGINT/SIGTERM and stops the services, the peers, then the orderers
 * (SIGTERM, SIGKILL after the grace), and returns. Any failure to start stops what was started
 * and throws a CliError naming the process and its last log lines.
 */
export async function runDevMesh(out: Output, options: DevUpOptions): Promise<void> {
  const startedMs = performance.now();
  // NATS first: without it nothing can run, and the answer is one line.
  const natsUrl = options.natsUrl ?? networkNatsUrl(options.networkDir);
  const nats = await checkNats(natsUrl);
  if (!nats.ok) throw new CliError(natsProblemLine(natsUrl, nats.problem));
  const dev = ensureDevNetwork(options.networkDir, options.channel, Date.now());
  const { network } = dev;
  const where = relative(process.cwd(), options.networkDir) || '.';
  out.line(
    dev.created
      ? `civic: created a development network in ${where} (channel ${network.channel}, genesis ${dev.genesisHash.slice(0, 16)}…)`
      : `civic: using the development network in ${where} (channel ${network.channel}, created ${network.createdAt})`,
  );
  const streams = await checkChannelStreams(natsUrl, network.channel, dev.genesisHash, dev.created);
  if (streams === 'deleted')
    out.line(
      `civic: deleted the NATS streams of channel ${network.channel}: they held the chain of an earlier network`,
    );

  const runDir = join(options.networkDir, 'run');
  const logDir = join(options.networkDir, 'logs');
  mkdirSync(runDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  await stopLeftovers(out, runDir, options.workspaceRoot);

  let databaseUrls: Record<string, string> | undefined;
  const draft = planMesh(network, { ...baseOf(options, natsUrl), networkDir: options.networkDir });
  if (options.databaseUrl !== undefined) {
    const names = draft.filter((p) => p.kind !== DevKind.ORDERER).map((p) => p.name);
    try {
      databaseUrls = await ensureDevDatabases(options.databaseUrl, dev.networkId, names);
    } catch (error) {
      throw new CliError(`PostgreSQL at DATABASE_URL: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
    out.line(`civic: PostgreSQL: one database per peer and service, civic_dev_${dev.networkId}_<name>`);
  }
  const plan = planMesh(network, {
    ...baseOf(options, natsUrl),
    networkDir: options.networkDir,
    databaseUrls,
  });
  checkPrograms(plan, options.workspaceRoot);
  const busy = (await Promise.all(plan.map(async (p) => ((await portIsFree(p.httpPort)) ? null : p)))).filter(
    (p): p is DevProcess => p !== null,
  );
  if (busy.length > 0)
    throw new CliError(
      `ports in use: ${busy.map((p) => `${p.httpPort} (${p.name})`).join(', ')}; is another \`npm start\` running?`,
    );

  const mesh = new MeshProcesses(out, options, runDir, logDir);
  const stop = mesh.watchSignals();
  try {
    out.line(
      `civic: starting ${plan.length} processes; logs in ${relative(process.cwd(), logDir) || logDir}/`,
    );
    const deadlineMs = performance.now() + options.readyTimeoutMs;
    for (const kind of [DevKind.ORDERER, DevKind.PEER, DevKind.SERVICE]) {
      const stage = plan.filter((p) => p.kind === kind);
      if (stage.length === 0) continue;
      const children = stage.map((p) => mesh.spawn(p));
      const outcome = await Promise.race([
        waitUntilReady(children, deadlineMs, (line) => out.line(line), startedMs),
        stop.requested.then(() => null),
      ]);
      if (outcome === null) break;
      if (!outcome.ok) {
        const { child, why } = outcome;
        throw new CliError(
          `${child.spec.name} ${why === 'exited' ? 'exited during start-up' : `was not ready within ${options.readyTimeoutMs / 1000} s`}; its last lines (${relative(process.cwd(), join(logDir, `${child.spec.name}.log`))}):\n${child.tail.slice(-15).join('\n')}`,
        );
      }
    }
    if (!stop.isRequested()) {
      mesh.printTable((performance.now() - startedMs) / 1000);
      mesh.watchExits();
      await stop.requested;
    }
  } finally {
    out.line('civic: stopping the domain services, then the peers, then the orderers');
    await mesh.stopAll();
    stop.release();
    out.line('civic: stopped; nothing left running');
  }
}

function baseOf(options: DevUpOptions, natsUrl: string) {
  return {
    domains: options.domains,
    natsUrl,
    logLevel: options.logLevel,
    verifyWorkers: options.verifyWorkers,
    ...(process.env['OTEL_RESOURCE_ATTRIBUTES']
      ? { resourceAttributes: process.env['OTEL_RESOURCE_ATTRIBUTES'] }
      : {}),
  };
}

function checkPrograms(plan: readonly DevProcess[], root: string): void {
  const missing = [...new Set(plan.map((p) => p.program))].filter((p) => !existsSync(join(root, p)));
  if (missing.length > 0)
    throw new CliError(`${missing.join(', ')} missing: build the workspace first (npm run build)`);
}

interface PidEntry {
  readonly name: string;
  readonly pid: number;
  readonly program: string;
}

/** Stops processes a previous run left behind (its CLI was killed), as its PID file names them. */
async function stopLeftovers(out: Output, runDir: string, root: string): Promise<void> {
  const file = join(runDir, 'pids.json');
  if (!existsSync(file)) return;
  let entries: PidEntry[];
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')) as PidEntry[];
  } catch {
    entries = [];
  }
  const alive = entries.filter((e) => isOurProcess(e.pid, join(root, e.program)));
  if (alive.length > 0) {
    out.line(
      `civic: stopping ${alive.length} processes left by an earlier run (${alive.map((e) => e.name).join(', ')})`,
    );
    for (const e of alive) process.kill(e.pid, 'SIGTERM');
    const deadline = performance.now() + 15_000;
    while (alive.some((e) => isOurProcess(e.pid, join(root, e.program))) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    for (const e of alive) if (isOurProcess(e.pid, join(root, e.program))) process.kill(e.pid, 'SIGKILL');
  }
  rmSync(file, { force: true });
}

/** The running children: spawning, the PID file, signals, unexpected exits, the ordered stop. */
class MeshProcesses {
  readonly #children: DevChild[] = [];
  #stopping = false;

  constructor(
    private readonly out: Output,
    private readonly options: DevUpOptions,
    private readonly runDir: string,
    private readonly logDir: string,
  ) {}

  spawn(spec: DevProcess): DevChild {
    const child = new DevChild(spec, {
      programPath: join(this.options.workspaceRoot, spec.program),
      logFile: join(this.logDir, `${spec.name}.log`),
      verbose: this.options.verbose,
      onConsoleLine: (p, line) => this.out.line(`${this.#prefix(p)} ${line}`),
    });
    this.#children.push(child);
    this.#writePids();
    return child;
  }

  /** SIGINT/SIGTERM request the stop; a later, separate signal kills what is left at once. */
  watchSignals() {
    let requestedAtMs: number | null = null;
    let resolve: () => void = () => undefined;
    const requested = new Promise<void>((r) => (resolve = r));
    const onSignal = (signal: NodeJS.Signals) => {
      const now = performance.now();
      if (requestedAtMs === null) {
        requestedAtMs = now;
        this.out.line(`civic: ${signal}`);
        resolve();
      } else if (now - requestedAtMs > SAME_SIGNAL_MS) {
        this.out.line(`civic: ${signal} again: killing what is left`);
        for (const c of this.#children) c.signal('SIGKILL');
      }
    };
    // Whatever happens to this process, its children do not outlive it.
    const onExit = () => {
      for (const c of this.#children) c.signal('SIGKILL');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', onExit);
    return {
      requested,
      isRequested: () => requestedAtMs !== null,
      release: () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('exit', onExit);
      },
    };
  }

  /** After start-up, a process that ends on its own is reported; the others keep running. */
  watchExits(): void {
    for (const child of this.#children) {
      void child.exited.then(({ code, signal }) => {
        if (this.#stopping) return;
        this.out.error(
          `civic: ${child.spec.name} exited (${signal ?? `code ${code}`}); its log: ${relative(process.cwd(), join(this.logDir, `${child.spec.name}.log`))}`,
        );
      });
    }
  }

  async stopAll(): Promise<void> {
    this.#stopping = true;
    for (const kind of [DevKind.SERVICE, DevKind.PEER, DevKind.ORDERER]) {
      await Promise.all(
        this.#children.filter((c) => c.spec.kind === kind).map((c) => c.stop(this.options.stopGraceMs)),
      );
    }
    rmSync(join(this.runDir, 'pids.json'), { force: true });
  }

  printTable(startupSeconds: number): void {
    let totalBytes = 0;
    const rows = this.#children.map((c) => {
      const bytes = c.pid === undefined ? null : residentBytes(c.pid);
      totalBytes += bytes ?? 0;
      return [
        c.spec.name,
        c.spec.role,
        c.spec.url,
        String(c.pid ?? ''),
        c.running ? 'ready' : 'exited',
        bytes === null ? '' : `${Math.round(bytes / 1048576)} MB`,
      ];
    });
    this.out.line('');
    this.out.line(formatTable(['name', 'role', 'url', 'pid', 'status', 'memory'], rows));
    this.out.line('');
    this.out.line(
      `civic: ${rows.length} processes ready in ${startupSeconds.toFixed(1)} s, ${Math.round(totalBytes / 1048576)} MB resident in all`,
    );
    this.out.line(
      `civic: logs in ${relative(process.cwd(), this.logDir) || this.logDir}/<name>.log; Ctrl-C stops everything`,
    );
    this.out.line('civic: try it: npm run demo');
  }

  #prefix(p: DevProcess): string {
    const label = `[${p.name}]`;
    return this.options.colour ? `\u001b[${COLOURS[p.kind]}m${label}\u001b[0m` : label;
  }

  #writePids(): void {
    const entries: PidEntry[] = this.#children
      .filter((c) => c.pid !== undefined)
      .map((c) => ({ name: c.spec.name, pid: c.pid as number, program: c.spec.program }));
    writeFileSync(join(this.runDir, 'pids.json'), `${JSON.stringify(entries, null, 2)}\n`);
  }
}

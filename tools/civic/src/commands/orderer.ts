import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadNetwork, NetworkFileError } from '@civic/identity';
import type { CommandContext } from '../main.js';
import { CliError, runAction, type Output } from '../output.js';

/**
 * `civic orderer …`: runs the ordering service (services/orderer, docs/orderer.md) as child
 * processes of its built program `dist/main.js`, one per orderer.
 */
interface StartOptions {
  readonly network: string;
  readonly node: string;
  readonly data?: string;
  readonly httpPort?: string;
  readonly nats?: string;
  readonly logLevel?: string;
}

interface ClusterOptions {
  readonly network: string;
  readonly nodes?: string;
  readonly httpPortBase?: string;
  readonly nats?: string;
  readonly logLevel?: string;
}

export function registerOrderer(program: Command, context: CommandContext): void {
  const orderer = program.command('orderer').description('the ordering service (Raft orderers)');
  orderer
    .command('start')
    .description('run one orderer of a network in the foreground (Ctrl-C stops it)')
    .requiredOption('--network <dir>', 'the network folder (`civic network init`)')
    .requiredOption('--node <id>', 'the orderer to run, e.g. orderer1')
    .option('--data <dir>', 'its data folder (default: <network>/data/<node>)')
    .option('--http-port <n>', "health, metrics and status port (default: the network's; 0 picks one)")
    .option('--nats <url>', "NATS (default: the network's)")
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace', 'info')
    .action(async (options: StartOptions) => {
      context.exitCode = await runAction(context.output, () => startOne(options));
    });
  orderer
    .command('cluster')
    .description('run every consenter of a network (development): prefixed logs, Ctrl-C stops them all')
    .requiredOption('--network <dir>', 'the network folder (`civic network init`)')
    .option('--nodes <ids>', "comma-separated orderers (default: the network's)")
    .option(
      '--http-port-base <n>',
      "ports base+1, base+2, … (default: the network's ports; 0 picks free ones)",
    )
    .option('--nats <url>', "NATS (default: the network's)")
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace', 'info')
    .action(async (options: ClusterOptions) => {
      context.exitCode = await runAction(context.output, () => runCluster(context.output, options));
    });
}

/** The orderer program, built: `@civic/orderer/main`. */
function ordererMain(): string {
  let path: string;
  try {
    path = fileURLToPath(import.meta.resolve('@civic/orderer/main'));
  } catch (cause) {
    throw new CliError(
      'cannot find the @civic/orderer package (run `npm ci` at the workspace root)',
      undefined,
      { cause },
    );
  }
  if (!existsSync(path))
    throw new CliError(`${path} is missing: build the workspace first (\`npm run build\`)`);
  return path;
}

function ordererArgs(
  network: string,
  node: string,
  options: { data?: string; httpPort?: string; nats?: string; logLevel?: string },
): string[] {
  const args = [ordererMain(), '--network', network, '--node', node];
  if (options.data !== undefined) args.push('--data', options.data);
  if (options.httpPort !== undefined) args.push('--http-port', options.httpPort);
  if (options.nats !== undefined) args.push('--nats', options.nats);
  if (options.logLevel !== undefined) args.push('--log-level', options.logLevel);
  return args;
}

/** Passes SIGINT/SIGTERM on as SIGTERM (a graceful stop) while `children` run. */
function forwardSignals(
  children: () => readonly ChildProcess[],
  onSignal: () => void = () => undefined,
): () => void {
  const handler = () => {
    onSignal();
    for (const child of children()) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128))),
  );
}

async function startOne(options: StartOptions): Promise<void> {
  const child = spawn(process.execPath, ordererArgs(options.network, options.node, options), {
    stdio: 'inherit',
  });
  const release = forwardSignals(() => [child]);
  const code = await exited(child);
  release();
  if (code !== 0) throw new CliError(`orderer ${options.node} exited with code ${code}`);
}

async function runCluster(out: Output, options: ClusterOptions): Promise<void> {
  let network;
  try {
    network = loadNetwork(options.network);
  } catch (error) {
    if (error instanceof NetworkFileError) throw new CliError(error.message, undefined, { cause: error });
    throw error;
  }
  const nodes =
    options.nodes
      ?.split(',')
      .map((n) => n.trim())
      .filter((n) => n.length > 0) ?? network.orderers.map((o) => o.nodeId);
  if (nodes.length === 0) throw new CliError(`no orderers to start in ${options.network}`);
  const base = options.httpPortBase === undefined ? null : Number(options.httpPortBase);
  if (base !== null && (!Number.isSafeInteger(base) || base < 0 || base > 65_000)) {
    throw new CliError(`--http-port-base must be a port number, got ${JSON.stringify(options.httpPortBase)}`);
  }
  let stopping = false;
  const children = nodes.map((node, i) => {
    const httpPort = base === null ? undefined : String(base === 0 ? 0 : base + i + 1);
    const child = spawn(process.execPath, ordererArgs(options.network, node, { ...options, httpPort }), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${node}] `;
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) out.line(prefix + line);
      });
    }
    return child;
  });
  out.line(
    `started ${nodes.join(', ')} (pids ${children.map((c) => c.pid).join(', ')}); Ctrl-C stops them all`,
  );
  const release = forwardSignals(
    () => children,
    () => (stopping = true),
  );
  // One orderer ending on its own (a crash) stops the others: a development cluster is all or nothing.
  const codes = await Promise.all(
    children.map(async (child, i) => {
      const code = await exited(child);
      if (!stopping) {
        stopping = true;
        out.error(`civic: orderer ${nodes[i]} exited with code ${code}; stopping the others`);
        for (const other of children) if (other.exitCode === null) other.kill('SIGTERM');
      }
      return code;
    }),
  );
  release();
  const failed = codes.map((code, i) => [nodes[i], code] as const).filter(([, code]) => code !== 0);
  if (failed.length > 0)
    throw new CliError(
      `orderers stopped with errors: ${failed.map(([n, c]) => `${n} (code ${c})`).join(', ')}`,
    );
  out.line(`stopped ${nodes.join(', ')}`);
}

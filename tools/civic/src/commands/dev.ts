import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DEV_CHANNEL } from '@civic/identity';
import type { CommandContext } from '../main.js';
import { CliError, runAction } from '../output.js';
import { runDevMesh } from '../dev/mesh-runner.js';
import { DEV_DOMAINS, parseDomains } from '../dev/plan.js';
import { parseDuration } from './token.js';

interface UpOptions {
  readonly network: string;
  readonly channel: string;
  readonly only?: string;
  readonly nats?: string;
  readonly databaseUrl?: string;
  readonly logLevel: string;
  readonly verbose?: boolean;
  readonly timeout: string;
  readonly verifyWorkers: string;
  readonly stopGrace: string;
}

/** The workspace root, from this file's place (tools/civic/{src,dist}/commands/). */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** `civic dev …`: the development mesh on this machine (docs/running.md). */
export function registerDev(program: Command, context: CommandContext): void {
  const dev = program.command('dev').description('the development mesh on this machine');
  dev
    .command('up')
    .description(
      'start orderers, peers and every domain service of the development network (created when missing); Ctrl-C stops them all',
    )
    .option('--network <dir>', 'network folder, created with `civic network init` when missing', 'dev-net')
    .option('--channel <name>', 'channel of a network created now', DEV_CHANNEL)
    .option('--only <domains>', `domain services to run, comma-separated (default: ${DEV_DOMAINS.join(',')})`)
    .option('--nats <url>', "NATS servers (default: NATS_URL, then the network's)")
    .option(
      '--database-url <url>',
      'PostgreSQL for peers and private stores (default: DATABASE_URL; none: PGlite)',
    )
    .option('--log-level <level>', "the programs' log level (their log files)", 'info')
    .option('--verbose', 'every log line on the console (default: errors only)')
    .option('--timeout <duration>', 'bound on the start-up', '180s')
    .option('--verify-workers <n>', 'signature threads per peer', '1')
    .option('--stop-grace <duration>', 'per process: SIGTERM, then SIGKILL after this', '15s')
    .action(async (options: UpOptions) => {
      context.exitCode = await runAction(context.output, () => up(context, options));
    });
}

async function up(context: CommandContext, options: UpOptions): Promise<void> {
  const domains = options.only === undefined ? [...DEV_DOMAINS] : parseDomains(options.only);
  if (typeof domains === 'string') throw new CliError(domains);
  const workers = Number(options.verifyWorkers);
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 64)
    throw new CliError(`--verify-workers ${options.verifyWorkers}: an integer in 0..64`);
  const natsUrl = options.nats ?? process.env['NATS_URL'];
  const databaseUrl = options.databaseUrl ?? process.env['DATABASE_URL'];
  await runDevMesh(context.output, {
    networkDir: resolve(options.network),
    channel: options.channel,
    domains,
    ...(natsUrl ? { natsUrl } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    logLevel: options.logLevel,
    verbose: options.verbose === true,
    readyTimeoutMs: parseDuration(options.timeout),
    stopGraceMs: parseDuration(options.stopGrace),
    workspaceRoot: WORKSPACE_ROOT,
    verifyWorkers: workers,
    colour: process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined,
  });
}

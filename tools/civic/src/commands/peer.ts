import { join } from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { loadNetwork, NetworkFileError, readGenesisBytes } from '@civic/identity';
import { blockHashOf, parseBlock } from '@civic/protocol';
import type { CommandContext } from '../main.js';
import { CliError, formatFields, formatTable, runAction, type Output } from '../output.js';

interface AuditOptions {
  readonly channel?: string;
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly network?: string;
  readonly peer?: string;
}

/** `civic peer …`: a peer's stored ledger. */
export function registerPeer(program: Command, context: CommandContext): void {
  const peer = program.command('peer').description("a peer's stored ledger");
  peer
    .command('audit')
    .description(
      "re-verify a peer's stored chain from genesis (hashes, signatures, codes) and rebuild its state and history to compare",
    )
    .option('--network <dir>', 'a development network folder (channel, genesis, the peer data folder)')
    .option('--peer <peerId>', 'with --network: which peer')
    .option('--channel <name>', 'channel (default: CHANNEL, or the network’s)')
    .option('--database-url <url>', "the peer's PostgreSQL (default: DATABASE_URL)")
    .option(
      '--data-dir <dir>',
      "the peer's PGlite folder when it has no PostgreSQL (the peer must be stopped)",
    )
    .action(async (options: AuditOptions) => {
      context.exitCode = await runAction(context.output, () => audit(context.output, options));
    });
}

async function audit(out: Output, options: AuditOptions): Promise<void> {
  const target = resolveTarget(options);
  // Loaded when used: the peer package (NestJS, database drivers) costs ~0.5 s to load, which
  // every other command would pay with a static import.
  const { runAudit } = await import('@civic/peer');
  const bar = new SingleBar({
    format: 'audit [{bar}] {value}/{total} blocks',
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  const report = await runAudit({
    ...target,
    onProgress: ({ block, height }) => {
      if (!started) bar.start(height + 1, 0);
      started = true;
      bar.update(block + 1);
    },
  }).finally(() => started && bar.stop());
  if (report.ok) {
    out.line(`audit passed: the stored chain of ${target.channel} verifies from genesis`);
    out.line(
      formatFields([
        ['blocks', `0..${report.height} (${report.blocksChecked})`],
        ['transactions', String(report.transactionsChecked)],
        ['state keys', String(report.stateKeys)],
        ['commit hash', report.commitHash],
      ]),
    );
    return;
  }
  out.line(
    formatTable(
      ['block', 'problem', 'detail'],
      report.problems.map((p) => [p.block === null ? '?' : String(p.block), p.kind, p.detail]),
    ),
  );
  throw new CliError(
    `audit failed: ${report.problems.length} problem(s) in the stored chain of ${target.channel}`,
  );
}

function resolveTarget(options: AuditOptions): {
  channel: string;
  databaseUrl?: string;
  dataDir?: string;
  genesisHash?: string;
} {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (options.network) {
    try {
      const network = loadNetwork(options.network);
      const peer =
        network.peers.find((p) => p.peerId === options.peer) ?? (options.peer ? undefined : network.peers[0]);
      if (!peer) throw new CliError(`--peer ${options.peer}: no such peer in ${network.dir}`);
      const genesisHash = blockHashOf(parseBlock(readGenesisBytes(network)).header);
      return {
        channel: options.channel ?? network.channel,
        genesisHash,
        ...(databaseUrl ? { databaseUrl } : { dataDir: options.dataDir ?? join(network.dir, peer.dataDir) }),
      };
    } catch (error) {
      if (error instanceof NetworkFileError)
        throw new CliError(`--network ${options.network}: ${error.message}`, undefined, { cause: error });
      throw error;
    }
  }
  const channel = options.channel ?? process.env.CHANNEL;
  if (!channel) throw new CliError('--channel (or CHANNEL) is needed without --network');
  if (!databaseUrl && !options.dataDir)
    throw new CliError('--database-url (or DATABASE_URL) or --data-dir is needed');
  return { channel, ...(databaseUrl ? { databaseUrl } : { dataDir: options.dataDir }) };
}

import type { Command } from 'commander';
import { BlockRejectedError, ClientError, subscribeBlocks, type VerifiedChainBlock } from '@civic/client';
import type { CommandContext } from '../main.js';
import { CliError, ExitCode, abbreviate, runAction, type Output } from '../output.js';
import { genesisBytesOf, openNetwork, verifierOptions } from './client-support.js';

interface TailOptions {
  readonly network: string;
  readonly from: string;
  readonly nats?: string;
  readonly count?: string;
}

/** `civic blocks tail`: the live block stream, each block verified, one line per block. */
export function registerBlocks(program: Command, context: CommandContext): void {
  const blocks = program.command('blocks').description("a channel's blocks");
  blocks
    .command('tail')
    .description(
      'follow the block stream live, verifying each block from the genesis block on (one line per block)',
    )
    .option(
      '--network <dir>',
      'the network folder: channel, NATS URL and the genesis block (the trust anchor)',
      'dev-net',
    )
    .option('--from <n>', "first block to show, or 'latest' (the last block in the stream)", 'latest')
    .option('--nats <url>', 'NATS server (default: the network’s)')
    .option('--count <n>', 'stop after this many blocks')
    .action(async (options: TailOptions) => {
      context.exitCode = await runAction(context.output, () => tail(context.output, options));
    });
}

function positive(value: string, what: string, min: number): number {
  if (!/^[0-9]{1,15}$/.test(value) || Number(value) < min) {
    throw new CliError(`${what} must be an integer >= ${min}, got ${JSON.stringify(value)}`, ExitCode.USAGE);
  }
  return Number(value);
}

/** One line per verified block. */
export function blockLine(verified: VerifiedChainBlock): string {
  const { block } = verified;
  const badSignatures = verified.envelopes?.filter((e) => !e.signaturesOk).length ?? 0;
  const signers = block.metadata.signatures.map((s) => s.nodeId).join(',');
  const parts = [
    `block ${verified.number}`,
    block.header.time,
    `${block.header.txCount} tx`,
    abbreviate(verified.blockHash, 8),
    `config ${verified.configNumber}`,
    `signed ${signers}`,
    'verified',
  ];
  if (verified.configUpdate !== 'none')
    parts.push(
      `config update ${verified.configUpdate}${verified.configNote ? ` (${verified.configNote})` : ''}`,
    );
  if (badSignatures > 0) parts.push(`${badSignatures} tx with bad signatures`);
  return parts.join('  ');
}

async function tail(out: Output, options: TailOptions): Promise<void> {
  const network = openNetwork(options.network);
  const from = options.from === 'latest' ? 'latest' : positive(options.from, '--from', 1);
  const count =
    options.count === undefined ? Number.POSITIVE_INFINITY : positive(options.count, '--count', 1);
  const subscription = subscribeBlocks({
    url: options.nats ?? network.nats.url,
    channel: network.channel,
    trust: { genesis: genesisBytesOf(network) },
    fromNumber: from,
    verifier: verifierOptions,
  });
  const stop = () => void subscription.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let shown = 0;
  try {
    for await (const verified of subscription) {
      out.line(blockLine(verified));
      shown += 1;
      if (shown >= count) break;
    }
  } catch (error) {
    if (error instanceof BlockRejectedError) {
      throw new CliError(
        `block ${error.blockNumber ?? '?'} does not verify: ${error.check}: ${error.reason}`,
        ExitCode.FAILURE,
        { cause: error },
      );
    }
    if (error instanceof ClientError) throw new CliError(error.message, ExitCode.FAILURE, { cause: error });
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

import type { Command } from 'commander';
import {
  configFromBlock,
  ConfigTransactionError,
  loadNetwork,
  NetworkFileError,
  readGenesisBytes,
} from '@civic/identity';
import type { CommandContext } from '../main.js';
import { parseBlockFile, readBlockFile } from '../block-file.js';
import { CliError, ExitCode, formatFields, runAction } from '../output.js';
import { verifyBlockInputs, type VerifyInputs } from '../verify.js';

interface VerifyOptions {
  readonly prev?: string;
  readonly network?: string;
}

/** `civic verify-block FILE [--prev FILE] [--network DIR]`: OK, or the reason and exit code 1. */
export function registerVerifyBlock(program: Command, context: CommandContext): void {
  program
    .command('verify-block')
    .description('verify a block file: hashes, Merkle root, consenter signature, chaining with --prev')
    .argument('<file>', 'block file (canonical JSON), e.g. dev-net/genesis.block')
    .option('--prev <file>', 'the block before it: checks number, previousHash and time')
    .option('--network <dir>', "a network folder: its genesis config's consenters are the signers to accept")
    .action(async (file: string, options: VerifyOptions) => {
      context.exitCode = await runAction(context.output, () => verifyBlockCommand(context, file, options));
    });
}

function networkConfig(dir: string): NonNullable<VerifyInputs['config']> {
  try {
    const network = loadNetwork(dir);
    const genesis = parseBlockFile(`${dir}/${network.genesis}`, readGenesisBytes(network), true);
    return { config: configFromBlock(genesis), from: `the genesis config of ${network.dir}` };
  } catch (error) {
    if (error instanceof NetworkFileError || error instanceof ConfigTransactionError) {
      throw new CliError(`--network ${dir}: ${error.message}`, undefined, { cause: error });
    }
    throw error;
  }
}

function verifyBlockCommand(context: CommandContext, file: string, options: VerifyOptions): void {
  const block = readBlockFile(file, true);
  const inputs: VerifyInputs = {
    block,
    ...(options.prev === undefined ? {} : { previous: readBlockFile(options.prev, true) }),
    ...(options.network === undefined ? {} : { config: networkConfig(options.network) }),
  };
  const result = verifyBlockInputs(inputs);
  if (!result.ok) throw new CliError(`${file} does not verify: ${result.reason}`, ExitCode.FAILURE);
  const out = context.output;
  out.line(`OK: ${file} is block ${result.number} of channel ${block.header.channel}`);
  out.line(
    formatFields([
      ['blockHash', result.blockHash],
      ['signed by', result.signers.join(', ')],
      ['consenters from', result.consentersFrom],
      [
        'previous block',
        result.chainChecked
          ? 'checked (--prev)'
          : result.number === 0
            ? 'none (genesis)'
            : 'not checked (pass --prev)',
      ],
      ['envelopes', `${block.envelopes.length}, Merkle root matches dataHash`],
    ]),
  );
  if (result.badEnvelopeSignatures.length > 0) {
    out.line(
      `note: envelopes ${result.badEnvelopeSignatures.join(', ')} carry signatures that do not verify (their transactions are invalid; the block is not)`,
    );
  }
}

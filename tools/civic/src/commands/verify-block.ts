import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  configFromBlock,
  ConfigTransactionError,
  ConfigValidationError,
  loadNetwork,
  NetworkFileError,
  readGenesisBytes,
  validateConfig,
} from '@civic/identity';
import type { CommandContext } from '../main.js';
import { parseBlockFile, readBlockFile } from '../block-file.js';
import { CliError, ExitCode, formatFields, runAction } from '../output.js';
import { verifyBlockInputs, type VerifyInputs } from '../verify.js';

interface VerifyOptions {
  readonly prev?: string;
  readonly network?: string;
  readonly config?: string;
}

/** `civic verify-block FILE [--prev FILE] [--network DIR]`: OK, or the reason and exit code 1. */
export function registerVerifyBlock(program: Command, context: CommandContext): void {
  program
    .command('verify-block')
    .description('verify a block file: hashes, Merkle root, consenter signature, chaining with --prev')
    .argument('<file>', 'block file (canonical JSON), e.g. dev-net/genesis.block')
    .option('--prev <file>', 'the block before it: checks number, previousHash and time')
    .option('--network <dir>', "a network folder: its genesis config's consenters are the signers to accept")
    .option('--config <file>', 'a channel config JSON (e.g. config.json): the config in force for the block')
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

function configFile(path: string): NonNullable<VerifyInputs['config']> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliError(`--config ${path}: ${(cause as Error).message}`, undefined, { cause });
  }
  try {
    return { config: validateConfig(value), from: path };
  } catch (error) {
    if (error instanceof ConfigValidationError)
      throw new CliError(`--config ${path}: ${error.message}`, undefined, { cause: error });
    throw error;
  }
}

function verifyBlockCommand(context: CommandContext, file: string, options: VerifyOptions): void {
  if (options.network !== undefined && options.config !== undefined)
    throw new CliError('give --network or --config, not both', ExitCode.USAGE);
  const block = readBlockFile(file, true);
  const inputs: VerifyInputs = {
    block,
    ...(options.prev === undefined ? {} : { previous: readBlockFile(options.prev, true) }),
    ...(options.network === undefined ? {} : { config: networkConfig(options.network) }),
    ...(options.config === undefined ? {} : { config: configFile(options.config) }),
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

import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerDev } from './commands/dev.js';
import { registerBlocks } from './commands/blocks.js';
import { registerInspect } from './commands/inspect.js';
import { registerNetwork } from './commands/network.js';
import { registerOrderer } from './commands/orderer.js';
import { registerPeer } from './commands/peer.js';
import { registerProof } from './commands/proof.js';
import { registerStatus } from './commands/status.js';
import { registerToken } from './commands/token.js';
import { registerTx } from './commands/tx.js';
import { registerVerifyBlock } from './commands/verify-block.js';
import { registerVerify } from './commands/verify.js';
import { ExitCode, guardBrokenPipes, processOutput, type Output } from './output.js';

/**
 * The `civic` command line. Each command group lives in its own file under commands/ and
 * registers itself on the program: `register<Group>(program, context)`. A command sets
 * `context.exitCode` through runAction; main returns it.
 */
export interface CommandContext {
  readonly output: Output;
  exitCode: ExitCode;
}

export function createProgram(context: CommandContext): Command {
  const program = new Command('civic')
    .description('Civic Ledger command line: development networks, blocks, verification')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.output.line(text.trimEnd()),
      writeErr: (text) => context.output.error(text.trimEnd()),
    });
  registerNetwork(program, context);
  registerInspect(program, context);
  registerVerifyBlock(program, context);
  registerPeer(program, context);
  registerOrderer(program, context);
  registerToken(program, context);
  registerStatus(program, context);
  registerBlocks(program, context);
  registerTx(program, context);
  registerVerify(program, context);
  registerProof(program, context);
  registerDev(program, context);
  registerDemo(program, context);
  return program;
}

/** Runs the CLI on `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  if (output === processOutput) guardBrokenPipes();
  const context: CommandContext = { output, exitCode: ExitCode.OK };
  try {
    await createProgram(context).parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    throw error;
  }
  return context.exitCode;
}

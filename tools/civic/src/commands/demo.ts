import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../main.js';
import { runAction } from '../output.js';
import { runDemo } from '../demo/demo-runner.js';

/**
 * `civic demo [--network dev-net]`: a scripted story through the REST APIs of the running
 * development mesh (docs/running.md).
 */
export function registerDemo(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description(
      'tell a scripted story through the running mesh (npm start): grants, a refusal over the ceiling, a parking card, a driver week; blocks and commit hashes of both peers',
    )
    .option('--network <dir>', 'the network folder of the running mesh', 'dev-net')
    .action(async (options: { network: string }) => {
      context.exitCode = await runAction(context.output, () =>
        runDemo(context.output, resolve(options.network), Date.now()),
      );
    });
}

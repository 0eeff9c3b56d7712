import type { Command } from 'commander';
import {
  loadNetwork,
  loadSigner,
  mintToken,
  NetworkFileError,
  TokenArgumentError,
  TOKEN_TTL_MAX_MS,
} from '@civic/identity';
import type { CommandContext } from '../main.js';
import { CliError, runAction, type Output } from '../output.js';

interface TokenOptions {
  readonly network: string;
  readonly user: string;
  readonly aud?: string;
  readonly audience?: string;
  readonly ttl: string;
}

/** `10m`, `90s`, `900000ms` or plain seconds → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,7})(ms|s|m)?$/.exec(text.trim());
  if (match === null)
    throw new CliError(`--ttl ${JSON.stringify(text)}: a duration such as 10m, 90s or 600000ms`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}

/**
 * `civic token --network DIR --user NAME [--aud subsidies] [--ttl 10m]`: prints a short-lived
 * EdDSA JWT for a domain service's REST API (or a peer's: `--aud peer`), signed with the
 * identity's key from the network folder and carrying its certificate (docs/gateway.md, "REST
 * authentication"; docs/peer.md for the peers).
 */
export function registerToken(program: Command, context: CommandContext): void {
  program
    .command('token')
    .description(
      "print a short-lived bearer token for a domain service's or a peer's REST API, signed by an identity of the network",
    )
    .requiredOption('--network <dir>', 'network folder (civic network init)')
    .requiredOption('--user <name>', 'identity name in network.json, e.g. utrecht-user1')
    .option(
      '--aud <service>',
      'the service the token is for: subsidies, parking, transport, or peer (default: subsidies)',
    )
    .option('--audience <service>', 'same as --aud')
    .option('--ttl <duration>', `lifetime, at most ${TOKEN_TTL_MAX_MS / 60_000}m`, '10m')
    .action(async (options: TokenOptions) => {
      context.exitCode = await runAction(context.output, () => printToken(context.output, options));
    });
}

function printToken(out: Output, options: TokenOptions): void {
  const ttlMs = parseDuration(options.ttl);
  if (ttlMs < 1000 || ttlMs > TOKEN_TTL_MAX_MS) {
    throw new CliError(`--ttl ${options.ttl}: between 1s and ${TOKEN_TTL_MAX_MS / 60_000}m`);
  }
  let signer;
  try {
    signer = loadSigner(loadNetwork(options.network), options.user);
  } catch (error) {
    if (error instanceof NetworkFileError) throw new CliError(error.message, undefined, { cause: error });
    throw error;
  }
  try {
    const audience = options.aud ?? options.audience ?? 'subsidies';
    out.line(mintToken({ cert: signer.cert, key: signer.key, audience, ttlMs, nowMs: Date.now() }));
  } catch (error) {
    if (error instanceof TokenArgumentError) throw new CliError(error.message, undefined, { cause: error });
    throw error;
  }
}

import type { Command } from 'commander';
import {
  createNetwork,
  DEV_CHANNEL,
  devNetworkSpec,
  NetworkExistsError,
  writeNetwork,
  type WrittenNetwork,
} from '@civic/identity';
import { blockHashOf, NamePattern } from '@civic/protocol';
import type { CommandContext } from '../main.js';
import { CliError, formatTable, runAction, type Output } from '../output.js';

interface InitOptions {
  readonly out: string;
  readonly channel: string;
  readonly force?: boolean;
}

/** `civic network …`: development networks. */
export function registerNetwork(program: Command, context: CommandContext): void {
  const network = program.command('network').description('development networks');
  network
    .command('init')
    .description(
      'write a development network: CAs, keys and certificates, channel config, genesis block, network.json',
    )
    .requiredOption('--out <dir>', 'folder to write the network into')
    .option('--channel <name>', 'channel name', DEV_CHANNEL)
    .option('--force', 'replace a network already in the folder (and its data/)')
    .action(async (options: InitOptions) => {
      context.exitCode = await runAction(context.output, () => initNetwork(context.output, options));
    });
}

function initNetwork(out: Output, options: InitOptions): void {
  if (!NamePattern.CHANNEL.test(options.channel)) {
    throw new CliError(
      `--channel ${JSON.stringify(options.channel)}: a channel name is ${NamePattern.CHANNEL.source}`,
    );
  }
  const timeMs = Date.now();
  const { network, genesis, genesisBytes } = createNetwork(devNetworkSpec(options.channel), { timeMs });
  let written: WrittenNetwork;
  try {
    written = writeNetwork(options.out, network, {
      genesisBytes,
      createdAt: new Date(timeMs).toISOString(),
      force: options.force === true,
    });
  } catch (error) {
    if (error instanceof NetworkExistsError) throw new CliError(error.message, undefined, { cause: error });
    throw error;
  }
  printSummary(out, written, blockHashOf(genesis.header));
}

function printSummary(out: Output, written: WrittenNetwork, genesisHash: string): void {
  const { manifest, dir } = written;
  out.line(`Wrote a development network for channel ${manifest.channel} to ${dir} (${written.files} files)`);
  out.line('');
  const count = (mspId: string) => manifest.identities.filter((id) => id.mspId === mspId).length;
  out.line(
    formatTable(
      ['organisation', 'type', 'name', 'identities'],
      manifest.organizations.map((o) => [o.mspId, o.type, o.name, String(count(o.mspId))]),
    ),
  );
  out.line('');
  out.line(
    formatTable(
      ['node', 'kind', 'identity', 'port', 'reads from'],
      [
        ...manifest.orderers.map((o) => [o.nodeId, 'orderer', o.identity, String(o.httpPort), '']),
        ...manifest.peers.map((p) => [p.peerId, 'peer', p.identity, String(p.httpPort), '']),
        ...manifest.services.map((s) => [
          `${s.domain}@${s.mspId}`,
          'service',
          s.identity,
          String(s.httpPort),
          s.peer,
        ]),
      ],
    ),
  );
  out.line('');
  out.line(`genesis block  ${manifest.genesis}  ${genesisHash}`);
  out.line(`channel config ${manifest.config}`);
  out.line(
    `manifest       network.json (identities, certificate and key paths, ports); NATS ${manifest.nats.url}`,
  );
  out.line('private keys   PKCS#8 PEM, mode 0600');
  out.line(`check it:      civic verify-block ${dir}/${manifest.genesis}`);
}

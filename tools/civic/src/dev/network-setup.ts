import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createNetwork,
  DEV_PORTS,
  devNetworkSpec,
  loadNetwork,
  MANIFEST_FILE,
  NetworkFileError,
  readGenesisBytes,
  writeNetwork,
  type LoadedNetwork,
} from '@civic/identity';
import { blockHashOf, NamePattern, utf8Text, type BlockHeader } from '@civic/protocol';
import { CliError } from '../output.js';

export interface DevNetwork {
  readonly network: LoadedNetwork;
  /** Whether this run created it. */
  readonly created: boolean;
  /** First 8 hex digits of the genesis block hash: names this network's databases. */
  readonly networkId: string;
  readonly genesisHash: string;
}

/** The NATS URL the network in `dir` names, or the development default when there is none yet. */
export function networkNatsUrl(dir: string): string {
  if (!existsSync(join(dir, MANIFEST_FILE))) return DEV_PORTS.natsUrl;
  try {
    return loadNetwork(dir).nats.url;
  } catch {
    return DEV_PORTS.natsUrl;
  }
}

/**
 * The development network in `dir`: loaded when `network.json` is there, otherwise created with
 * the identity library first (as `civic network init --out dir --channel channel` would).
 */
export function ensureDevNetwork(dir: string, channel: string, nowMs: number): DevNetwork {
  let created = false;
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    if (!NamePattern.CHANNEL.test(channel))
      throw new CliError(
        `--channel ${JSON.stringify(channel)}: a channel name is ${NamePattern.CHANNEL.source}`,
      );
    const { network, genesisBytes } = createNetwork(devNetworkSpec(channel), { timeMs: nowMs });
    writeNetwork(dir, network, { genesisBytes, createdAt: new Date(nowMs).toISOString() });
    created = true;
  }
  let network: LoadedNetwork;
  let genesisHash: string;
  try {
    network = loadNetwork(dir);
    const genesis = JSON.parse(utf8Text(readGenesisBytes(network))) as { header: BlockHeader };
    genesisHash = blockHashOf(genesis.header);
  } catch (error) {
    if (error instanceof NetworkFileError || error instanceof SyntaxError)
      throw new CliError(`the network in ${dir} cannot be read: ${error.message}`, undefined, {
        cause: error,
      });
    throw error;
  }
  return { network, created, networkId: genesisHash.slice(0, 8), genesisHash };
}

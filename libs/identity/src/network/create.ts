import { serializeBlock, type Block } from '@civic/protocol';
import { buildGenesisBlock } from '../config/genesis.js';
import { buildNetwork, NetworkSpecError, type BuiltNetwork, type NetworkSpec } from './build.js';
import type { KeySource } from './keys.js';

/** A built network and its genesis block. */
export interface NetworkWithGenesis {
  readonly network: BuiltNetwork;
  readonly genesis: Block;
  /** The genesis block file: its canonical JSON. */
  readonly genesisBytes: Uint8Array;
}

export interface CreateNetworkOptions {
  readonly timeMs: number;
  readonly keys?: KeySource;
  /** Identity that creates the genesis config transaction; default: the first admin of an orderer organisation. */
  readonly genesisAdmin?: string;
  /** Nonce of the genesis transaction (tests and vectors); random otherwise. */
  readonly genesisNonce?: string;
}

/** Builds the network and its genesis block, signed by the first consenter. */
export function createNetwork(spec: NetworkSpec, options: CreateNetworkOptions): NetworkWithGenesis {
  const network = buildNetwork(spec, {
    timeMs: options.timeMs,
    ...(options.keys ? { keys: options.keys } : {}),
  });
  const ordererOrgs = new Set(spec.organizations.filter((o) => o.type === 'orderer').map((o) => o.mspId));
  const adminName =
    options.genesisAdmin ??
    spec.identities.find((id) => id.role === 'admin' && ordererOrgs.has(id.mspId))?.name;
  const admin = adminName === undefined ? undefined : network.identities.get(adminName);
  if (admin === undefined)
    throw new NetworkSpecError('no admin identity to create the genesis config transaction');
  const first = network.config.consenters[0]!;
  const consenter = network.identities.get(first.nodeId)!;
  const genesis = buildGenesisBlock({
    config: network.config,
    admin,
    consenter: { nodeId: first.nodeId, mspId: consenter.mspId, cert: consenter.cert, key: consenter.key },
    time: options.timeMs,
    ...(options.genesisNonce === undefined ? {} : { nonce: options.genesisNonce }),
  });
  return { network, genesis, genesisBytes: serializeBlock(genesis) };
}

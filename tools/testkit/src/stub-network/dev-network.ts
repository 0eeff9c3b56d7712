/** The development network (identity's devNetworkSpec) built in memory with seeded keys, for one test channel. */
import {
  createNetwork,
  devNetworkSpec,
  seededKeySource,
  type BuiltNetwork,
  type ChannelConfig,
} from '@civic/identity';
import type { Block, BlockSigner, Signer } from '@civic/protocol';

export interface TestDevNetwork {
  readonly network: BuiltNetwork;
  readonly config: ChannelConfig;
  readonly genesis: Block;
  readonly consenter: BlockSigner;
  signer(name: string): Signer;
}

export function testDevNetwork(channel: string, seed = 'gateway-tests', timeMs = Date.now()): TestDevNetwork {
  const { network, genesis } = createNetwork(devNetworkSpec(channel), {
    timeMs,
    keys: seededKeySource(seed),
    genesisNonce: '00'.repeat(16),
  });
  const signer = (name: string): Signer => {
    const id = network.identities.get(name);
    if (id === undefined) throw new Error(`no identity ${name}`);
    return { mspId: id.mspId, cert: id.cert, key: id.key };
  };
  const first = network.config.consenters[0]!;
  const consenter: BlockSigner = {
    nodeId: first.nodeId,
    mspId: first.mspId,
    cert: first.cert,
    key: signer(first.nodeId).key,
  };
  return { network, config: network.config, genesis, consenter, signer };
}

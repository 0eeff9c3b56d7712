import { readFileSync } from 'node:fs';
import { blockHashOf, parseBlock, type Signer } from '@civic/protocol';
import {
  certificateFromPem,
  configFromBlock,
  loadNetwork,
  loadSigner,
  privateKeyFromPem,
  readGenesisBytes,
  type ChannelConfig,
} from '@civic/identity';
import type { PeerConfig } from '../config/peer-config.js';

/** Who the peer is (it signs checkpoints) and the chain's trust anchor. */
export interface PeerIdentity {
  readonly signer: Signer;
  /** Hash of the genesis block this peer accepts as block 0; undefined = the first one it sees. */
  readonly genesisHash?: string;
  /**
   * The config of that genesis block: the one in force until the peer has committed block 0
   * (its REST API checks tokens against it meanwhile).
   */
  readonly genesisConfig?: ChannelConfig;
}

export class PeerIdentityError extends Error {
  override readonly name = 'PeerIdentityError';
}

/** From NETWORK_DIR (the dev network's files) or from PEER_CERT / PEER_KEY / PEER_MSP_ID / GENESIS_FILE. */
export function loadPeerIdentity(config: PeerConfig): PeerIdentity {
  if (config.networkDir) {
    const network = loadNetwork(config.networkDir);
    if (network.channel !== config.channel) {
      throw new PeerIdentityError(
        `${config.networkDir} is a network of channel ${network.channel}, not ${config.channel}`,
      );
    }
    const entry = network.peers.find((peer) => peer.peerId === config.peerId);
    if (!entry) {
      const known = network.peers.map((peer) => peer.peerId).join(', ');
      throw new PeerIdentityError(`no peer ${config.peerId} in ${config.networkDir} (known: ${known})`);
    }
    const loaded = loadSigner(network, entry.identity);
    const genesis = config.genesisFile ? readFileSync(config.genesisFile) : readGenesisBytes(network);
    return { signer: { mspId: loaded.mspId, cert: loaded.cert, key: loaded.key }, ...genesisOf(genesis) };
  }
  if (!config.certFile || !config.keyFile || !config.mspId) {
    throw new PeerIdentityError('PEER_CERT, PEER_KEY and PEER_MSP_ID are needed without NETWORK_DIR');
  }
  const signer: Signer = {
    mspId: config.mspId,
    cert: certificateFromPem(readFileSync(config.certFile, 'utf8')),
    key: privateKeyFromPem(readFileSync(config.keyFile, 'utf8')),
  };
  return config.genesisFile ? { signer, ...genesisOf(readFileSync(config.genesisFile)) } : { signer };
}

function genesisOf(bytes: Uint8Array): Required<Pick<PeerIdentity, 'genesisHash' | 'genesisConfig'>> {
  const block = parseBlock(new Uint8Array(bytes));
  if (block.header.number !== 0)
    throw new PeerIdentityError(`the genesis file holds block ${block.header.number}, not 0`);
  let genesisConfig: ChannelConfig;
  try {
    genesisConfig = configFromBlock(block);
  } catch (cause) {
    throw new PeerIdentityError(
      `the genesis file holds no valid channel config: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return { genesisHash: blockHashOf(block.header), genesisConfig };
}

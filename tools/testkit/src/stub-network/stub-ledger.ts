/**
 * The ledger side of a domain service's tests in one call: a test channel on the real NATS, the
 * development network written to a temporary folder (the layout `civic network init` writes, so
 * services load their identities from it as in production), a stand-in orderer, and peers running
 * libs/ledger's real validation and commit. The services under test are the caller's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNetwork,
  devNetworkSpec,
  loadSigner,
  seededKeySource,
  writeNetwork,
  type BuiltNetwork,
} from '@civic/identity';
import type { Block, BlockSigner, Signer } from '@civic/protocol';
import { natsUrl } from '../nats.js';
import { createTestChannel, type TestChannel } from '../nats-channel.js';
import { LedgerPeer } from './ledger-peer.js';
import { StubOrderer } from './stub-orderer.js';

export interface StubLedgerOptions {
  /** Seed of the network's keys (same seed, same identities). */
  readonly seed: string;
  /** Peers to run (default: `utrecht-peer`, which the dev network's other organisations read). */
  readonly peerIds?: readonly string[];
  /** The orderer cuts a block this long after its first envelope (default 15 ms). */
  readonly batchMs?: number;
  /** PostgreSQL for the peers (default: embedded PGlite). */
  readonly peerDatabaseUrl?: string;
}

export interface StubLedger {
  readonly channel: TestChannel;
  /** The network folder (NETWORK_DIR). */
  readonly dir: string;
  readonly network: BuiltNetwork;
  readonly genesis: Block;
  readonly orderer: StubOrderer;
  readonly peers: ReadonlyMap<string, LedgerPeer>;
  /** An identity of the network folder by name (`haulier-transport`, `ilt-user1`…). */
  signer(name: string): Signer;
  stop(): Promise<void>;
}

export async function startStubLedger(options: StubLedgerOptions): Promise<StubLedger> {
  const channel = await createTestChannel();
  const dir = mkdtempSync(join(tmpdir(), 'civic-stub-ledger-'));
  const created = createNetwork(devNetworkSpec(channel.channel), {
    // An hour back: certificates are valid for tokens minted at once.
    timeMs: Date.now() - 3_600_000,
    keys: seededKeySource(options.seed),
    genesisNonce: '00'.repeat(16),
  });
  writeNetwork(dir, created.network, {
    genesisBytes: created.genesisBytes,
    createdAt: new Date().toISOString(),
    natsUrl: natsUrl(),
  });
  const signer = (name: string): Signer => {
    const s = loadSigner(dir, name);
    return { mspId: s.mspId, cert: s.cert, key: s.key };
  };
  const first = created.network.config.consenters[0]!;
  const consenter: BlockSigner = {
    nodeId: first.nodeId,
    mspId: first.mspId,
    cert: first.cert,
    key: signer(first.nodeId).key,
  };
  const base = { nc: channel.nc, js: channel.js, channel: channel.channel, genesis: created.genesis };
  const orderer = await StubOrderer.start({ ...base, consenter, batchMs: options.batchMs ?? 15 });
  const peers = new Map<string, LedgerPeer>();
  for (const peerId of options.peerIds ?? ['utrecht-peer']) {
    peers.set(
      peerId,
      await LedgerPeer.start({
        ...base,
        peerId,
        signer: signer(peerId),
        ...(options.peerDatabaseUrl ? { databaseUrl: options.peerDatabaseUrl } : {}),
      }),
    );
  }
  let stopped = false;
  return {
    channel,
    dir,
    network: created.network,
    genesis: created.genesis,
    orderer,
    peers,
    signer,
    async stop() {
      if (stopped) return;
      stopped = true;
      await orderer.stop();
      for (const peer of peers.values()) await peer.stop();
      await channel.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The ledger side of a domain service's tests in one call: a test channel on the real NATS, the
 * development network written to a temporary folder (the layout `civic network init` writes, so
 * services load their identities from it as in production), a stand-in orderer, and peers running
 * libs/ledger's real validation and commit, optionally publishing the domain events of their
 * commits. The services under test are the caller's.
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
import { EventPublisher } from './event-publisher.js';
import { LedgerPeer, type LedgerPeerOptions } from './ledger-peer.js';
import { StubOrderer } from './stub-orderer.js';

export interface StubLedgerOptions {
  /** Seed of the network's keys (same seed, same identities). */
  readonly seed: string;
  /** Peers to run (default: `utrecht-peer`, which the dev network's other organisations read). */
  readonly peerIds?: readonly string[];
  /** The orderer cuts a block this long after its first envelope (default 15 ms). */
  readonly batchMs?: number;
  /** Where the peers keep their chains (default: a PostgreSQL database of their own each). */
  readonly database?: LedgerPeerOptions['database'];
  /** Extra delay before a peer commits each block (a peer that lags behind); default none. */
  readonly commitDelayMs?: (peerId: string) => number;
  /** Publish the domain events of each peer's commits, as a peer does (event consumers' tests). */
  readonly events?: boolean;
}

export interface StubLedger {
  readonly channel: TestChannel;
  /** The network folder (NETWORK_DIR). */
  readonly dir: string;
  readonly network: BuiltNetwork;
  readonly genesis: Block;
  readonly orderer: StubOrderer;
  readonly peers: ReadonlyMap<string, LedgerPeer>;
  /** The peers' event publishers (with `events`). */
  readonly events: ReadonlyMap<string, EventPublisher>;
  /** An identity of the network folder by name (`haulier-transport`, `ilt-user1`…). */
  signer(name: string): Signer;
  /** Waits (bounded) until every peer has committed every block cut so far. */
  settle(timeoutMs?: number): Promise<void>;
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
  const events = new Map<string, EventPublisher>();
  const { commitDelayMs } = options;
  for (const peerId of options.peerIds ?? ['utrecht-peer']) {
    const peer = await LedgerPeer.start({
      ...base,
      peerId,
      signer: signer(peerId),
      ...(options.database ? { database: options.database } : {}),
      ...(commitDelayMs ? { commitDelayMs: () => commitDelayMs(peerId) } : {}),
    });
    peers.set(peerId, peer);
    if (options.events) {
      events.set(
        peerId,
        await EventPublisher.start({ js: channel.js, channel: channel.channel, peerId, store: peer.store }),
      );
    }
  }
  let stopped = false;
  return {
    channel,
    dir,
    network: created.network,
    genesis: created.genesis,
    orderer,
    peers,
    events,
    signer,
    settle: (timeoutMs = 10_000) => settle(orderer, [...peers.values()], timeoutMs),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const publisher of events.values()) await publisher.stop();
      await orderer.stop();
      for (const peer of peers.values()) await peer.stop();
      await channel.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every peer's height reaches the orderer's last block (polls every 5 ms, bounded). */
async function settle(orderer: StubOrderer, peers: readonly LedgerPeer[], timeoutMs: number): Promise<void> {
  const target = orderer.blocks.at(-1)?.header.number ?? 0;
  const deadline = performance.now() + timeoutMs;
  while (peers.some((p) => p.height < target)) {
    if (performance.now() > deadline)
      throw new Error(`peers did not reach block ${target} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

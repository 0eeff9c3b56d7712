/**
 * A test chain built with protocol and identity: a small network (two orderers, one of them a
 * consenter at genesis, RVO as the application organisation), blocks of signed transactions,
 * and config blocks that change the consenters.
 */
import {
  buildConfigEnvelope,
  configFromBlock,
  createNetwork,
  seededKeySource,
  type ChannelConfig,
  type NetworkSpec,
  type NetworkWithGenesis,
} from '@civic/identity';
import {
  blockHashOf,
  buildBlock,
  createEnvelope,
  createPayload,
  signBlock,
  toHex,
  sha256,
  utf8Bytes,
  type Block,
  type BlockSigner,
  type Envelope,
} from '@civic/protocol';

/** 2026-03-01T12:00:00Z. */
export const T0_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

export function chainSpec(channel: string): NetworkSpec {
  return {
    channel,
    organizations: [
      { mspId: 'Orderers', name: 'Ordering service', type: 'orderer' },
      { mspId: 'RVO', name: 'Netherlands Enterprise Agency', type: 'application' },
    ],
    identities: [
      { name: 'orderer1', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
      { name: 'orderer2', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
      { name: 'orderer3', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
      { name: 'orderers-admin', mspId: 'Orderers', role: 'admin', purpose: 'admin' },
      { name: 'rvo-admin', mspId: 'RVO', role: 'admin', purpose: 'admin' },
      { name: 'rvo-subsidies', mspId: 'RVO', role: 'client', purpose: 'subsidies service' },
    ],
    consenters: ['orderer1'],
    namespaces: {
      subsidies: { writers: "'RVO.member'", endorsement: {}, defaultEndorsement: "'RVO.client'" },
    },
    policies: { admins: 'MAJORITY admin', readers: 'ANY member' },
  };
}

const networks = new Map<string, NetworkWithGenesis>();

/** The network of `channel` (built once per channel and seed). */
export function chainNetwork(channel = 'tchain', seed = 'civic-client-tests'): NetworkWithGenesis {
  const id = `${channel}/${seed}`;
  let built = networks.get(id);
  if (built === undefined) {
    built = createNetwork(chainSpec(channel), {
      timeMs: T0_MS,
      keys: seededKeySource(seed),
      genesisNonce: '22'.repeat(32),
    });
    networks.set(id, built);
  }
  return built;
}

export class ChainBuilder {
  readonly net: NetworkWithGenesis;
  readonly blocks: Block[];
  config: ChannelConfig;
  configNumber = 0;
  #nonce = 0;

  constructor(channel = 'tchain', seed = 'civic-client-tests') {
    this.net = chainNetwork(channel, seed);
    this.blocks = [this.net.genesis];
    this.config = configFromBlock(this.net.genesis);
  }

  get channel(): string {
    return this.net.genesis.header.channel;
  }

  get genesis(): Block {
    return this.net.genesis;
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1] as Block;
  }

  signer(nodeId: string): BlockSigner {
    const id = this.net.network.identities.get(nodeId);
    if (!id) throw new Error(`no identity ${nodeId}`);
    return { nodeId, mspId: id.mspId, cert: id.cert, key: id.key };
  }

  nextNonce(): string {
    this.#nonce += 1;
    return toHex(sha256(utf8Bytes(`nonce-${this.channel}-${this.#nonce}`)));
  }

  /** A signed subsidies transaction. */
  envelope(n = this.#nonce): Envelope {
    const client = this.net.network.identities.get('rvo-subsidies')!;
    const payload = createPayload({
      channel: this.channel,
      namespace: 'subsidies',
      action: 'grant',
      txTime: T0_MS + 500 + n,
      nonce: this.nextNonce(),
      creator: { mspId: client.mspId, cert: client.cert },
      reads: [{ key: `grant/${n}`, version: null }],
      writes: [{ key: `grant/${n}`, value: { amountCents: 1000 * (n + 1) } }],
      event: { type: 'grant.created', data: { n } },
    });
    return createEnvelope(payload, client.key);
  }

  /** An unsigned block on top of the tip (or of `previous`). */
  draft(
    envelopes: readonly Envelope[],
    options: { configNumber?: number; previous?: Block; timeMs?: number } = {},
  ): Block {
    const previous = options.previous ?? this.tip;
    const number = previous.header.number + 1;
    return buildBlock({
      channel: this.channel,
      number,
      previousHash: blockHashOf(previous.header),
      envelopes,
      time: options.timeMs ?? T0_MS + number * 1000,
      raft: { term: 1, index: number + 2 },
      configNumber: options.configNumber ?? this.configNumber,
    });
  }

  /** Signed by every consenter in force (or by `signers`). */
  sign(block: Block, signers: readonly string[] = this.config.consenters.map((c) => c.nodeId)): Block {
    return signers.reduce((b, id) => signBlock(b, this.signer(id)), block);
  }

  /** Appends a block of `count` transactions, signed by the consenters in force. */
  txBlock(count = 1): Block {
    const envelopes = Array.from({ length: count }, () => this.envelope());
    const block = this.sign(this.draft(envelopes));
    this.blocks.push(block);
    return block;
  }

  /**
   * Appends a config block with `next` (sequence + 1, read version of the config in force),
   * signed by the current consenters; from the next block on, `next` is in force.
   */
  configBlock(
    change: (current: ChannelConfig) => ChannelConfig,
    options: { adopt?: boolean; readVersion?: string } = {},
  ): Block {
    const next = change(this.config);
    const admin = this.net.network.identities.get('rvo-admin')!;
    const envelope = buildConfigEnvelope({
      config: next,
      creator: { mspId: admin.mspId, cert: admin.cert, key: admin.key },
      readVersion: options.readVersion ?? `${this.configNumber}:0`,
      txTime: T0_MS + 700 + this.blocks.length,
      nonce: this.nextNonce(),
    });
    const block = this.sign(this.draft([envelope]));
    this.blocks.push(block);
    if (options.adopt !== false) {
      this.config = next;
      this.configNumber = block.header.number;
    }
    return block;
  }

  /** The config with `nodeId` added as a consenter. */
  withConsenter(nodeId: string): (current: ChannelConfig) => ChannelConfig {
    const id = this.net.network.identities.get(nodeId)!;
    return (current) => ({
      ...current,
      sequence: current.sequence + 1,
      consenters: [...current.consenters, { nodeId, mspId: id.mspId, cert: id.cert }],
    });
  }

  /** The config without consenter `nodeId`. */
  withoutConsenter(nodeId: string): (current: ChannelConfig) => ChannelConfig {
    return (current) => ({
      ...current,
      sequence: current.sequence + 1,
      consenters: current.consenters.filter((c) => c.nodeId !== nodeId),
    });
  }
}

import {
  blockHashOf,
  blockSigningHash,
  createEnvelope,
  createPayload,
  dataHashOf,
  endorsePayload,
  formatRfc3339Ms,
  sha256,
  signEd25519,
  toHex,
  utf8Bytes,
  type Block,
  type Envelope,
  type ReadEntry,
  type Signer,
  type WriteEntry,
} from '@civic/protocol';
import { buildConfigEnvelope, type ChannelConfig } from '@civic/identity';
import { TEST_ACTION_PUT, TEST_NAMESPACE, type TestNetwork } from './test-network.js';

export interface TxSpec {
  readonly creator?: Signer;
  readonly namespace?: string;
  readonly action?: string;
  readonly reads?: readonly ReadEntry[];
  readonly writes?: readonly WriteEntry[];
  readonly endorsers?: readonly Signer[];
  readonly event?: { readonly type: string; readonly data: unknown };
}

/**
 * Builds signed blocks on top of a test network's genesis block, as the orderer would: numbers,
 * previous hashes, data hashes, one consenter signature. Blocks are built without the strict
 * parser so that they may carry malformed envelopes on purpose. Deterministic: nonces come
 * from a counter, block times from the network's time plus one second per block.
 */
export class BlockFactory {
  #number: number;
  #previousHash: string;
  #configNumber = 0;
  #nonces = 0;

  constructor(readonly net: TestNetwork) {
    this.#number = 0;
    this.#previousHash = blockHashOf(net.genesis.header);
  }

  /** Number of the last block built (0 = genesis). */
  get number(): number {
    return this.#number;
  }

  nextNonce(): string {
    return toHex(sha256(utf8Bytes(`${this.net.channel}/nonce/${this.#nonces++}`)));
  }

  timeOf(number: number): string {
    return formatRfc3339Ms(this.net.timeMs + number * 1000);
  }

  /** A signed transaction envelope (default: RVO client puts in the test namespace). */
  tx(spec: TxSpec = {}): Envelope {
    const creator = spec.creator ?? this.net.signer('rvo-client');
    const payload = createPayload({
      channel: this.net.channel,
      namespace: spec.namespace ?? TEST_NAMESPACE,
      action: spec.action ?? TEST_ACTION_PUT,
      txTime: this.timeOf(this.#number + 1),
      nonce: this.nextNonce(),
      creator: { mspId: creator.mspId, cert: creator.cert },
      reads: spec.reads ?? [],
      writes: spec.writes ?? [],
      event: spec.event ?? { type: 'asset.changed', data: { n: this.#nonces } },
    });
    const endorsements = (spec.endorsers ?? []).map((endorser) => endorsePayload(payload, endorser));
    return createEnvelope(payload, creator.key, endorsements);
  }

  /** A config update envelope, signed by `creator` and endorsed by `endorsers` (admins). */
  configUpdate(
    config: ChannelConfig,
    readVersion: string,
    creator: Signer,
    endorsers: readonly Signer[],
  ): Envelope {
    return buildConfigEnvelope({
      config,
      creator: { ...creator, key: creator.key },
      endorsers,
      readVersion,
      txTime: this.timeOf(this.#number + 1),
      nonce: this.nextNonce(),
    });
  }

  /**
   * The next block over `envelopes` (any JSON: malformed ones on purpose), signed by the
   * network's consenter. `configTx`: the block holds a config transaction that will be valid,
   * so later blocks name it as the config in force.
   */
  block(envelopes: readonly unknown[], options: { configTx?: boolean; time?: string } = {}): Block {
    const number = this.#number + 1;
    const header = {
      channel: this.net.channel,
      number,
      previousHash: this.#previousHash,
      dataHash: dataHashOf(envelopes as Envelope[]),
      txCount: envelopes.length,
      time: options.time ?? this.timeOf(number),
    };
    const metadata = {
      signatures: [] as unknown[],
      raft: { term: 1, index: number },
      configNumber: this.#configNumber,
    };
    const unsigned = { header, envelopes, metadata } as unknown as Block;
    const { nodeId, mspId, cert, key } = this.net.consenter;
    const signature = toHex(signEd25519(blockSigningHash(unsigned), key));
    metadata.signatures = [{ nodeId, mspId, cert, signature }];
    this.#number = number;
    this.#previousHash = blockHashOf(header);
    if (options.configTx) this.#configNumber = number;
    return unsigned;
  }
}

/** The envelope with its creator signature changed (BAD_SIGNATURE). */
export function withBadSignature(envelope: Envelope): Envelope {
  const flipped = (parseInt(envelope.signature.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0');
  return { ...envelope, signature: flipped + envelope.signature.slice(2) };
}

/** The envelope with a member the contract does not define in its payload (MALFORMED). */
export function malformed(envelope: Envelope): unknown {
  return { ...envelope, payload: { ...envelope.payload, unexpected: true } };
}

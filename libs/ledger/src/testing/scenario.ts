import { ValidationCode, type Block, type Envelope, type ReadEntry, type WriteEntry } from '@civic/protocol';
import type { ChannelConfig } from '@civic/identity';
import { BlockFactory, malformed, withBadSignature } from './block-factory.js';
import { TEST_ACTION_GRANT, TEST_NAMESPACE, type TestNetwork } from './test-network.js';

/**
 * A seeded stream of blocks with, for every transaction, the code a correct peer must give it:
 * valid writes and reads interleaved with transactions of every invalid code, a valid config
 * update and an invalid one. The generator keeps its own model of the state (the versions a
 * VALID transaction leaves), so the expected codes do not come from the code under test.
 */
export interface ScenarioOptions {
  readonly blocks: number;
  readonly seed: number;
  /** Most transactions per block (a block holds 1..max). */
  readonly txsPerBlockMax?: number;
  /** Block holding a valid config update (default: the middle one; -1 = none). */
  readonly configUpdateAt?: number;
  /** Share of transactions that are valid (0..1); the rest spread over the invalid codes. */
  readonly validShare?: number;
  /** Distinct keys the valid transactions touch (more keys, fewer read conflicts by chance). */
  readonly keys?: number;
}

export interface ScenarioBlock {
  readonly block: Block;
  readonly expected: readonly ValidationCode[];
}

/** mulberry32: a small seeded PRNG, good enough to pick test cases reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const INVALID_KINDS = [
  ValidationCode.MALFORMED,
  ValidationCode.BAD_SIGNATURE,
  ValidationCode.UNKNOWN_IDENTITY,
  ValidationCode.EXPIRED_IDENTITY,
  ValidationCode.WRITER_NOT_ALLOWED,
  ValidationCode.ENDORSEMENT_POLICY_FAILURE,
  ValidationCode.MVCC_READ_CONFLICT,
  ValidationCode.DUPLICATE_TXID,
] as const;

export function* scenarioBlocks(net: TestNetwork, options: ScenarioOptions): Generator<ScenarioBlock> {
  const model = new ScenarioModel(net, options);
  for (let b = 1; b <= options.blocks; b++) yield model.nextBlock();
}

class ScenarioModel {
  readonly factory: BlockFactory;
  readonly random: () => number;
  /** Key → version of its last valid write (absent = not in the state). */
  readonly versions = new Map<string, string>();
  /** Envelopes that pass every check before the duplicate check: duplicates of them are DUPLICATE_TXID. */
  readonly wellSigned: Envelope[] = [];
  config: ChannelConfig;
  configVersion = '0:0';
  readonly txsMax: number;
  readonly configUpdateAt: number;
  readonly validShare: number;
  readonly keyCount: number;

  constructor(
    readonly net: TestNetwork,
    options: ScenarioOptions,
  ) {
    this.factory = new BlockFactory(net);
    this.random = prng(options.seed);
    this.config = net.config;
    this.txsMax = options.txsPerBlockMax ?? 8;
    this.configUpdateAt = options.configUpdateAt ?? Math.max(2, Math.floor(options.blocks / 2));
    this.validShare = options.validShare ?? 0.6;
    this.keyCount = options.keys ?? 200;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  nextBlock(): ScenarioBlock {
    const number = this.factory.number + 1;
    if (number === this.configUpdateAt) return this.configBlock(number, true);
    if (number === this.configUpdateAt + 1) return this.configBlock(number, false);
    const count = 1 + Math.floor(this.random() * this.txsMax);
    const envelopes: unknown[] = [];
    const expected: ValidationCode[] = [];
    for (let i = 0; i < count; i++) {
      const kind = this.random() < this.validShare ? ValidationCode.VALID : this.pick(INVALID_KINDS);
      const [envelope, code] = this.txOfKind(kind, number, i);
      envelopes.push(envelope);
      expected.push(code);
    }
    return { block: this.factory.block(envelopes), expected };
  }

  /** A valid config update (sequence + 1) or an invalid one (sequence + 2), alone in its block. */
  configBlock(number: number, valid: boolean): ScenarioBlock {
    const next: ChannelConfig = {
      ...this.config,
      sequence: this.config.sequence + (valid ? 1 : 2),
      batch: { ...this.config.batch, maxMessageCount: this.config.batch.maxMessageCount + 1 },
    };
    const admins = [this.net.signer('rvo-admin'), this.net.signer('utrecht-admin')];
    const envelope = this.factory.configUpdate(next, this.configVersion, admins[0]!, admins.slice(1));
    const block = this.factory.block([envelope], { configTx: valid });
    if (valid) {
      this.config = next;
      this.configVersion = `${number}:0`;
      return { block, expected: [ValidationCode.VALID] };
    }
    return { block, expected: [ValidationCode.INVALID_CONFIG] };
  }

  txOfKind(kind: ValidationCode, number: number, index: number): [unknown, ValidationCode] {
    switch (kind) {
      case ValidationCode.VALID:
        return [this.validTx(number, index), kind];
      case ValidationCode.MALFORMED:
        return [malformed(this.factory.tx({ writes: this.someWrites() })), kind];
      case ValidationCode.BAD_SIGNATURE:
        return [withBadSignature(this.factory.tx({ writes: this.someWrites() })), kind];
      case ValidationCode.UNKNOWN_IDENTITY:
        return [this.factory.tx({ creator: this.net.rogue, writes: this.someWrites() }), kind];
      case ValidationCode.EXPIRED_IDENTITY: {
        const creator = this.random() < 0.5 ? this.net.expired : this.net.revoked;
        return [this.factory.tx({ creator, writes: this.someWrites() }), kind];
      }
      case ValidationCode.WRITER_NOT_ALLOWED:
        return [
          this.factory.tx({ creator: this.net.signer('amsterdam-client'), writes: this.someWrites() }),
          kind,
        ];
      case ValidationCode.ENDORSEMENT_POLICY_FAILURE:
        return [this.factory.tx({ action: TEST_ACTION_GRANT, writes: this.someWrites() }), kind];
      case ValidationCode.MVCC_READ_CONFLICT:
        return [
          this.remember(this.factory.tx({ reads: [this.staleRead()], writes: this.someWrites() })),
          kind,
        ];
      case ValidationCode.DUPLICATE_TXID:
        if (this.wellSigned.length === 0) return [this.validTx(number, index), ValidationCode.VALID];
        return [this.pick(this.wellSigned), kind];
      default:
        throw new RangeError(`scenario: no generator for ${kind}`);
    }
  }

  validTx(number: number, index: number): Envelope {
    const reads: ReadEntry[] = [];
    const readCount = Math.floor(this.random() * 3);
    for (let r = 0; r < readCount; r++) {
      const key = this.randomKey();
      if (!reads.some((read) => read.key === key))
        reads.push({ key, version: this.versions.get(key) ?? null });
    }
    const writes = this.someWrites();
    const grant = this.random() < 0.2;
    const envelope = this.factory.tx({
      creator: this.net.signer(this.random() < 0.5 ? 'rvo-client' : 'utrecht-client'),
      ...(grant
        ? {
            action: TEST_ACTION_GRANT,
            endorsers: [this.net.signer('utrecht-client'), this.net.signer('rvo-client')],
          }
        : {}),
      reads,
      writes,
    });
    const version = `${number}:${index}`;
    for (const write of writes) {
      if ('delete' in write) this.versions.delete(write.key);
      else this.versions.set(write.key, version);
    }
    return this.remember(envelope);
  }

  remember(envelope: Envelope): Envelope {
    this.wellSigned.push(envelope);
    return envelope;
  }

  randomKey(): string {
    return `k${Math.floor(this.random() * this.keyCount)}`;
  }

  someWrites(): WriteEntry[] {
    const writes: WriteEntry[] = [];
    const count = 1 + Math.floor(this.random() * 3);
    for (let w = 0; w < count; w++) {
      const key = this.randomKey();
      if (writes.some((write) => write.key === key)) continue;
      if (this.versions.has(key) && this.random() < 0.15) writes.push({ key, delete: true });
      else
        writes.push({
          key,
          value: { owner: this.pick(['RVO', 'Utrecht']), amountCents: Math.floor(this.random() * 1e6) },
        });
    }
    return writes;
  }

  /** A read whose version is not the key's current one. */
  staleRead(): ReadEntry {
    const key = this.randomKey();
    const current = this.versions.get(key);
    if (current === undefined) return { key, version: '0:7' };
    return this.random() < 0.5
      ? { key, version: null }
      : { key, version: `${current.split(':')[0]}:${Number(current.split(':')[1]) + 1000}` };
  }
}

export { TEST_NAMESPACE };

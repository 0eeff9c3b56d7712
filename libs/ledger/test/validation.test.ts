import { describe, expect, it } from 'vitest';
import { blockHashOf, parseCertificate, ValidationCode, type Block } from '@civic/protocol';
import type { ChannelConfig } from '@civic/identity';
import {
  BlockRejectedError,
  chainStart,
  readBlockInput,
  stateMapKey,
  validateBlock,
  type BlockOutcome,
  type ChainState,
} from '../src/index.js';
import { BlockFactory, createTestNetwork, withBadSignature } from '../src/testing/index.js';

/** A chain in memory over validateBlock: what a store would hold, without one. */
class MemoryChain {
  chain: ChainState = chainStart('unit');
  readonly versions = new Map<string, string>();
  readonly txIds = new Set<string>();

  constructor(private readonly genesisHash?: string) {}

  add(block: unknown): BlockOutcome {
    const outcome = validateBlock(
      readBlockInput(JSON.parse(JSON.stringify(block))),
      this.chain,
      {
        version: (ns, key) => this.versions.get(stateMapKey(ns, key)) ?? null,
        hasTxId: (id) => this.txIds.has(id),
      },
      this.genesisHash ? { genesisHash: this.genesisHash } : {},
    );
    for (const c of outcome.commit.stateChanges) {
      if (c.value === null) this.versions.delete(stateMapKey(c.namespace, c.key));
      else this.versions.set(stateMapKey(c.namespace, c.key), c.version);
    }
    for (const id of outcome.txIds) this.txIds.add(id);
    this.chain = outcome.next;
    return outcome;
  }
}

function rejection(fn: () => unknown): BlockRejectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BlockRejectedError) return error;
    throw error;
  }
  throw new Error('expected BlockRejectedError');
}

describe('block validation rules', () => {
  const net = createTestNetwork({ channel: 'unit' });

  it('checks reads against earlier valid writes of the same block', () => {
    const chain = new MemoryChain();
    const factory = new BlockFactory(net);
    chain.add(net.genesis);
    const outcome = chain.add(
      factory.block([
        factory.tx({ writes: [{ key: 'k', value: 1 }] }),
        factory.tx({ reads: [{ key: 'k', version: null }], writes: [{ key: 'k', value: 2 }] }),
        factory.tx({ reads: [{ key: 'k', version: '1:0' }], writes: [{ key: 'k', value: 3 }] }),
        factory.tx({ reads: [{ key: 'k', version: '1:2' }], writes: [{ key: 'k', delete: true }] }),
        factory.tx({ reads: [{ key: 'k', version: null }] }),
      ]),
    );
    expect(outcome.codes).toEqual(['VALID', 'MVCC_READ_CONFLICT', 'VALID', 'VALID', 'VALID']);
    expect(outcome.commit.stateChanges).toEqual([
      { namespace: 'assets', key: 'k', value: null, version: '1:3' },
    ]);
    expect(outcome.commit.history.map((h) => [h.index, h.value])).toEqual([
      [0, '1'],
      [2, '3'],
      [3, null],
    ]);
  });

  it('marks any later occurrence of a txId DUPLICATE_TXID and keeps the first code in the commit hash', () => {
    const chain = new MemoryChain();
    const factory = new BlockFactory(net);
    chain.add(net.genesis);
    const conflicting = factory.tx({ reads: [{ key: 'absent', version: '0:9' }] });
    const outcome = chain.add(factory.block([conflicting, conflicting]));
    expect(outcome.codes).toEqual(['MVCC_READ_CONFLICT', 'DUPLICATE_TXID']);
    expect(Object.values(outcome.receipt.codes)).toEqual(['MVCC_READ_CONFLICT']);
    // An earlier invalid occurrence counts too (as Fabric): the txId is spent.
    expect(chain.add(factory.block([conflicting])).codes).toEqual(['DUPLICATE_TXID']);
  });

  it('puts a config update in force from the next block, not its own', () => {
    const chain = new MemoryChain();
    const factory = new BlockFactory(net);
    chain.add(net.genesis);
    const client = net.signer('rvo-client');
    const serial = parseCertificate(client.cert).serialHex;
    const next: ChannelConfig = {
      ...net.config,
      sequence: 1,
      organizations: net.config.organizations.map((o) =>
        o.mspId === 'RVO' ? { ...o, revokedSerials: [...o.revokedSerials, serial] } : o,
      ),
    };
    const update = factory.configUpdate(next, '0:0', net.signer('rvo-admin'), [net.signer('utrecht-admin')]);
    const same = factory.tx({ creator: client, writes: [{ key: 'a', value: 1 }] });
    const block1 = chain.add(factory.block([update, same], { configTx: true }));
    expect(block1.codes).toEqual(['VALID', 'VALID']);
    expect(chain.chain.configBlock).toBe(1);
    const block2 = chain.add(
      factory.block([factory.tx({ creator: client, writes: [{ key: 'b', value: 1 }] })]),
    );
    expect(block2.codes).toEqual(['EXPIRED_IDENTITY']);
  });

  it('refuses config updates that are invalid or not signed as admins requires', () => {
    const chain = new MemoryChain();
    const factory = new BlockFactory(net);
    chain.add(net.genesis);
    const skip = { ...net.config, sequence: 2 };
    const one = { ...net.config, sequence: 1 };
    const outcome = chain.add(
      factory.block([
        factory.configUpdate(skip, '0:0', net.signer('rvo-admin'), [net.signer('utrecht-admin')]),
        factory.configUpdate(one, '0:0', net.signer('rvo-admin'), []),
        factory.configUpdate(one, '0:0', net.signer('rvo-client'), [net.signer('utrecht-admin')]),
      ]),
    );
    expect(outcome.codes).toEqual(['INVALID_CONFIG', 'INVALID_CONFIG', 'INVALID_CONFIG']);
    expect(outcome.reasons[0]).toMatch(/sequence/);
    expect(outcome.reasons[1]).toMatch(/admins/);
    expect(chain.chain.config?.sequence).toBe(0);
  });

  it('gives a stale read of the config key MVCC_READ_CONFLICT, after a duplicate txId', () => {
    const chain = new MemoryChain();
    const factory = new BlockFactory(net);
    chain.add(net.genesis);
    const admins = [net.signer('utrecht-admin')];
    const update = factory.configUpdate(
      { ...net.config, sequence: 1 },
      '0:0',
      net.signer('rvo-admin'),
      admins,
    );
    const stale = factory.configUpdate(
      { ...net.config, sequence: 1 },
      '0:0',
      net.signer('rvo-admin'),
      admins,
    );
    const outcome = chain.add(factory.block([update, stale, update], { configTx: true }));
    expect(outcome.codes).toEqual(['VALID', 'MVCC_READ_CONFLICT', 'DUPLICATE_TXID']);
    expect(outcome.reasons[1]).toMatch(/reads the config at version 0:0; the config in force is at 1:0/);
    expect(chain.chain.configBlock).toBe(1);
  });

  it('applies the order of docs/peer.md: identity before signature before writers before endorsement', () => {
    const chain = new MemoryChain();
    const factory = new BlockFactory(net);
    chain.add(net.genesis);
    const outcome = chain.add(
      factory.block([
        withBadSignature(factory.tx({ creator: net.expired })),
        withBadSignature(factory.tx({ creator: net.signer('amsterdam-client') })),
        factory.tx({ creator: net.signer('amsterdam-client'), action: 'grant' }),
        withBadSignature(factory.tx({ action: 'grant' })),
      ]),
    );
    expect(outcome.codes).toEqual([
      'EXPIRED_IDENTITY',
      'BAD_SIGNATURE',
      'WRITER_NOT_ALLOWED',
      'BAD_SIGNATURE',
    ]);
  });

  it('refuses blocks that do not chain, are not signed by a consenter, or are not the trusted genesis', () => {
    const factory = new BlockFactory(net);
    const other = createTestNetwork({ channel: 'unit', seed: 'another network' });
    expect(
      rejection(() => new MemoryChain(blockHashOf(net.genesis.header)).add(other.genesis)).reason,
    ).toMatch(/not the expected/);
    const chain = new MemoryChain();
    chain.add(net.genesis);
    const b1 = factory.block([factory.tx({ writes: [{ key: 'a', value: 1 }] })]);
    const b2 = factory.block([factory.tx({ writes: [{ key: 'b', value: 1 }] })]);
    expect(rejection(() => chain.add(b2)).reason).toMatch(/expected block 1/);
    const foreign: Block = {
      ...b1,
      metadata: { ...b1.metadata, signatures: [{ ...b1.metadata.signatures[0]!, nodeId: 'orderer9' }] },
    };
    expect(rejection(() => chain.add(foreign)).reason).toMatch(/not a consenter/);
    const otherConfig: Block = { ...b1, metadata: { ...b1.metadata, configNumber: 1 } };
    expect(rejection(() => chain.add(otherConfig)).blockNumber).toBe(1);
    expect(chain.add(b1).codes).toEqual([ValidationCode.VALID]);
  });
});

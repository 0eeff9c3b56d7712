import { describe, expect, it } from 'vitest';
import { blockHashOf, canonicalize, serializeBlock, type Block } from '@civic/protocol';
import {
  BlockVerifier,
  TrustAnchorError,
  verifierFromHead,
  verifierFromTrust,
  type BlockSource,
} from '../src/index.js';
import { ChainBuilder } from './support/chain.js';

function arraySource(blocks: readonly unknown[], fetched: number[] = []): BlockSource {
  return (from, to) => ({
    async *[Symbol.asyncIterator]() {
      for (let n = from; n <= to && n < blocks.length; n++) {
        fetched.push(n);
        yield blocks[n];
      }
    },
  });
}

function chainWithConfigChange(): ChainBuilder {
  const chain = new ChainBuilder('ttrust');
  chain.txBlock(2); // 1
  chain.configBlock(chain.withConsenter('orderer2')); // 2
  chain.txBlock(1); // 3
  chain.txBlock(1); // 4
  chain.txBlock(1); // 5
  return chain;
}

describe('trust anchors', () => {
  it('starts from a trusted head, fetching only the blocks from its config block on', async () => {
    const chain = chainWithConfigChange();
    const fetched: number[] = [];
    const head = { channel: 'ttrust', height: 4, blockHash: blockHashOf(chain.blocks[4]!.header) };
    const v = await verifierFromHead(head, arraySource(chain.blocks.map(serializeBlock), fetched));
    expect(v.tip.number).toBe(4);
    expect(v.config.number).toBe(2);
    expect(v.config.consenters.map((c) => c.nodeId)).toEqual(['orderer1', 'orderer2']);
    expect(fetched).toEqual([4, 2, 3]);
    expect(v.verify(chain.blocks[5]).number).toBe(5);
  });

  it('refuses a head whose block or chain the source does not match', async () => {
    const chain = chainWithConfigChange();
    const source = arraySource(chain.blocks);
    await expect(
      verifierFromHead({ channel: 'ttrust', height: 4, blockHash: 'ab'.repeat(32) }, source),
    ).rejects.toThrow(/block 4 of ttrust hashes to [0-9a-f]{64}, not the trusted abab/);
    const broken: unknown[] = [...chain.blocks];
    broken[3] = JSON.parse(canonicalize(chain.blocks[3]!).replace('"txCount":1', '"txCount":1,"x":1'));
    const head = { channel: 'ttrust', height: 4, blockHash: blockHashOf(chain.blocks[4]!.header) };
    await expect(verifierFromHead(head, arraySource(broken))).rejects.toThrow();
    const swapped: Block[] = [...chain.blocks];
    swapped[3] = chain.sign(chain.draft([chain.envelope()], { previous: chain.blocks[2] }));
    await expect(verifierFromHead(head, arraySource(swapped))).rejects.toThrow(TrustAnchorError);
  });

  it('from a genesis block and a head, verifies the whole way and must reach the head hash', async () => {
    const chain = chainWithConfigChange();
    const head = { channel: 'ttrust', height: 5, blockHash: blockHashOf(chain.blocks[5]!.header) };
    const v = await verifierFromTrust({ head, genesis: chain.genesis }, arraySource(chain.blocks));
    expect(v.tip.number).toBe(5);
    await expect(
      verifierFromTrust(
        { head: { ...head, blockHash: 'cd'.repeat(32) }, genesis: chain.genesis },
        arraySource(chain.blocks),
      ),
    ).rejects.toThrow(/BlockHashError/);
  });

  it('resumes from a saved state without any block source', async () => {
    const chain = chainWithConfigChange();
    const first = BlockVerifier.fromGenesis(chain.genesis);
    for (const block of chain.blocks.slice(1, 3)) first.verify(block);
    const v = await verifierFromTrust({ state: JSON.parse(JSON.stringify(first.state())) }, null);
    expect(v.pendingConfig?.number).toBe(2);
    expect(v.verify(chain.blocks[3]).configNumber).toBe(2);
  });
});

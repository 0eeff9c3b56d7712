import {
  buildBlock,
  parseBlock,
  serializeBlock,
  signBlock,
  verifyBlock,
  formatRfc3339Ms,
  serializeEnvelope,
  sha256,
  type BlockSigner,
} from '@civic/protocol';
import { describe, expect, it } from 'vitest';
import { assembleSignedBlock } from '../src/chain/assemble.js';
import { decideEntry, genesisState, stateAfterTip, type ChainState } from '../src/chain/chain-state.js';
import { decodeSnapshotData, encodeSnapshotData } from '../src/chain/snapshot-data.js';
import { configUpdateEnvelope, createTestNetwork, makeEnvelope } from '../src/testing/network.js';
import { TxIdWindow } from '../src/intake/txid-window.js';

const net = createTestNetwork({ channel: 'chain' });
const o1 = net.identity('orderer1');
const signer: BlockSigner = { nodeId: 'orderer1', mspId: o1.mspId, cert: o1.cert, key: o1.key };
const genesis = genesisState(net.genesis);

function draftOf(state: ChainState, count: number, index: number, term = 2) {
  const envelopes = Array.from({ length: count }, (_, i) =>
    makeEnvelope(net.identity('utrecht-parking'), { channel: 'chain', key: `k${index}-${i}` }),
  );
  return {
    envelopes,
    draft: {
      channel: 'chain',
      number: state.height,
      previousHash: state.tip.hash,
      time: formatRfc3339Ms(Date.parse(state.tip.time) + 1),
      raft: { term, index },
      configNumber: state.configNumber,
      envelopes: envelopes.map((e) => {
        const bytes = serializeEnvelope(e);
        return { bytes, envelopeHash: sha256(bytes) };
      }),
    },
  };
}

describe('block assembly', () => {
  it('gives the bytes of protocol buildBlock + signBlock + serializeBlock, for 0 to many envelopes', () => {
    for (const count of [0, 1, 2, 3, 7, 64]) {
      const { envelopes, draft } = draftOf(genesis, count, 5);
      const assembled = assembleSignedBlock(draft, signer);
      const expected = serializeBlock(signBlock(buildBlock({ ...draft, envelopes }), signer));
      expect(Buffer.from(assembled.bytes).toString()).toBe(Buffer.from(expected).toString());
      verifyBlock(parseBlock(assembled.bytes), {
        previous: genesis.tip,
        consenters: net.config.consenters,
        configNumber: 0,
      });
    }
  });
});

describe('applying committed entries', () => {
  it('appends a block that extends the chain, then knows it', () => {
    const { draft } = draftOf(genesis, 3, 2);
    const { bytes } = assembleSignedBlock(draft, signer);
    const decision = decideEntry(genesis, { index: 2, term: 2, data: bytes });
    expect(decision.kind).toBe('append');
    if (decision.kind !== 'append') return;
    expect(decision.next.height).toBe(2);
    expect(decision.txIds).toHaveLength(3);
    expect(decideEntry(decision.next, { index: 2, term: 2, data: bytes })).toEqual({
      kind: 'known',
      number: 1,
    });
  });

  it('ignores a block at the wrong Raft position, on a wrong previous hash, signed by a non-consenter, or not a block', () => {
    const { draft } = draftOf(genesis, 1, 2);
    const good = assembleSignedBlock(draft, signer).bytes;
    expect(decideEntry(genesis, { index: 3, term: 2, data: good }).kind).toBe('ignore');
    const wrongPrev = assembleSignedBlock({ ...draft, previousHash: 'ab'.repeat(32) }, signer).bytes;
    expect(decideEntry(genesis, { index: 2, term: 2, data: wrongPrev }).kind).toBe('ignore');
    const client = net.identity('utrecht-parking');
    const forged = assembleSignedBlock(draft, {
      nodeId: 'orderer1',
      mspId: client.mspId,
      cert: client.cert,
      key: client.key,
    }).bytes;
    expect(decideEntry(genesis, { index: 2, term: 2, data: forged }).kind).toBe('ignore');
    expect(decideEntry(genesis, { index: 2, term: 2, data: Uint8Array.of(1, 2) }).kind).toBe('ignore');
  });

  it('puts a valid config block in force from the next block, also after a restart from the stored tip', () => {
    const next = { ...net.config, sequence: 1, batch: { ...net.config.batch, maxMessageCount: 7 } };
    const envelope = configUpdateEnvelope(net, next);
    const bytes = serializeEnvelope(envelope);
    const { draft } = draftOf(genesis, 0, 2);
    const block = assembleSignedBlock(
      { ...draft, envelopes: [{ bytes, envelopeHash: sha256(bytes) }] },
      signer,
    );
    const decision = decideEntry(genesis, { index: 2, term: 2, data: block.bytes });
    expect(decision.kind === 'append' && decision.configChanged).toBe(true);
    if (decision.kind !== 'append') return;
    expect(decision.next.config.batch.maxMessageCount).toBe(7);
    expect(decision.next.configNumber).toBe(1);
    const restarted = stateAfterTip(parseBlock(block.bytes), net.genesis);
    expect(restarted).toEqual(decision.next);
    // The next block must name the new config.
    const stale = assembleSignedBlock(draftOf(decision.next, 1, 3).draft, signer);
    expect(decideEntry(decision.next, { index: 3, term: 2, data: stale.bytes }).kind).toBe('append');
    const wrong = assembleSignedBlock({ ...draftOf(decision.next, 1, 3).draft, configNumber: 0 }, signer);
    expect(decideEntry(decision.next, { index: 3, term: 2, data: wrong.bytes }).kind).toBe('ignore');
  });

  it('round-trips the chain state through snapshot data', () => {
    expect(decodeSnapshotData(encodeSnapshotData(genesis))).toEqual(genesis);
    expect(() => decodeSnapshotData(new TextEncoder().encode('{"v":2}'))).toThrow(/chain tip/);
  });
});

describe('txId window', () => {
  it('remembers txIds until their txTime leaves the window, and refuses admissions when full', () => {
    const window = new TxIdWindow({ windowMs: 10_000, marginMs: 1000, entriesMax: 2 });
    expect(window.add('a', 0)).toBe(true);
    expect(window.add('b', 5000)).toBe(true);
    expect(window.add('c', 5000)).toBe(false);
    expect(window.add('c', 5000, true)).toBe(true);
    window.evict(11_000);
    expect(window.has('a')).toBe(true);
    window.evict(15_000);
    expect(window.has('a')).toBe(false);
    expect(window.has('b')).toBe(true);
    window.evict(40_000);
    expect(window.size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  BadNameError,
  BlockChannelError,
  BlockHashError,
  BlockNumberError,
  BlockSignatureError,
  BlockTimeError,
  BlockVerificationError,
  ConfigNumberError,
  DataHashError,
  GenesisBlockError,
  PreviousHashError,
  RaftPositionError,
  TxCountError,
  ZERO_HASH_HEX,
  addEndorsements,
  blockHashOf,
  buildBlock,
  chainTipOf,
  commitHashOf,
  createEnvelope,
  endorsePayload,
  envelopeInclusionProof,
  fromHex,
  parseBlock,
  sha256,
  signBlock,
  toHex,
  txIdOf,
  utf8Bytes,
  verifyBlock,
  verifyEnvelope,
  verifyEnvelopeInclusion,
  verifyEnvelopes,
  type Block,
  type ChainTip,
  type Envelope,
} from '../src/index.js';
import {
  CHANNEL,
  admin,
  consenters,
  creator,
  endorser,
  genesisPayload,
  orderer1,
  orderer2,
  sampleChain,
  sampleEnvelope,
  samplePayload,
  timeOf,
} from './helpers/fixtures.js';

type Json = Record<string, unknown>;
const [genesis, block1, block2] = sampleChain(2, 4) as [Block, Block, Block];
const tip0 = chainTipOf(genesis);
const tip1 = chainTipOf(block1);

/** A copy of `block` edited as JSON and parsed again (so it is well-formed). */
function edited(block: Block, edit: (b: Json) => void): Block {
  const copy = JSON.parse(JSON.stringify(block)) as Json;
  edit(copy);
  return parseBlock(copy);
}

/** Rebuilds and re-signs block 1 with different fields. */
function rebuilt(fields: Partial<Parameters<typeof buildBlock>[0]>, signer = orderer1): Block {
  const block = buildBlock({
    channel: CHANNEL,
    number: 1,
    previousHash: tip0.hash,
    envelopes: block1.envelopes,
    time: block1.header.time,
    raft: block1.metadata.raft,
    configNumber: 0,
    ...fields,
  });
  return signBlock(block, signer);
}

function failure(fn: () => unknown): BlockVerificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BlockVerificationError) return error;
    throw error;
  }
  throw new Error('expected a BlockVerificationError');
}

describe('verifyBlock', () => {
  it('accepts a valid chain from genesis and returns the tip and txIds', () => {
    const r0 = verifyBlock(genesis, { previous: null, consenters });
    expect(r0.tip).toEqual(tip0);
    const r1 = verifyBlock(block1, {
      previous: r0.tip,
      consenters,
      configNumber: 0,
      expectedHash: tip1.hash,
    });
    expect(r1.txIds).toEqual(block1.envelopes.map((e) => txIdOf(e.payload)));
    expect(verifyBlock(block2, { previous: r1.tip, consenters }).blockHash).toBe(blockHashOf(block2.header));
  });

  const cases: [string, () => unknown, new (...args: never[]) => BlockVerificationError][] = [
    [
      'a chain that starts after 0',
      () => verifyBlock(block1, { previous: null, consenters }),
      BlockNumberError,
    ],
    ['a skipped block', () => verifyBlock(block2, { previous: tip0, consenters }), BlockNumberError],
    [
      'another channel',
      () => verifyBlock(block1, { previous: { ...tip0, channel: 'other' }, consenters }),
      BlockChannelError,
    ],
    [
      'a wrong previous hash',
      () => verifyBlock(block1, { previous: { ...tip0, hash: ZERO_HASH_HEX }, consenters }),
      PreviousHashError,
    ],
    [
      'genesis with a non-zero previous hash',
      () =>
        verifyBlock(
          edited(genesis, (b) => ((b.header as Json).previousHash = 'ab'.repeat(32))),
          { previous: null, consenters },
        ),
      PreviousHashError,
    ],
    [
      'time going back',
      () => verifyBlock(rebuilt({ time: '2026-11-28T09:59:59.999Z' }), { previous: tip0, consenters }),
      BlockTimeError,
    ],
    [
      'an unexpected hash',
      () => verifyBlock(block1, { previous: tip0, consenters, expectedHash: tip0.hash }),
      BlockHashError,
    ],
    [
      'a wrong txCount',
      () =>
        verifyBlock(
          edited(block1, (b) => ((b.header as Json).txCount = 3)),
          { previous: tip0, consenters },
        ),
      TxCountError,
    ],
    [
      'reordered envelopes',
      () =>
        verifyBlock(
          edited(block1, (b) => (b.envelopes as Json[]).reverse()),
          { previous: tip0, consenters },
        ),
      DataHashError,
    ],
    [
      'a config number from the future',
      () => verifyBlock(rebuilt({ configNumber: 1 }), { previous: tip0, consenters }),
      ConfigNumberError,
    ],
    [
      'another config in force',
      () => verifyBlock(block1, { previous: tip0, consenters, configNumber: 7 }),
      ConfigNumberError,
    ],
    [
      'genesis holding a normal transaction',
      () => {
        const g = buildBlock({
          channel: CHANNEL,
          number: 0,
          previousHash: ZERO_HASH_HEX,
          envelopes: [sampleEnvelope(1)],
          time: timeOf(0),
          raft: { term: 0, index: 0 },
          configNumber: 0,
        });
        return verifyBlock(signBlock(g, orderer1), { previous: null, consenters });
      },
      GenesisBlockError,
    ],
    [
      'genesis with a raft position',
      () =>
        verifyBlock(
          edited(genesis, (b) => ((b.metadata as Json).raft = { term: 1, index: 1 })),
          { previous: null, consenters },
        ),
      GenesisBlockError,
    ],
    [
      'no signature',
      () =>
        verifyBlock(
          edited(block1, (b) => ((b.metadata as Json).signatures = [])),
          { previous: tip0, consenters },
        ),
      BlockSignatureError,
    ],
    [
      'a signer that is not a consenter',
      () => verifyBlock(block1, { previous: tip0, consenters: consenters.slice(1) }),
      BlockSignatureError,
    ],
    [
      'a consenter with another certificate',
      () => verifyBlock(block1, { previous: tip0, consenters: [{ ...consenters[0]!, cert: orderer2.cert }] }),
      BlockSignatureError,
    ],
    [
      'a signature by the wrong key',
      () => {
        const unsigned = edited(block1, (b) => ((b.metadata as Json).signatures = []));
        const byOrderer2 = signBlock(unsigned, orderer2).metadata.signatures[0]!.signature;
        const forged = edited(
          block1,
          (b) => (((b.metadata as Json).signatures as Json[])[0]!.signature = byOrderer2),
        );
        return verifyBlock(forged, { previous: tip0, consenters });
      },
      BlockSignatureError,
    ],
    [
      'a raft position that goes backwards (unsigned metadata, checked against the previous block)',
      () =>
        verifyBlock(
          edited(block2, (b) => ((b.metadata as Json).raft = { ...block1.metadata.raft })),
          { previous: tip1, consenters },
        ),
      RaftPositionError,
    ],
    [
      'a tampered header time',
      () =>
        verifyBlock(
          edited(block1, (b) => ((b.header as Json).time = timeOf(11))),
          { previous: tip0, consenters },
        ),
      BlockSignatureError,
    ],
    [
      'one bad signature next to a good one',
      () => {
        const both = signBlock(block1, orderer2);
        return verifyBlock(
          edited(both, (b) => {
            const s = ((b.metadata as Json).signatures as Json[])[1]!;
            s.signature = (s.signature as string).replace(/^./, (c) => (c === '0' ? '1' : '0'));
          }),
          { previous: tip0, consenters },
        );
      },
      BlockSignatureError,
    ],
  ];

  it.each(cases)('refuses %s', (_what, fn, errorClass) => {
    const error = failure(fn);
    expect(error).toBeInstanceOf(errorClass);
    expect(error.name).toBe(errorClass.name);
    expect(error.blockNumber).toBe(error.message.startsWith('block 0') ? 0 : error.blockNumber);
    expect(error.message).toContain(error.reason);
  });

  it('accepts two consenter signatures and the block of the second consenter alone', () => {
    expect(verifyBlock(signBlock(block1, orderer2), { previous: tip0, consenters }).tip).toEqual(tip1);
    expect(verifyBlock(rebuilt({}, orderer2), { previous: tip0, consenters }).tip).toEqual(tip1);
  });

  it('asserts its arguments', () => {
    expect(() => verifyBlock(null as never, { previous: null, consenters })).toThrow(TypeError);
    expect(() => verifyBlock(block1, {} as never)).toThrow(TypeError);
    expect(() => verifyBlock(block1, { previous: { hash: 'x' } as ChainTip, consenters })).toThrow(TypeError);
  });
});

describe('building and signing', () => {
  it('refuses keys that are not the certificate’s, double signing and a non-zero genesis parent', () => {
    expect(() => signBlock(block1, { ...orderer1, key: orderer2.key })).toThrow(
      /not the one in the certificate/,
    );
    expect(() => signBlock(block1, orderer1)).toThrow(/signed this block already/);
    expect(() => signBlock(JSON.parse(JSON.stringify(block1)) as Block, orderer2)).toThrow(
      /buildBlock or parseBlock/,
    );
    expect(() => signBlock(block1, { ...orderer2, nodeId: 'Orderer 2' })).toThrow(BadNameError);
    expect(() =>
      buildBlock({
        channel: CHANNEL,
        number: 0,
        previousHash: tip0.hash,
        envelopes: [],
        time: timeOf(0),
        raft: { term: 0, index: 0 },
        configNumber: 0,
      }),
    ).toThrow(RangeError);
    expect(() => createEnvelope(samplePayload(1), endorser.key)).toThrow(/not the one in the certificate/);
    expect(() => endorsePayload(samplePayload(1), { ...endorser, cert: creator.cert })).toThrow(RangeError);
  });

  it('builds blocks with Date and epoch times, and an empty block', () => {
    const b = buildBlock({
      channel: CHANNEL,
      number: 1,
      previousHash: tip0.hash,
      envelopes: [],
      time: new Date(Date.UTC(2026, 10, 28, 11)),
      raft: { term: 1, index: 2 },
      configNumber: 0,
    });
    expect(b.header).toMatchObject({ txCount: 0, time: '2026-11-28T11:00:00.000Z' });
    expect(b.header.dataHash).toBe(toHex(sha256()));
    expect(verifyBlock(signBlock(b, orderer1), { previous: tip0, consenters }).txIds).toEqual([]);
  });

  it('proves each envelope in the block’s dataHash', () => {
    block2.envelopes.forEach((envelope, i) => {
      const proof = envelopeInclusionProof(block2, i);
      expect(verifyEnvelopeInclusion(envelope, proof, block2.header.dataHash)).toBe(true);
      expect(verifyEnvelopeInclusion(block1.envelopes[i]!, proof, block2.header.dataHash)).toBe(false);
    });
  });
});

describe('verifyEnvelopes', () => {
  it('reports valid signatures of creator and endorsers', () => {
    const reports = verifyEnvelopes(block1);
    expect(reports).toHaveLength(4);
    for (const [i, r] of reports.entries()) {
      expect(r).toMatchObject({
        index: i,
        txId: txIdOf(block1.envelopes[i]!.payload),
        creatorSignatureOk: true,
        signaturesOk: true,
      });
      expect(r.endorsements).toEqual([{ mspId: 'Utrecht', signatureOk: true }]);
    }
  });

  it('takes the txIds verifyBlock returned, and checks their count', () => {
    const { txIds } = verifyBlock(block1, { previous: tip0, consenters });
    expect(verifyEnvelopes(block1, txIds)).toEqual(verifyEnvelopes(block1));
    expect(() => verifyEnvelopes(block1, txIds.slice(1))).toThrow(TypeError);
    expect(() => verifyEnvelope(block1.envelopes[0]!, 0, 'xyz')).toThrow(TypeError);
  });

  it('reports a bad creator signature, a bad endorsement and an unreadable certificate without throwing', () => {
    const payload = samplePayload(5);
    const good = createEnvelope(payload, creator.key, [endorsePayload(payload, endorser)]);
    const swapped: Envelope = { ...good, signature: good.endorsements[0]!.signature };
    expect(verifyEnvelope(swapped)).toMatchObject({ creatorSignatureOk: false, signaturesOk: false });
    const otherTx = endorsePayload(samplePayload(6), endorser);
    const badEndorsement = addEndorsements(createEnvelope(payload, creator.key), [otherTx]);
    expect(verifyEnvelope(badEndorsement)).toMatchObject({
      creatorSignatureOk: true,
      endorsements: [{ mspId: 'Utrecht', signatureOk: false }],
      signaturesOk: false,
    });
    const unreadable: Envelope = { ...good, endorsements: [{ ...good.endorsements[0]!, cert: 'AAAA' }] };
    const report = verifyEnvelope(unreadable, 3);
    expect(report.index).toBe(3);
    expect(report.endorsements[0]).toMatchObject({
      signatureOk: false,
      error: expect.stringMatching(/certificate MALFORMED/),
    });
  });

  it('a bad envelope signature leaves the block valid if the block was cut with it', () => {
    const payload = samplePayload(9);
    const good = createEnvelope(payload, creator.key);
    const bad = { ...good, signature: '00'.repeat(64) };
    const block = signBlock(
      buildBlock({
        channel: CHANNEL,
        number: 1,
        previousHash: tip0.hash,
        envelopes: [bad, good],
        time: timeOf(20),
        raft: { term: 1, index: 2 },
        configNumber: 0,
      }),
      orderer1,
    );
    expect(() => verifyBlock(block, { previous: tip0, consenters })).not.toThrow();
    expect(verifyEnvelopes(block).map((r) => r.creatorSignatureOk)).toEqual([false, true]);
  });

  it('the genesis config transaction is signed by the admin', () => {
    expect(verifyEnvelopes(genesis)[0]).toMatchObject({
      txId: txIdOf(genesisPayload()),
      creatorSignatureOk: true,
    });
    expect(admin.mspId).toBe(genesis.envelopes[0]!.payload.creator.mspId);
  });
});

describe('commitHashOf', () => {
  it('hashes the raw previous commit hash, the raw block hash and the JCS codes', () => {
    const txA = 'aa'.repeat(32);
    const txB = 'bb'.repeat(32);
    const codes = { [txB]: 'MVCC_READ_CONFLICT', [txA]: 'VALID' } as const;
    const expected = toHex(
      sha256(
        fromHex(ZERO_HASH_HEX),
        fromHex(tip0.hash),
        utf8Bytes(`{"${txA}":"VALID","${txB}":"MVCC_READ_CONFLICT"}`),
      ),
    );
    expect(commitHashOf(ZERO_HASH_HEX, tip0.hash, codes)).toBe(expected);
    expect(() => commitHashOf(ZERO_HASH_HEX, tip0.hash, { [txA]: 'OK' } as never)).toThrow(TypeError);
    expect(() => commitHashOf('00', tip0.hash, {})).toThrow(TypeError);
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockHashOf, keyPairFromSeed, sha256, toHex, utf8Bytes, type Block } from '@civic/protocol';
import {
  buildTxProof,
  parseTxProof,
  ProofFailure,
  ProofFormatError,
  signCheckpoint,
  verifyTxProof,
  type TxInclusionProof,
} from '../src/index.js';
import { ChainBuilder } from './support/chain.js';

/** Test edits reach into JSON freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const peerKey = keyPairFromSeed(sha256(utf8Bytes('civic-client-tests/peer-key')));
const otherKey = keyPairFromSeed(sha256(utf8Bytes('civic-client-tests/other-key')));

describe('inclusion proofs', () => {
  let block: Block;

  beforeAll(() => {
    const chain = new ChainBuilder('tproof');
    chain.txBlock(1);
    block = chain.txBlock(7);
  });

  function proof(index = 3, extra: Parameters<typeof buildTxProof>[2] = {}): TxInclusionProof {
    return buildTxProof(block, index, { code: 'VALID', ...extra });
  }

  it('verifies the proof of every transaction of a block, with and without the envelope', () => {
    for (let i = 0; i < block.envelopes.length; i++) {
      const withEnvelope = verifyTxProof(JSON.stringify(proof(i)));
      expect(withEnvelope).toMatchObject({ ok: true, txIdBound: true, anchor: null });
      const bare = verifyTxProof(proof(i, { includeEnvelope: false }));
      expect(bare).toMatchObject({ ok: true, txIdBound: false });
    }
  });

  const failures: [string, ProofFailure, (p: Json) => void][] = [
    ['another block hash', ProofFailure.BLOCK_HASH_MISMATCH, (p) => (p.blockHash = 'ab'.repeat(32))],
    [
      'a changed header time',
      ProofFailure.BLOCK_HASH_MISMATCH,
      (p) => (p.header.time = '2030-01-01T00:00:00.000Z'),
    ],
    ['another block number', ProofFailure.NUMBER_MISMATCH, (p) => (p.blockNumber = 1)],
    ['another channel', ProofFailure.CHANNEL_MISMATCH, (p) => (p.channel = 'other')],
    ['another tx index', ProofFailure.AUDIT_PATH_MISMATCH, (p) => (p.txIndex = 4)],
    ['an index past the tree', ProofFailure.TREE_SIZE_MISMATCH, (p) => (p.txIndex = 7)],
    ['another tree size', ProofFailure.TREE_SIZE_MISMATCH, (p) => (p.treeSize = 8)],
    ['a changed path hash', ProofFailure.AUDIT_PATH_MISMATCH, (p) => (p.auditPath[1] = 'cd'.repeat(32))],
    ['a shortened path', ProofFailure.AUDIT_PATH_MISMATCH, (p) => p.auditPath.pop()],
    ['another envelope hash', ProofFailure.ENVELOPE_MISMATCH, (p) => (p.envelopeHash = 'ef'.repeat(32))],
    [
      'a changed envelope',
      ProofFailure.ENVELOPE_MISMATCH,
      (p) => (p.envelope.payload.writes[0].value.amountCents = 1),
    ],
    ['another txId', ProofFailure.TXID_MISMATCH, (p) => (p.txId = '01'.repeat(32))],
    ['an unknown member', ProofFailure.MALFORMED, (p) => (p.extra = true)],
    ['a missing member', ProofFailure.MALFORMED, (p) => delete p.auditPath],
    ['uppercase hex', ProofFailure.MALFORMED, (p) => (p.blockHash = p.blockHash.toUpperCase())],
    ['an unknown code', ProofFailure.MALFORMED, (p) => (p.code = 'FINE')],
  ];

  it.each(failures)('refuses a proof with %s: %s', (_what, failure, tamper) => {
    const json = JSON.parse(JSON.stringify(proof()));
    tamper(json);
    const result = verifyTxProof(json);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure).toBe(failure);
      expect(result.reason.length).toBeGreaterThan(10);
    }
  });

  it('names the bad member of a malformed proof', () => {
    expect(() => parseTxProof('{"channel":')).toThrow(ProofFormatError);
    const json = JSON.parse(JSON.stringify(proof()));
    json.auditPath[2] = 'xyz';
    expect(() => parseTxProof(json)).toThrow('proof.auditPath[2]: must be 64 lowercase hex digits');
    const again = JSON.parse(JSON.stringify(proof()));
    delete again.header.dataHash;
    expect(verifyTxProof(again)).toMatchObject({ ok: false, failure: ProofFailure.MALFORMED });
    expect(() => parseTxProof(again)).toThrow('proof.header.dataHash: is missing');
  });

  it('any bit flipped anywhere in an exported proof file makes it fail (property)', () => {
    const text = new TextEncoder().encode(JSON.stringify(proof(5)));
    expect(verifyTxProof(text).ok).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const copy = text.slice();
        copy[at]! ^= 1 << bit;
        expect(verifyTxProof(copy).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('anchors the header to a trusted hash, or refuses it when the trusted chain differs', () => {
    const hash = blockHashOf(block.header);
    expect(verifyTxProof(proof(), { trustedBlockHashes: { [block.header.number]: hash } })).toMatchObject({
      ok: true,
      anchor: { by: 'trusted-hash' },
    });
    expect(
      verifyTxProof(proof(), { trustedBlockHashes: new Map([[block.header.number, 'aa'.repeat(32)]]) }),
    ).toMatchObject({
      ok: false,
      failure: ProofFailure.NOT_TRUSTED,
    });
    expect(verifyTxProof(proof(), { requireAnchor: true })).toMatchObject({
      ok: false,
      failure: ProofFailure.NOT_TRUSTED,
    });
  });

  it('anchors the header to a peer checkpoint at its block signed by the peer key given', () => {
    const checkpoint = signCheckpoint(
      {
        channel: 'tproof',
        peerId: 'rvo-peer',
        height: 2,
        blockHash: blockHashOf(block.header),
        commitHash: '77'.repeat(32),
      },
      peerKey,
    );
    const withCheckpoint = proof(2, { checkpoint });
    const key = { publicKey: peerKey.publicKey };
    expect(verifyTxProof(withCheckpoint, { checkpointKey: key })).toMatchObject({
      ok: true,
      anchor: { by: 'checkpoint', peerId: 'rvo-peer', height: 2 },
    });
    expect(verifyTxProof(withCheckpoint)).toMatchObject({ ok: true, anchor: null });
    expect(verifyTxProof(withCheckpoint, { checkpointKey: { publicKey: otherKey.publicKey } })).toMatchObject(
      {
        ok: false,
        failure: ProofFailure.CHECKPOINT_INVALID,
      },
    );
    const { signature: _s, ...statement } = checkpoint;
    const elsewhere = signCheckpoint({ ...statement, blockHash: 'bb'.repeat(32) }, peerKey);
    expect(verifyTxProof(proof(2, { checkpoint: elsewhere }), { checkpointKey: key })).toMatchObject({
      ok: false,
      failure: ProofFailure.CHECKPOINT_MISMATCH,
    });
    const later = signCheckpoint({ ...statement, height: 9, blockHash: 'bb'.repeat(32) }, peerKey);
    const result = verifyTxProof(proof(2, { checkpoint: later }), { checkpointKey: key });
    expect(result).toMatchObject({ ok: true, anchor: null });
    if (result.ok) expect(result.notes[0]).toContain('at block 9, not 2');
  });

  it("reads the peer's proof answer (libs/ledger ProofReply) as an exported proof", () => {
    const exported = proof(6);
    const reply = {
      found: true,
      txId: exported.txId,
      block: exported.blockNumber,
      txIndex: 6,
      code: 'VALID',
      header: exported.header,
      blockHash: exported.blockHash,
      envelope: exported.envelope,
      proof: { leafIndex: 6, treeSize: 7, path: exported.auditPath },
    };
    const result = verifyTxProof(JSON.stringify(reply));
    expect(result).toMatchObject({ ok: true, txIdBound: true });
    if (result.ok) expect(result.proof).toEqual(exported);
    expect(verifyTxProof({ ...reply, proof: { ...reply.proof, leafIndex: 5 } })).toMatchObject({
      ok: false,
      reason: 'proof.proof.leafIndex: is not txIndex',
    });
  });

  it('refuses a proof whose header claims a tree the envelopes do not make (hex of a forged root)', () => {
    const forged = JSON.parse(JSON.stringify(proof()));
    forged.header.dataHash = toHex(sha256(utf8Bytes('forged')));
    forged.blockHash = blockHashOf(forged.header);
    expect(verifyTxProof(forged)).toMatchObject({ ok: false, failure: ProofFailure.AUDIT_PATH_MISMATCH });
  });
});

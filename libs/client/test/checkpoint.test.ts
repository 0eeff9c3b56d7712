import { describe, expect, it } from 'vitest';
import { keyPairFromSeed, sha256, utf8Bytes } from '@civic/protocol';
import { signCheckpoint as ledgerSign } from '@civic/ledger';
import {
  CheckpointFormatError,
  CheckpointMismatchError,
  CheckpointSignatureError,
  CommitHashChain,
  codesByTxId,
  holdToCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from '../src/index.js';
import { chainNetwork } from './support/chain.js';

const key = keyPairFromSeed(sha256(utf8Bytes('civic-client-tests/peer-key')));
const body = {
  channel: 'tcheck',
  peerId: 'rvo-peer',
  height: 41,
  blockHash: 'ab'.repeat(32),
  commitHash: 'cd'.repeat(32),
};

describe('checkpoints', () => {
  it('verifies a checkpoint signed by the peer key, and refuses another key or any change', () => {
    const checkpoint = signCheckpoint(body, key);
    expect(verifyCheckpoint(JSON.stringify(checkpoint), { publicKey: key.publicKey })).toEqual(checkpoint);
    const other = keyPairFromSeed(sha256(utf8Bytes('other')));
    expect(() => verifyCheckpoint(checkpoint, { publicKey: other.publicKey })).toThrow(
      CheckpointSignatureError,
    );
    for (const change of [
      { height: 42 },
      { blockHash: 'ac'.repeat(32) },
      { commitHash: 'ce'.repeat(32) },
      { peerId: 'x' },
    ]) {
      expect(() => verifyCheckpoint({ ...checkpoint, ...change }, { publicKey: key.publicKey })).toThrow(
        CheckpointSignatureError,
      );
    }
  });

  it('verifies the checkpoints libs/ledger signs, against the peer certificate', () => {
    const { network } = chainNetwork();
    const orderer = network.identities.get('rvo-subsidies')!; // any identity with a key: the signing is the same
    const signed = ledgerSign(body, { mspId: orderer.mspId, cert: orderer.cert, key: orderer.key });
    expect(verifyCheckpoint(signed, { cert: orderer.cert }).height).toBe(41);
    const admin = network.identities.get('rvo-admin')!;
    expect(() => verifyCheckpoint(signed, { cert: admin.cert })).toThrow(
      /names a certificate that is not the given peer key/,
    );
  });

  it('names the bad member of a malformed checkpoint', () => {
    const checkpoint = signCheckpoint(body, key);
    expect(() => parseCheckpoint({ ...checkpoint, height: -1 })).toThrow(
      'checkpoint.height: must be an integer >= 0',
    );
    expect(() => parseCheckpoint({ ...checkpoint, extra: 1 })).toThrow(CheckpointFormatError);
    expect(() => parseCheckpoint('nope')).toThrow('checkpoint: is not JSON');
  });

  it('holds a chain to a kept checkpoint', () => {
    expect(() =>
      holdToCheckpoint(body, { height: 41, blockHash: body.blockHash, commitHash: body.commitHash }),
    ).not.toThrow();
    expect(() => holdToCheckpoint(body, { height: 41, blockHash: body.blockHash })).not.toThrow();
    const error = (() => {
      try {
        holdToCheckpoint(body, { height: 41, blockHash: body.blockHash, commitHash: 'ee'.repeat(32) });
      } catch (e) {
        return e as CheckpointMismatchError;
      }
      throw new Error('no mismatch');
    })();
    expect(error).toBeInstanceOf(CheckpointMismatchError);
    expect(error.field).toBe('commitHash');
    expect(() => holdToCheckpoint(body, { height: 41, blockHash: 'ff'.repeat(32) })).toThrow(/blockHash/);
  });
});

describe('commit hash chain', () => {
  it('keeps the first code of a repeated txId and chains from 64 zeros', () => {
    const a = 'a1'.repeat(32);
    const b = 'b2'.repeat(32);
    expect(codesByTxId([a, b, a], ['VALID', 'MVCC_READ_CONFLICT', 'DUPLICATE_TXID'])).toEqual({
      [a]: 'VALID',
      [b]: 'MVCC_READ_CONFLICT',
    });
    expect(() => codesByTxId([a], ['NOPE'])).toThrow(/not a validation code/);
    const chain = new CommitHashChain();
    const first = chain.add(0, 'cc'.repeat(32), { [a]: 'VALID' });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const resumed = new CommitHashChain({ number: 0, commitHash: first });
    expect(resumed.add(1, 'dd'.repeat(32), {})).toBe(chain.add(1, 'dd'.repeat(32), {}));
    expect(() => chain.add(5, 'dd'.repeat(32), {})).toThrow(/block 2 expected/);
  });
});

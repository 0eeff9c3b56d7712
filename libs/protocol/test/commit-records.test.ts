import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkpointSigningHash,
  codesByTxId,
  configVersion,
  formatVersion,
  hashCanonical,
  isVersion,
  toHex,
  ValidationCode,
} from '../src/index.js';

const a = 'aa'.repeat(32);
const b = 'bb'.repeat(32);

describe('codesByTxId', () => {
  it('keeps the code of the first occurrence of a txId', () => {
    expect(codesByTxId([a, b, a], ['VALID', 'MVCC_READ_CONFLICT', 'DUPLICATE_TXID'])).toEqual({
      [a]: 'VALID',
      [b]: 'MVCC_READ_CONFLICT',
    });
    expect(codesByTxId([], [])).toEqual({});
  });

  it('refuses lists of different lengths and codes the contract does not have', () => {
    expect(() => codesByTxId([a], [])).toThrow(/1 transactions but 0 codes/);
    expect(() => codesByTxId([a], ['NOPE'])).toThrow(/NOPE is not a validation code/);
  });

  it('gives each distinct txId exactly one entry, the first one (property)', () => {
    const codes = Object.values(ValidationCode);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(a, b, 'cc'.repeat(32)), fc.constantFrom(...codes)), {
          maxLength: 20,
        }),
        (pairs) => {
          const out = codesByTxId(
            pairs.map(([t]) => t),
            pairs.map(([, c]) => c),
          );
          expect(Object.keys(out).sort()).toEqual([...new Set(pairs.map(([t]) => t))].sort());
          for (const [txId, code] of Object.entries(out))
            expect(code).toBe(pairs.find(([t]) => t === txId)?.[1]);
        },
      ),
    );
  });
});

describe('checkpointSigningHash', () => {
  const statement = { channel: 'civic', peerId: 'peer1', height: 7, blockHash: a, commitHash: b };

  it('is H of exactly the five statement members', () => {
    expect(toHex(checkpointSigningHash(statement))).toBe(toHex(hashCanonical(statement)));
    const signed = { ...statement, mspId: 'RVO', cert: 'AAAA', signature: 'cc'.repeat(64) };
    expect(toHex(checkpointSigningHash(signed))).toBe(toHex(hashCanonical(statement)));
    expect(toHex(checkpointSigningHash({ ...statement, height: 8 }))).not.toBe(
      toHex(hashCanonical(statement)),
    );
  });
});

describe('versions', () => {
  it('are "<block>:<tx>"; a config is read at "<config block>:0"', () => {
    expect(formatVersion(12, 3)).toBe('12:3');
    expect(configVersion(4)).toBe('4:0');
    expect(isVersion(configVersion(0))).toBe(true);
    expect(() => formatVersion(-1, 0)).toThrow(RangeError);
    expect(() => configVersion(1.5)).toThrow(RangeError);
  });
});

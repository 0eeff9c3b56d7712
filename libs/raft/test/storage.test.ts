import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/index.js';
import {
  CompactedError,
  LogGapError,
  MemoryStorage,
  SnapshotOutOfDateError,
  UnavailableError,
} from '../src/index.js';

const entry = (index: number, term: number, size = 1): Entry => ({
  index,
  term,
  type: 'normal',
  data: new Uint8Array(size),
});

describe('MemoryStorage', () => {
  it('bootstraps founders from a snapshot at index 1, term 1', () => {
    const storage = MemoryStorage.bootstrap(['b', 'a']);
    expect(storage.initialState()).toEqual({
      hardState: { term: 1, vote: null, commit: 1 },
      confState: { voters: ['a', 'b'], learners: [] },
    });
    expect([storage.firstIndex(), storage.lastIndex(), storage.term(1)]).toEqual([2, 1, 1]);
  });

  it('answers entries and terms, and refuses what is compacted or missing', () => {
    const storage = MemoryStorage.bootstrap(['a']);
    storage.append([entry(2, 1), entry(3, 2), entry(4, 2)]);
    expect(storage.entries(2, 5, Infinity).map((e) => e.index)).toEqual([2, 3, 4]);
    expect(storage.entries(2, 5, 0).map((e) => e.index)).toEqual([2]); // at least one
    expect(() => storage.entries(1, 3, Infinity)).toThrow(CompactedError);
    expect(() => storage.entries(3, 6, Infinity)).toThrow(UnavailableError);
    expect(() => storage.term(5)).toThrow(UnavailableError);
    storage.setHardState({ term: 2, vote: null, commit: 4 });
    storage.createSnapshot(3, { voters: ['a'], learners: [] }, new Uint8Array([9]));
    expect(() => storage.compact(4)).toThrow(CompactedError); // beyond the snapshot
    storage.compact(3);
    expect([storage.firstIndex(), storage.term(3), storage.lastIndex()]).toEqual([4, 2, 4]);
    expect(() => storage.term(2)).toThrow(CompactedError);
    expect(() => storage.createSnapshot(3, { voters: ['a'], learners: [] }, new Uint8Array())).toThrow(
      SnapshotOutOfDateError,
    );
  });

  it('truncates a conflicting suffix, skips compacted entries, refuses holes', () => {
    const storage = MemoryStorage.bootstrap(['a']);
    storage.append([entry(2, 1), entry(3, 1), entry(4, 1)]);
    storage.append([entry(3, 2)]);
    expect([storage.lastIndex(), storage.term(3)]).toEqual([3, 2]);
    expect(() => storage.append([entry(6, 2)])).toThrow(LogGapError);
    expect(() => storage.append([entry(4, 2), entry(6, 2)])).toThrow(LogGapError);
    storage.append([entry(1, 1), entry(2, 1)]); // index 1 is the snapshot: skipped
    expect(storage.lastIndex()).toBe(2);
  });

  it('replaces everything with a newer snapshot, and refuses an older one', () => {
    const storage = MemoryStorage.bootstrap(['a']);
    storage.append([entry(2, 1), entry(3, 1)]);
    storage.applySnapshot({
      metadata: { index: 10, term: 3, confState: { voters: ['a', 'b'], learners: [] } },
      data: new Uint8Array(),
    });
    expect([storage.firstIndex(), storage.lastIndex(), storage.term(10)]).toEqual([11, 10, 3]);
    expect(storage.initialState().confState.voters).toEqual(['a', 'b']);
    expect(() =>
      storage.applySnapshot({
        metadata: { index: 9, term: 3, confState: { voters: ['a'], learners: [] } },
        data: new Uint8Array(),
      }),
    ).toThrow(SnapshotOutOfDateError);
  });

  it('behaves like a plain array of terms under any sequence of appends and compactions (property)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        back: fc.nat(4),
        terms: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('compact' as const), back: fc.nat(6) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const storage = MemoryStorage.bootstrap(['a']);
        const model: number[] = [0, 1]; // model[i] = term at index i; index 1 from the snapshot
        let compacted = 1;
        for (const o of ops) {
          if (o.kind === 'append') {
            const first = Math.max(compacted + 1, model.length - o.back);
            let term = model[first - 1] ?? 1;
            const entries = o.terms.map((t, i) => entry(first + i, (term = Math.max(term, t))));
            storage.append(entries);
            model.length = first;
            for (const e of entries) model.push(e.term);
          } else {
            const index = Math.max(compacted, model.length - 1 - o.back);
            if (index > compacted) {
              storage.setHardState({ term: 9, vote: null, commit: model.length - 1 });
              storage.createSnapshot(index, { voters: ['a'], learners: [] }, new Uint8Array());
              storage.compact(index);
              compacted = index;
            }
          }
          expect(storage.lastIndex()).toBe(model.length - 1);
          expect(storage.firstIndex()).toBe(compacted + 1);
          for (let i = compacted; i < model.length; i++) expect(storage.term(i)).toBe(model[i]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

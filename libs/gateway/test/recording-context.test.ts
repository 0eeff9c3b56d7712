import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectsDiffer,
  effectsOf,
  GatewayArgumentError,
  READS_PER_TX_MAX,
  RecordingTxContext,
  type StateSource,
  type VersionedValue,
} from '../src/index.js';

function source(entries: Record<string, VersionedValue>, calls: string[] = []): StateSource {
  return {
    getState: async (namespace, key) => {
      calls.push(`${namespace}/${key}`);
      return entries[key] ?? null;
    },
  };
}

const ctxOver = (entries: Record<string, VersionedValue>, calls?: string[]) =>
  new RecordingTxContext({
    mspId: 'RVO',
    txTime: '2026-03-01T10:00:00.000Z',
    namespace: 'subsidies',
    source: source(entries, calls),
  });

describe('RecordingTxContext', () => {
  it('records the version of the first read of each key and asks the peer once per key', async () => {
    const calls: string[] = [];
    const ctx = ctxOver({ a: { value: { n: 1 }, version: '4:2' } }, calls);
    expect(await ctx.get('a')).toEqual({ n: 1 });
    expect(await ctx.get('missing')).toBeUndefined();
    expect(await ctx.get('a')).toEqual({ n: 1 });
    expect(calls).toEqual(['subsidies/a', 'subsidies/missing']);
    expect(ctx.readSet()).toEqual([
      { key: 'a', version: '4:2' },
      { key: 'missing', version: null },
    ]);
    expect(ctx.highestReadBlock()).toBe(4);
  });

  it('hands out copies: mutating a read value changes neither later reads nor the write set', async () => {
    const ctx = ctxOver({ a: { value: { list: [1] }, version: '1:0' } });
    const value = await ctx.get<{ list: number[] }>('a');
    value!.list.push(2);
    expect(await ctx.get('a')).toEqual({ list: [1] });
    const written = { list: [3] };
    ctx.put('b', written);
    written.list.push(4);
    expect(ctx.writeSet()).toEqual([{ key: 'b', value: { list: [3] } }]);
  });

  it('reads see the snapshot, not the own puts; the last put or delete of a key wins; sets are sorted', async () => {
    const ctx = ctxOver({ z: { value: 1, version: '2:0' } });
    ctx.put('z', 2);
    expect(await ctx.get('z')).toBe(1);
    ctx.put('b', 1);
    ctx.delete('b');
    ctx.put('a', 'x');
    expect(ctx.writeSet()).toEqual([
      { key: 'a', value: 'x' },
      { key: 'b', delete: true },
      { key: 'z', value: 2 },
    ]);
  });

  it('refuses a second event, an undefined value, a bad key and a value that is not JSON', () => {
    const ctx = ctxOver({});
    ctx.emit('x.done', { a: 1 });
    expect(() => ctx.emit('x.again', {})).toThrow(GatewayArgumentError);
    expect(() => ctx.put('k', undefined)).toThrow(/undefined/);
    expect(() => ctx.put('', 1)).toThrow(/key must be/);
    expect(() => ctx.put('k'.repeat(513), 1)).toThrow(/key must be/);
    expect(() => ctx.put('k', { n: Number.NaN })).toThrow(/not a JSON value/);
    expect(ctx.writes.size).toBe(0);
  });

  it(`bounds the keys read in one transaction at ${READS_PER_TX_MAX}`, async () => {
    const ctx = ctxOver({});
    for (let i = 0; i < READS_PER_TX_MAX; i++) await ctx.get(`k${i}`);
    await expect(ctx.get('one-more')).rejects.toThrow(/more than 1024 keys read/);
  });
});

describe('effectsDiffer', () => {
  const base = async (version: string | null, value: number) => {
    const ctx = ctxOver(version === null ? {} : { a: { value: 1, version } });
    await ctx.get('a');
    ctx.put('a', value);
    ctx.emit('a.set', { value });
    return effectsOf(ctx);
  };

  it('is null for the same logic on the same state, and names what differs otherwise', async () => {
    expect(effectsDiffer(await base('3:0', 2), await base('3:0', 2))).toBeNull();
    expect(effectsDiffer(await base('3:0', 2), await base('5:1', 2))).toBe(
      "read of a: the proposal saw version 3:0, this endorser's peer has 5:1",
    );
    expect(effectsDiffer(await base(null, 2), await base('5:1', 2))).toMatch(/saw version absent/);
    expect(effectsDiffer(await base('3:0', 2), await base('3:0', 3))).toBe(
      'the written values differ (keys a)',
    );
  });

  it('property: effects compare equal exactly when their canonical JSON is equal', async () => {
    const write = fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.jsonValue({ maxDepth: 2 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { maxLength: 3 }),
        fc.array(write, { maxLength: 3 }),
        async (w1, w2) => {
          const build = (writes: typeof w1) => {
            const ctx = ctxOver({});
            for (const w of writes) ctx.put(w.key, w.value);
            return effectsOf(ctx);
          };
          const [e1, e2] = [build(w1), build(w2)];
          // Canonical JSON is JSON with sorted members: compare the sorted forms.
          const same = JSON.stringify(sortDeep(e1.writes)) === JSON.stringify(sortDeep(e2.writes));
          expect(effectsDiffer(e1, e2) === null).toBe(same);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

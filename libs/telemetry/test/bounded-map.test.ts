import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BoundedMap, TxTraces } from '../src/index.js';
import { TraceFlags } from '@opentelemetry/api';

describe('BoundedMap', () => {
  it('never holds more than its capacity and forgets the oldest insertions first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 50 })),
        (capacity, keys) => {
          const map = new BoundedMap<number, number>(capacity);
          const order: number[] = [];
          for (const key of keys) {
            map.set(key, key);
            const at = order.indexOf(key);
            if (at >= 0) order.splice(at, 1);
            order.push(key);
            while (order.length > capacity) order.shift();
            expect(map.size).toBeLessThanOrEqual(capacity);
          }
          for (const key of order) expect(map.get(key)).toBe(key);
          expect(map.size).toBe(order.length);
        },
      ),
    );
  });

  it('take removes the entry', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    expect(map.take('a')).toBe(1);
    expect(map.take('a')).toBeUndefined();
    expect(() => new BoundedMap(0)).toThrow(/positive integer/);
  });
});

describe('TxTraces', () => {
  const ctx = (n: number) => ({
    traceId: n.toString(16).padStart(32, '0'),
    spanId: n.toString(16).padStart(16, '0'),
    traceFlags: TraceFlags.SAMPLED,
  });

  it('gives a block the first traced transaction as parent, links to all, the earliest admission', () => {
    const traces = new TxTraces(10);
    traces.remember('tx2', ctx(2), 2000);
    traces.remember('tx3', ctx(3), 1500);
    const block = traces.takeBlock(['tx1', 'tx2', 'tx3']);
    expect(block).not.toBeNull();
    expect(block!.links.map((l) => l.context.spanId)).toEqual([ctx(2).spanId, ctx(3).spanId]);
    expect(block!.firstAdmittedAtMs).toBe(1500);
    expect(traces.size).toBe(0);
    expect(traces.takeBlock(['tx2'])).toBeNull();
  });
});

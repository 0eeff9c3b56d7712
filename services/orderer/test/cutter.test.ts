import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockCutter, type BatchLimits } from '../src/cutter/block-cutter.js';

interface Item {
  readonly id: number;
  readonly size: number;
  readonly isConfig: boolean;
}

const limitsArb = fc
  .record({
    maxMessageCount: fc.integer({ min: 1, max: 20 }),
    preferredMaxBytes: fc.integer({ min: 10, max: 2000 }),
    extra: fc.integer({ min: 0, max: 2000 }),
    timeoutMs: fc.integer({ min: 1, max: 100 }),
  })
  .map(({ extra, ...l }): BatchLimits => ({ ...l, absoluteMaxBytes: l.preferredMaxBytes + extra }));

describe('block cutter', () => {
  it('respects every limit, keeps order, puts config alone, and cuts on time', () => {
    fc.assert(
      fc.property(
        limitsArb,
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 4000 }),
            isConfig: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
            gapMs: fc.integer({ min: 0, max: 120 }),
          }),
          { maxLength: 200 },
        ),
        (limits, arrivals) => {
          const cutter = new BlockCutter<Item>(limits);
          const batches: { items: Item[]; cutAt: number; reason: string }[] = [];
          const fed: Item[] = [];
          let now = 0;
          arrivals.forEach((a, id) => {
            const item = { id, size: Math.min(a.size, limits.absoluteMaxBytes), isConfig: a.isConfig };
            now += a.gapMs;
            const due = cutter.cutIfDue(now);
            if (due) batches.push({ items: due, cutAt: now, reason: 'timeout' });
            fed.push(item);
            for (const b of cutter.add(item, now)) batches.push({ items: b, cutAt: now, reason: 'add' });
          });
          const rest = cutter.clear();
          expect([...batches.flatMap((b) => b.items), ...rest].map((i) => i.id)).toEqual(
            fed.map((i) => i.id),
          );
          for (const { items } of batches) {
            expect(items.length).toBeGreaterThan(0);
            expect(items.length).toBeLessThanOrEqual(limits.maxMessageCount);
            const bytes = items.reduce((s, i) => s + i.size, 0);
            if (items.length > 1) expect(bytes).toBeLessThanOrEqual(limits.preferredMaxBytes);
            expect(bytes).toBeLessThanOrEqual(limits.absoluteMaxBytes);
            if (items.some((i) => i.isConfig)) expect(items).toHaveLength(1);
          }
          expect(rest.every((i) => !i.isConfig)).toBe(true);
        },
      ),
    );
  });

  it('reports the deadline of the pending batch and cuts it only once due', () => {
    const cutter = new BlockCutter<Item>({
      maxMessageCount: 10,
      preferredMaxBytes: 100,
      absoluteMaxBytes: 100,
      timeoutMs: 50,
    });
    expect(cutter.deadline()).toBeNull();
    expect(cutter.add({ id: 1, size: 1, isConfig: false }, 1000)).toEqual([]);
    cutter.add({ id: 2, size: 1, isConfig: false }, 1030);
    expect(cutter.deadline()).toBe(1050);
    expect(cutter.cutIfDue(1049)).toBeNull();
    expect(cutter.cutIfDue(1050)?.map((i) => i.id)).toEqual([1, 2]);
    expect(cutter.deadline()).toBeNull();
  });

  it('refuses an envelope above the absolute limit and limits that contradict each other', () => {
    const cutter = new BlockCutter<Item>({
      maxMessageCount: 10,
      preferredMaxBytes: 100,
      absoluteMaxBytes: 200,
      timeoutMs: 50,
    });
    expect(() => cutter.add({ id: 1, size: 201, isConfig: false }, 0)).toThrow(RangeError);
    expect(() =>
      cutter.setLimits({ maxMessageCount: 10, preferredMaxBytes: 300, absoluteMaxBytes: 200, timeoutMs: 5 }),
    ).toThrow(RangeError);
    expect(cutter.pendingCount).toBe(0);
  });
});

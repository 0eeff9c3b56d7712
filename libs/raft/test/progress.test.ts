import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Inflights } from '../src/inflights.js';
import { Progress, ProgressState } from '../src/progress.js';

describe('flow control', () => {
  it('Inflights is full at its count or byte bound, and frees acknowledged messages (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(
          fc.oneof(
            fc.record({ add: fc.integer({ min: 1, max: 100 }) }),
            fc.record({ ack: fc.integer({ min: 0, max: 5 }) }),
          ),
          { maxLength: 60 },
        ),
        (capacity, maxBytes, ops) => {
          const inflights = new Inflights(capacity, maxBytes);
          const model: { index: number; bytes: number }[] = [];
          let index = 0;
          for (const op of ops) {
            if ('add' in op) {
              if (inflights.full()) continue;
              index += 1 + (op.add % 3);
              inflights.add(index, op.add);
              model.push({ index, bytes: op.add });
            } else {
              const upTo = index - op.ack;
              inflights.freeLE(upTo);
              while (model.length > 0 && (model[0]?.index ?? Infinity) <= upTo) model.shift();
            }
            const bytes = model.reduce((sum, m) => sum + m.bytes, 0);
            expect(inflights.size()).toBe(model.length);
            expect(inflights.sizeBytes()).toBe(bytes);
            expect(inflights.full()).toBe(model.length === capacity || bytes >= maxBytes);
            expect(inflights.size()).toBeLessThanOrEqual(capacity);
          }
        },
      ),
    );
  });

  it('Progress never moves match backwards and ignores stale rejections', () => {
    const p = new Progress(4, 1000, false);
    p.reset(11, 0);
    expect(p.maybeDecrTo(10, 5)).toBe(true); // probe at 10 rejected, follower has up to 5
    expect(p.next).toBe(6);
    expect(p.maybeDecrTo(10, 5)).toBe(false); // the same rejection again: stale
    expect(p.maybeUpdate(8)).toBe(true);
    expect(p.maybeUpdate(7)).toBe(false);
    expect(p.match).toBe(8);
    p.becomeReplicate();
    expect(p.next).toBe(9);
    expect(p.maybeDecrTo(8, 3)).toBe(false); // rejects at or below match are stale in replicate
    expect(p.maybeDecrTo(12, 9)).toBe(true);
    expect(p.next).toBe(9);
    p.becomeSnapshot(50);
    expect([p.state, p.next, p.isPaused()]).toEqual([ProgressState.Snapshot, 51, true]);
    p.becomeProbe(); // the snapshot may have arrived: probe after it
    expect([p.state, p.next]).toEqual([ProgressState.Probe, 51]);
  });
});

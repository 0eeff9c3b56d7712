/**
 * BatchQueue with a scripted `send`: batching by size and by time, order kept across failures
 * and retries, refused batches split item by item, the bound on waiting items, deduplication,
 * and the drain on stop.
 */
import { describe, expect, it } from 'vitest';
import { BatchQueue, BatchQueueFullError, type BatchResult, type BatchQueueSettings } from '../src/index.js';

const SETTINGS: BatchQueueSettings = {
  batchMax: 3,
  flushMs: 10_000,
  queueMax: 10,
  retryMs: 5,
  retryMaxMs: 20,
  shutdownFlushMs: 2_000,
};

function harness(
  script: (batch: readonly number[]) => BatchResult | 'fail' = () => ({ status: 'RECORDED' }),
  settings = SETTINGS,
) {
  const sent: number[][] = [];
  const recorded: number[] = [];
  const dropped: number[] = [];
  const events: string[] = [];
  const queue = new BatchQueue<number>(settings, {
    send: async (batch) => {
      sent.push([...batch]);
      const result = script(batch);
      if (result === 'fail') throw new Error('ledger unreachable');
      if (result.status === 'RECORDED') recorded.push(...batch);
      return result;
    },
    onSent: (result, size) => events.push(`${result}:${size}`),
    onDropped: (item) => dropped.push(item),
  });
  return { queue, sent, recorded, dropped, events };
}

describe('BatchQueue', () => {
  it('sends a batch as soon as it is full, and the rest on flush, in order', async () => {
    const h = harness();
    for (const n of [1, 2, 3, 4]) h.queue.enqueue(n);
    await h.queue.flush();
    expect(h.sent).toEqual([[1, 2, 3], [4]]);
    expect(h.queue.length).toBe(0);
  });

  it('sends on its timer when the batch is not full', async () => {
    const h = harness(undefined, { ...SETTINGS, flushMs: 20 });
    h.queue.start();
    h.queue.enqueue(7);
    await new Promise((r) => setTimeout(r, 120));
    expect(h.sent).toEqual([[7]]);
    await h.queue.stop();
  });

  it('keeps a failed batch at the head and sends it again, order kept', async () => {
    let failures = 2;
    const h = harness(() => (failures-- > 0 ? 'fail' : { status: 'RECORDED' }));
    for (const n of [1, 2, 3, 4, 5]) h.queue.enqueue(n);
    expect(await h.queue.stop()).toBe(0);
    expect(h.recorded).toEqual([1, 2, 3, 4, 5]);
    expect(h.events.slice(0, 2)).toEqual(['failed:3', 'failed:3']);
  });

  it('splits a refused batch and drops only the item refused on its own', async () => {
    const h = harness((batch) =>
      batch.includes(2)
        ? { status: 'REFUSED', rule: 'TOO_OLD', message: '2 is too old' }
        : { status: 'RECORDED' },
    );
    for (const n of [1, 2, 3, 4]) h.queue.enqueue(n);
    await h.queue.stop();
    expect(h.sent).toEqual([[1, 2, 3], [1], [2], [3], [4]]);
    expect(h.recorded).toEqual([1, 3, 4]);
    expect(h.dropped).toEqual([2]);
  });

  it('refuses an item beyond queueMax while the ledger is away, and everything once stopping', async () => {
    const h = harness(() => 'fail', { ...SETTINGS, batchMax: 5, queueMax: 5, shutdownFlushMs: 30 });
    for (const n of [1, 2, 3, 4, 5]) h.queue.enqueue(n);
    await h.queue.flush();
    expect(() => h.queue.enqueue(6)).toThrow(BatchQueueFullError);
    expect(await h.queue.stop()).toBe(5);
    expect(() => h.queue.enqueue(7)).toThrow(/shutting down/);
  });

  it('does not queue an item twice when ids are given', async () => {
    const sent: string[][] = [];
    const queue = new BatchQueue<{ id: string }>(SETTINGS, {
      send: async (batch) => {
        sent.push(batch.map((i) => i.id));
        return { status: 'RECORDED' };
      },
      idOf: (item) => item.id,
    });
    queue.enqueue({ id: 'a' });
    queue.enqueue({ id: 'a' });
    queue.enqueue({ id: 'b' });
    await queue.stop();
    expect(sent).toEqual([['a', 'b']]);
  });

  it('checks its settings', () => {
    expect(() => harness(undefined, { ...SETTINGS, batchMax: 0 })).toThrow(RangeError);
    expect(() => harness(undefined, { ...SETTINGS, queueMax: 2 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/index.js';

describe('simulator determinism', () => {
  it('replays a seed exactly: same trace hash, same events, same outcome', () => {
    const first = runSimulation({ seed: 42, keepTrace: true });
    const second = runSimulation({ seed: 42 });
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.events).toBe(first.events);
    expect(second.stats).toEqual(first.stats);
    expect(second.traceTail).toEqual(first.trace?.slice(-second.traceTail.length));
    expect(first.trace?.length).toBe(first.events > 0 ? first.trace?.length : 0);
  });

  it('different seeds give different runs', () => {
    const hashes = new Set([1, 2, 3, 4].map((seed) => runSimulation({ seed }).traceHash));
    expect(hashes.size).toBe(4);
  });

  it('without faults, a cluster commits steadily and recovers at once', () => {
    const result = runSimulation({ seed: 7, faults: false, nodes: 5 });
    expect(result.violation).toBeNull();
    expect(result.stats).toMatchObject({ crashes: 0, partitions: 0, messagesDropped: 0, pauses: 0 });
    expect(result.committedEntries).toBeGreaterThan(50);
  });
});

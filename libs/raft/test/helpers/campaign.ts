import { expect } from 'vitest';
import type { SimResult } from '../../src/sim/index.js';
import { RECOVERY_BOUND_TICKS, runSimulation } from '../../src/sim/index.js';

/**
 * Runs seeds [from, from + count) with faults and expects no invariant violation; a failure
 * names each seed and the command that replays it. Returns the results for further checks.
 */
export function expectSeedsClean(from: number, count: number): SimResult[] {
  const results: SimResult[] = [];
  const failures: string[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const result = runSimulation({ seed });
    results.push(result);
    if (result.violation !== null) {
      failures.push(
        `seed ${seed}: ${result.violation.message}\n  replay: npm run sim -- --seed ${seed} --trace\n  ${result.traceTail.slice(-15).join('\n  ')}`,
      );
    }
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
  // The faults really happened, and every heal recovered within the stated bound.
  const total = (key: keyof SimResult['stats']) => results.reduce((sum, r) => sum + r.stats[key], 0);
  expect(total('crashes')).toBeGreaterThan(count);
  expect(total('partitions')).toBeGreaterThan(count);
  expect(total('messagesDropped')).toBeGreaterThan(0);
  expect(total('messagesDuplicated')).toBeGreaterThan(0);
  expect(total('pauses')).toBeGreaterThan(0);
  expect(total('acked')).toBeGreaterThan(count * 10);
  const recoveries = results.flatMap((r) => r.recoveryTicks);
  expect(recoveries.length).toBeGreaterThanOrEqual(count);
  expect(Math.max(...recoveries)).toBeLessThanOrEqual(RECOVERY_BOUND_TICKS);
  return results;
}

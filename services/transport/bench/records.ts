/**
 * A realistic, seeded driver record for benchmarks and tests: five or six working days a week,
 * each with many short activity changes (traffic, loading, waiting) as a tachograph records them,
 * breaks, daily rests, a weekly rest; about 20,000 periods a year.
 */
import type { ActivityInput, ActivityType } from '../src/rules/index.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
export const START_MS = Date.UTC(2025, 0, 6); // a Monday

/** xorshift32: a tiny seeded PRNG, so every run benchmarks the same record. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** `weeks` of a driver's records from `startMs` (a Monday), the same for the same seed. */
export function generate(weeks: number, seed: number, startMs: number = START_MS): ActivityInput[] {
  const random = prng(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const out: ActivityInput[] = [];
  let cursorMs = startMs;
  const push = (activity: ActivityType, minutes: number) => {
    out.push({
      start: new Date(cursorMs).toISOString(),
      end: new Date(cursorMs + minutes * MIN).toISOString(),
      activity,
    });
    cursorMs += minutes * MIN;
  };
  for (let w = 0; w < weeks; w++) {
    const days = random() < 0.3 ? 6 : 5;
    for (let d = 0; d < days; d++) {
      const dayStartMs = startMs + (w * 7 + d) * DAY + between(300, 420) * MIN;
      if (dayStartMs > cursorMs) push('BREAK_REST', (dayStartMs - cursorMs) / MIN);
      push('OTHER_WORK', between(10, 30)); // checks, loading
      for (let stint = 0; stint < 2; stint++) {
        let drivenMin = 0;
        const stintMin = between(180, 265);
        while (drivenMin < stintMin) {
          const burst = Math.min(stintMin - drivenMin, between(3, 18));
          push('DRIVING', burst);
          drivenMin += burst;
          const r = random();
          if (r < 0.25) push('OTHER_WORK', between(1, 8));
          else if (r < 0.4) push('AVAILABILITY', between(1, 10));
          else if (r < 0.55) push('BREAK_REST', between(1, 9));
        }
        push('BREAK_REST', between(45, 60));
      }
      push('OTHER_WORK', between(15, 45)); // unloading
    }
  }
  push('BREAK_REST', 48 * 60);
  return out;
}

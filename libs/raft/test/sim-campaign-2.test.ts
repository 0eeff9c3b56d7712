import { describe, expect, it } from 'vitest';
import { expectSeedsClean } from './helpers/campaign.js';

describe('simulator campaign, seeds 151..300', () => {
  it('finds no invariant violation, and every heal recovers in bound', () => {
    const results = expectSeedsClean(151, 150);
    // The seeds cover the scenario space: every cluster size, membership changes, transfers.
    expect(new Set(results.map((r) => r.scenario.nodes))).toEqual(new Set([1, 3, 5]));
    expect(results.some((r) => r.stats.confChanges > 0)).toBe(true);
    expect(results.some((r) => r.stats.transfers > 0)).toBe(true);
    expect(results.some((r) => r.scenario.useCodec)).toBe(true);
  }, 120_000);
});

import { describe, it } from 'vitest';
import { expectSeedsClean } from './helpers/campaign.js';

// CI runs seeds 1..300 with faults, split over two files so that Vitest uses both cores.
describe('simulator campaign, seeds 1..150', () => {
  it('finds no invariant violation, and every heal recovers in bound', () => {
    expectSeedsClean(1, 150);
  }, 120_000);
});

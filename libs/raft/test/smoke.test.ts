import { describe, expect, it } from 'vitest';
import { TestCluster } from './helpers/cluster.js';

describe('smoke', () => {
  it('elects and replicates', () => {
    const c = new TestCluster(['a', 'b', 'c']);
    c.campaign('a');
    expect(c.status('a').role).toBe('leader');
    c.propose('a', 'x');
    expect(c.appliedTexts('b')).toEqual(['x']);
    expect(c.appliedTexts('c')).toEqual(['x']);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidNodeIdError, MessageType, NotLeaderError, ProposalDroppedError } from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';

const data = (text: string) => new TextEncoder().encode(text);

describe('leadership transfer (thesis §3.10)', () => {
  it('hands leadership to an up-to-date node at once', () => {
    const cluster = new TestCluster(['a', 'b', 'c'], { config: { checkQuorum: true, preVote: true } });
    cluster.campaign('a');
    cluster.propose('a', 'x');
    cluster.node('a').transferLeadership('b');
    cluster.stabilize();
    // b campaigned on the leader's request: no pre-vote, leases overridden, one new term.
    expect(cluster.status('b')).toMatchObject({ role: 'leader', term: 3 });
    expect(cluster.status('a')).toMatchObject({ role: 'follower', term: 3, leader: 'b' });
    cluster.propose('b', 'y');
    expect(cluster.appliedTexts('a')).toEqual(['x', 'y']);
  });

  it('brings a slow node up to date first, refusing proposals meanwhile', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    cluster.isolate('c');
    for (let i = 0; i < 5; i++) cluster.propose('a', `e${i}`);
    cluster.heal();
    const before = cluster.status('c').lastIndex;
    expect(before).toBeLessThan(cluster.status('a').lastIndex);
    cluster.node('a').transferLeadership('c');
    expect(cluster.status('a').leadTransferee).toBe('c');
    expect(() => cluster.node('a').propose(data('blocked'))).toThrow(ProposalDroppedError);
    // No timeoutNow before c has everything.
    expect(cluster.take((m) => m.type === MessageType.TimeoutNow)).toEqual([]);
    cluster.heal();
    for (let i = 0; i < 5 && cluster.status('c').role !== 'leader'; i++) cluster.tickAll(1);
    expect(cluster.status('c')).toMatchObject({ role: 'leader', term: 3 });
    expect(cluster.appliedTexts('c')).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  });

  it('gives up after an election timeout when the target does not answer', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    cluster.isolate('c');
    cluster.node('a').transferLeadership('c');
    cluster.tick('a', 9);
    expect(cluster.status('a').leadTransferee).toBe('c');
    expect(() => cluster.node('a').propose(data('blocked'))).toThrow(ProposalDroppedError);
    cluster.tick('a', 1);
    expect(cluster.status('a')).toMatchObject({ role: 'leader', term: 2, leadTransferee: null });
    cluster.propose('a', 'accepted again');
    expect(cluster.appliedTexts('b')).toEqual(['accepted again']);
  });

  it('refuses targets that cannot lead, and non-leaders', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    expect(() => cluster.node('a').transferLeadership('zz')).toThrow(InvalidNodeIdError);
    expect(() => cluster.node('b').transferLeadership('c')).toThrow(NotLeaderError);
    cluster.node('a').transferLeadership('a'); // already the leader: nothing to do
    expect(cluster.status('a').leadTransferee).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConfChangePendingError,
  ConfChangeType,
  InvalidConfChangeError,
  InvalidNodeIdError,
  MemoryStorage,
  MessageType,
  RaftNode,
} from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';

describe('membership changes, one node at a time (thesis §4)', () => {
  it('adds a learner that catches up, then promotes it to voter', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    for (let i = 0; i < 3; i++) cluster.propose('a', `e${i}`);
    cluster.addEmptyNode('d');
    cluster.node('a').proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'd' });
    cluster.tickAll(3);
    expect(cluster.status('a').config).toEqual({ voters: ['a', 'b', 'c'], learners: ['d'] });
    expect(cluster.appliedTexts('d')).toEqual(['e0', 'e1', 'e2']);
    // A learner receives the log but never counts: quorum is still 2 of a, b, c.
    expect(cluster.status('d').role).toBe('follower');
    cluster.tick('d', 50);
    expect(cluster.status('d').role).toBe('follower');

    cluster.node('a').proposeConfChange({ type: ConfChangeType.AddVoter, nodeId: 'd' });
    cluster.stabilize();
    for (const id of ['a', 'b', 'c', 'd']) {
      expect(cluster.status(id).config).toEqual({ voters: ['a', 'b', 'c', 'd'], learners: [] });
    }
    // Quorum is now 3 of 4: with two voters cut off, nothing commits.
    cluster.isolate('c');
    cluster.isolate('d');
    const { index } = cluster.propose('a', 'needs three');
    expect(cluster.status('a').commit).toBeLessThan(index);
    cluster.heal();
    cluster.tickAll(1);
    expect(cluster.status('a').commit).toBe(index);
  });

  it('refuses a second change while one is pending, and nonsense changes', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    const leader = cluster.node('a');
    cluster.isolate('b');
    cluster.isolate('c');
    leader.proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'd' });
    expect(() => leader.proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'e' })).toThrow(
      ConfChangePendingError,
    );
    cluster.heal();
    cluster.stabilize();
    leader.proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'e' }); // the first is applied now
    cluster.stabilize();
    expect(cluster.status('a').config.learners).toEqual(['d', 'e']);
    for (const bad of [
      { type: ConfChangeType.AddVoter, nodeId: 'a' }, // already a voter
      { type: ConfChangeType.AddLearner, nodeId: 'b' }, // demotion is not supported
      { type: ConfChangeType.AddLearner, nodeId: 'd' }, // already a learner
      { type: ConfChangeType.RemoveNode, nodeId: 'zz' }, // not a member
      { type: 'rename' as ConfChangeType, nodeId: 'b' },
      { type: ConfChangeType.AddVoter, nodeId: 'bad id!' },
    ]) {
      const before = cluster.status('a').lastIndex;
      expect(() => leader.proposeConfChange(bad)).toThrow(InvalidConfChangeError);
      expect(cluster.status('a').lastIndex).toBe(before);
    }
  });

  it('removing a node lets entries waiting for it commit', () => {
    const cluster = new TestCluster(['a', 'b']);
    cluster.campaign('a');
    const a = cluster.node('a');
    const removal = a.proposeConfChange({ type: ConfChangeType.RemoveNode, nodeId: 'b' });
    // b acknowledges the removal entry, then goes silent.
    cluster.processReady('a');
    for (const m of cluster.take((m) => m.to === 'b')) cluster.node('b').step(m);
    const acks = cluster.take((m) => m.from === 'b' && m.type === MessageType.AppResp);
    cluster.isolate('b');
    for (const ack of acks) a.step(ack);
    expect(a.status().commit).toBe(removal.index);
    // Proposed before the removal is applied: it needs b, which is gone.
    const pending = a.propose(new TextEncoder().encode('waiting'));
    expect(a.status().commit).toBe(removal.index);
    cluster.processReady('a'); // applies the removal: the quorum is a alone
    expect(a.status().config.voters).toEqual(['a']);
    expect(a.status().commit).toBe(pending.index);
    expect(cluster.appliedTexts('a')).toEqual(['waiting']);
  });

  it('a leader that removes itself steps down, and the rest elect a new leader', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    cluster.node('a').proposeConfChange({ type: ConfChangeType.RemoveNode, nodeId: 'a' });
    cluster.stabilize();
    expect(cluster.status('a').role).toBe('follower');
    expect(cluster.status('b').config.voters).toEqual(['b', 'c']);
    cluster.isolate('a'); // shut down
    cluster.tickAll(30);
    const leaders = cluster.leaders().filter((id) => id !== 'a');
    expect(leaders).toHaveLength(1);
  });

  it('a one-node cluster commits alone and survives a restart', () => {
    const cluster = new TestCluster(['solo'], { config: { preVote: true, checkQuorum: true } });
    cluster.tick('solo', 25);
    expect(cluster.status('solo').role).toBe('leader');
    cluster.propose('solo', 'one');
    cluster.propose('solo', 'two');
    expect(cluster.appliedTexts('solo')).toEqual(['one', 'two']);
    cluster.restart('solo');
    cluster.tick('solo', 25);
    expect(cluster.status('solo')).toMatchObject({ role: 'leader', term: 3 });
    cluster.propose('solo', 'three');
    expect(cluster.appliedTexts('solo')).toEqual(['one', 'two', 'three']);
    // check-quorum never deposes a lone leader.
    cluster.tick('solo', 100);
    expect(cluster.status('solo').role).toBe('leader');
  });

  it('a node that is not a member never campaigns', () => {
    const node = new RaftNode({ id: 'x' }, new MemoryStorage());
    for (let i = 0; i < 100; i++) node.tick();
    node.campaign();
    expect(node.status()).toMatchObject({ role: 'follower', term: 0 });
    expect(node.hasReady()).toBe(false);
    expect(() => node.transferLeadership('y')).toThrow(); // not a leader
    expect(() => new TestCluster(['a']).node('a').transferLeadership('b')).toThrow(
      /not the leader|not a member/,
    );
    const leader = new TestCluster(['a']);
    leader.campaign('a');
    expect(() => leader.node('a').transferLeadership('b')).toThrow(InvalidNodeIdError);
  });

  it('a restarted node rebuilds its membership from the changes it had applied', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    cluster.node('a').proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'd' });
    cluster.stabilize();
    cluster.node('a').proposeConfChange({ type: ConfChangeType.RemoveNode, nodeId: 'c' });
    cluster.stabilize();
    cluster.restart('b');
    expect(cluster.status('b').config).toEqual({ voters: ['a', 'b'], learners: ['d'] });
  });
});

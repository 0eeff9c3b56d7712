import { describe, expect, it } from 'vitest';
import type { Message } from '../src/index.js';
import { makeMessage, MessageType, RaftNode } from '../src/index.js';
import { storageWithLog, TestCluster } from './helpers/cluster.js';

const ABC = ['a', 'b', 'c'];

function voteRequest(from: string, to: string, term: number, index: number, logTerm: number): Message {
  return makeMessage({ type: MessageType.Vote, from, to, term, index, logTerm });
}

describe('leader election (Raft §5.2)', () => {
  it.each([1, 3, 5])('elects a leader in one round with %i node(s)', (size) => {
    const ids = Array.from({ length: size }, (_, i) => `n${i + 1}`);
    const cluster = new TestCluster(ids);
    cluster.campaign('n1');
    // One round: the term moved once past the bootstrap term 1, and everybody follows n1.
    for (const id of ids) {
      expect(cluster.status(id)).toMatchObject({ term: 2, leader: 'n1' });
    }
    expect(cluster.leaders()).toEqual(['n1']);
  });

  it('elects a leader from ticks alone, within two election timeouts', () => {
    const cluster = new TestCluster(['a', 'b', 'c', 'd', 'e']);
    let ticks = 0;
    while (cluster.leaders().length === 0 && ticks < 40) {
      cluster.tickAll(1);
      ticks++;
    }
    expect(cluster.leaders()).toHaveLength(1);
    expect(ticks).toBeLessThanOrEqual(20);
  });

  it('grants one vote per term, first come first served, and keeps it across a restart', () => {
    const cluster = new TestCluster(ABC);
    const c = cluster.get('c');
    c.node.step(voteRequest('a', 'c', 2, 1, 1));
    c.node.step(voteRequest('b', 'c', 2, 1, 1));
    const replies = cluster.take((m) => m.from === 'c');
    expect(replies.map((m) => [m.to, m.type, m.reject])).toEqual([
      ['a', 'voteResp', false],
      ['b', 'voteResp', true],
    ]);
    // The vote was persisted before the reply could leave: a restarted c still refuses b.
    expect(c.storage.hardStateNow()).toMatchObject({ term: 2, vote: 'a' });
    cluster.restart('c');
    cluster.node('c').step(voteRequest('b', 'c', 2, 1, 1));
    expect(cluster.take((m) => m.from === 'c').map((m) => m.reject)).toEqual([true]);
    // The same candidate asking again (a lost reply) gets the vote again.
    cluster.node('c').step(voteRequest('a', 'c', 2, 1, 1));
    expect(cluster.take((m) => m.from === 'c').map((m) => m.reject)).toEqual([false]);
  });

  it('makes a candidate fall back to follower on a message from a leader of its term', () => {
    const cluster = new TestCluster(ABC);
    cluster.isolate('a');
    cluster.campaign('a');
    expect(cluster.status('a')).toMatchObject({ role: 'candidate', term: 2 });
    cluster.node('a').step(makeMessage({ type: MessageType.Heartbeat, from: 'b', to: 'a', term: 2 }));
    expect(cluster.status('a')).toMatchObject({ role: 'follower', term: 2, leader: 'b' });
    // An append of a higher term does the same and moves the term.
    cluster.isolate('a');
    cluster.campaign('a');
    expect(cluster.status('a')).toMatchObject({ role: 'candidate', term: 3 });
    cluster
      .node('a')
      .step(makeMessage({ type: MessageType.App, from: 'c', to: 'a', term: 4, index: 1, logTerm: 1 }));
    expect(cluster.status('a')).toMatchObject({ role: 'follower', term: 4, leader: 'c' });
  });

  it('denies its vote to a candidate whose log is less up to date (§5.4.1)', () => {
    // Voter log: index 2 term 1, index 3 term 2.
    const voter = () => new RaftNode({ id: 'v', preVote: false }, storageWithLog(['v', 'x'], [1, 2]));
    const cases: [index: number, logTerm: number, granted: boolean][] = [
      [3, 1, false], // lower last term, even at the same index
      [10, 1, false], // lower last term, however long
      [2, 2, false], // same last term, shorter
      [3, 2, true], // same last term, same length
      [4, 2, true], // same last term, longer
      [2, 3, true], // higher last term, shorter
    ];
    for (const [index, logTerm, granted] of cases) {
      const node = voter();
      node.step(voteRequest('x', 'v', 5, index, logTerm));
      const reply = node.ready().messages.find((m) => m.type === MessageType.VoteResp);
      expect({ index, logTerm, granted: reply?.reject === false }).toEqual({ index, logTerm, granted });
    }
  });
});

describe('dueling candidates', () => {
  it('without pre-vote: a returning candidate disrupts the leader with its higher term', () => {
    const cluster = new TestCluster(ABC);
    cluster.cut('a', 'c');
    cluster.campaign('a');
    cluster.campaign('c'); // b already voted for a in term 2; a cannot hear c
    expect(cluster.status('a')).toMatchObject({ role: 'leader', term: 2 });
    expect(cluster.status('c')).toMatchObject({ role: 'candidate', term: 2 });
    cluster.heal();
    cluster.campaign('c'); // term 3: refused (log behind), but a steps down
    expect(cluster.status('c').term).toBe(3);
    expect(cluster.status('a')).toMatchObject({ role: 'follower', term: 3 });
    // The cluster recovers: an up-to-date node wins an election (c may disrupt a few more
    // rounds: each of its campaigns resets the others' election timers).
    cluster.tickAll(200);
    expect(cluster.leaders()).toHaveLength(1);
    expect(cluster.leaders()[0]).not.toBe('c');
  });

  it('with pre-vote: the returning candidate asks first and changes nobody’s term', () => {
    const cluster = new TestCluster(ABC, { config: { preVote: true } });
    cluster.cut('a', 'c');
    cluster.campaign('a');
    cluster.campaign('c'); // b refuses (it follows a); its reply teaches c the term
    expect(cluster.status('c')).toMatchObject({ role: 'follower', term: 2 });
    cluster.heal();
    cluster.campaign('c'); // pre-vote refused: c's log is behind
    expect(cluster.status('c')).toMatchObject({ role: 'follower', term: 2 });
    expect(cluster.status('a')).toMatchObject({ role: 'leader', term: 2 });
  });

  it('two candidates in the same term split the vote; randomized timeouts settle it', () => {
    const cluster = new TestCluster(['a', 'b', 'c', 'd']);
    cluster.cut('a', 'b');
    cluster.cut('a', 'd');
    cluster.cut('b', 'c');
    cluster.node('a').campaign();
    cluster.node('b').campaign();
    cluster.stabilize(); // c votes for a, d for b: nobody gets 3 of 4
    expect(cluster.status('a')).toMatchObject({ role: 'candidate', term: 2 });
    expect(cluster.status('b')).toMatchObject({ role: 'candidate', term: 2 });
    cluster.heal();
    expect(cluster.leaders()).toEqual([]);
    cluster.tickAll(50);
    expect(cluster.leaders()).toHaveLength(1);
  });
});

describe('stale leaders and partitions', () => {
  it('ignores a stale leader’s messages and tells it the new term', () => {
    const cluster = new TestCluster(ABC, { config: { checkQuorum: true } });
    cluster.campaign('a');
    cluster.isolate('a');
    cluster.tickAll(25); // b or c times out and wins term 3 without a
    const [leader] = cluster.leaders().filter((id) => id !== 'a');
    expect(cluster.status(leader as string).term).toBe(3);
    const stale = makeMessage({
      type: MessageType.App,
      from: 'a',
      to: 'b',
      term: 2,
      index: 2,
      logTerm: 2,
      commit: 2,
    });
    const before = cluster.status('b');
    cluster.heal();
    cluster.queue = [];
    cluster.node('b').step(stale);
    const after = cluster.status('b');
    expect({ term: after.term, leader: after.leader, lastIndex: after.lastIndex }).toEqual({
      term: before.term,
      leader: before.leader,
      lastIndex: before.lastIndex,
    });
    // b answers with its term, so the stale leader steps down.
    const [reply] = cluster.take((m) => m.from === 'b' && m.to === 'a');
    expect(reply).toMatchObject({ type: 'appResp', term: 3 });
    cluster.deliver(reply as Message);
    expect(cluster.status('a')).toMatchObject({ role: 'follower', term: 3 });
  });

  it('with pre-vote, an isolated follower cannot depose the leader when it comes back', () => {
    const cluster = new TestCluster(ABC, { config: { preVote: true, checkQuorum: true } });
    cluster.campaign('a');
    cluster.isolate('c');
    for (let i = 0; i < 100; i++) {
      cluster.tick('c');
      cluster.tick('a');
      cluster.tick('b');
      cluster.queue = cluster.queue.filter((m) => m.from !== 'c' && m.to !== 'c');
      cluster.stabilize();
    }
    expect(cluster.status('c')).toMatchObject({ term: 2 }); // pre-votes never raised its term
    cluster.heal();
    cluster.tickAll(30);
    expect(cluster.status('a')).toMatchObject({ role: 'leader', term: 2 });
    expect(cluster.status('c')).toMatchObject({ role: 'follower', term: 2, leader: 'a' });
  });

  it('without pre-vote, the same isolated follower comes back with a higher term (contrast)', () => {
    const cluster = new TestCluster(ABC);
    cluster.campaign('a');
    cluster.isolate('c');
    cluster.tick('c', 100);
    expect(cluster.status('c').term).toBeGreaterThan(3);
  });

  it('check-quorum: a leader that cannot hear a majority steps down', () => {
    const cluster = new TestCluster(ABC, { config: { checkQuorum: true } });
    cluster.campaign('a');
    cluster.isolate('a');
    // The followers were heard from before the partition: the first check passes, the second
    // (two election timeouts later at most) finds nobody.
    cluster.tick('a', 10);
    expect(cluster.status('a').role).toBe('leader');
    cluster.tick('a', 10);
    expect(cluster.status('a')).toMatchObject({ role: 'follower', term: 2, leader: null });
  });

  it('without check-quorum, an isolated leader keeps believing it leads (contrast)', () => {
    const cluster = new TestCluster(ABC);
    cluster.campaign('a');
    cluster.isolate('a');
    cluster.tick('a', 50);
    expect(cluster.status('a').role).toBe('leader');
  });

  it('check-quorum lease: followers that hear a leader ignore vote requests', () => {
    const cluster = new TestCluster(ABC, { config: { checkQuorum: true } });
    cluster.campaign('a');
    cluster.node('b').step(voteRequest('c', 'b', 5, 100, 100));
    expect(cluster.take((m) => m.from === 'b')).toEqual([]);
    expect(cluster.status('b').term).toBe(2);
  });
});

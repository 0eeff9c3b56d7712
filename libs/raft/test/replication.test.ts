import { describe, expect, it } from 'vitest';
import type { Entry, Message } from '../src/index.js';
import { ENTRY_OVERHEAD_BYTES, MemoryStorage, makeMessage, MessageType, RaftNode } from '../src/index.js';
import { storageWithLog, TestCluster } from './helpers/cluster.js';

const text = new TextEncoder();

function entry(index: number, term: number, data = `t${term}i${index}`): Entry {
  return { index, term, type: 'normal', data: text.encode(data) };
}

function termsOf(storage: MemoryStorage): number[] {
  const terms: number[] = [];
  for (let i = storage.firstIndex(); i <= storage.lastIndex(); i++) terms.push(storage.term(i));
  return terms;
}

describe('log replication (Raft §5.3)', () => {
  it('a follower rejects an append whose previous index/term does not match, and truncates conflicts', () => {
    // Follower log: 2@1 3@2 4@2 (index@term), in term 3.
    const storage = storageWithLog(['f', 'l'], [1, 2, 2], { term: 3 });
    const follower = new RaftNode({ id: 'f' }, storage);
    const app = (index: number, logTerm: number, entries: Entry[]): Message =>
      makeMessage({ type: MessageType.App, from: 'l', to: 'f', term: 3, index, logTerm, entries, commit: 1 });

    follower.step(app(3, 3, [entry(4, 3)])); // we hold 3@2, not 3@3
    follower.step(app(6, 3, [entry(7, 3)])); // we have nothing at 6
    let ready = follower.ready();
    expect(ready.entries).toEqual([]);
    expect(ready.messages.map((m) => [m.reject, m.index, m.rejectHint, m.logTerm])).toEqual([
      [true, 3, 3, 2], // hint: our last index with a term ≤ 3 is 3, of term 2
      [true, 6, 4, 2], // hint: our last index is 4, of term 2
    ]);
    follower.advance(ready);

    follower.step(app(2, 1, [entry(3, 3), entry(4, 3)])); // matches at 2@1: replace from 3
    ready = follower.ready();
    expect(ready.entries.map((e) => `${e.index}@${e.term}`)).toEqual(['3@3', '4@3']);
    expect(ready.messages.map((m) => [m.type, m.reject, m.index])).toEqual([['appResp', false, 4]]);
    storage.append(ready.entries);
    follower.advance(ready);
    expect(termsOf(storage)).toEqual([1, 3, 3]);

    // An append that is all already held changes nothing, and never truncates what follows.
    follower.step(app(2, 1, [entry(3, 3)]));
    ready = follower.ready();
    expect(ready.entries).toEqual([]);
    expect(ready.messages.map((m) => m.index)).toEqual([3]);
    expect(follower.status().lastIndex).toBe(4);
  });

  it('commits up to the leader commit only as far as the entries it verified', () => {
    const storage = storageWithLog(['f', 'l'], [1, 1, 1], { term: 1 });
    const follower = new RaftNode({ id: 'f' }, storage);
    // Leader commit 10, but this append only proves entries up to 3.
    follower.step(
      makeMessage({
        type: MessageType.App,
        from: 'l',
        to: 'f',
        term: 2,
        index: 2,
        logTerm: 1,
        entries: [entry(3, 1)],
        commit: 10,
      }),
    );
    expect(follower.status().commit).toBe(3);
  });

  /**
   * Raft paper, Figure 7: the leader of term 8 meets followers whose logs are missing entries
   * (a, b), have extra uncommitted ones (c, d), or both (e, f). Paper index i is our i + 1
   * (index 1 is the bootstrap snapshot).
   */
  it.each([
    ['a', [1, 1, 1, 4, 4, 5, 5, 6, 6]],
    ['b', [1, 1, 1, 4]],
    ['c', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]],
    ['d', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]],
    ['e', [1, 1, 1, 4, 4, 4, 4]],
    ['f', [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]],
  ])('the leader brings follower (%s) of Figure 7 to its own log', (_name, followerTerms) => {
    const ids = ['leader', 'follower', 'voter'];
    const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const cluster = new TestCluster(ids, {
      storages: {
        leader: storageWithLog(ids, leaderTerms, { term: 8 }),
        follower: storageWithLog(ids, followerTerms, { term: Math.max(...followerTerms) }),
        voter: storageWithLog(ids, [], { term: 1 }),
      },
    });
    cluster.campaign('leader');
    expect(cluster.status('leader').role).toBe('leader');
    cluster.tickAll(3);
    const leaderLog = termsOf(cluster.get('leader').storage);
    expect(leaderLog).toEqual([...leaderTerms, 9]); // plus the new leader's empty entry
    expect(termsOf(cluster.get('follower').storage)).toEqual(leaderLog);
    expect(cluster.status('follower').commit).toBe(cluster.status('leader').commit);
  });

  /**
   * Raft paper, Figure 8: a leader may not commit an entry of an earlier term by counting
   * replicas. S1 (term 4) copies index 3 (term 2) to a majority, but S5 can still win term 5
   * and overwrite it with its own index 3 (term 3). Only once an entry of the current term
   * (index 4) is on a majority do both commit.
   */
  describe('Figure 8', () => {
    const ids = ['s1', 's2', 's3', 's4', 's5'];
    function figure8(unsafe: boolean): TestCluster {
      const cluster = new TestCluster(ids, {
        // One entry per append message, so that index 3 can travel without index 4.
        config: { maxSizePerMsgBytes: ENTRY_OVERHEAD_BYTES + 16 },
        knobs: { commitPreviousTermByCounting: unsafe },
        storages: {
          s1: storageWithLog(ids, [1, 2], { term: 3, commit: 2 }),
          s2: storageWithLog(ids, [1, 2], { term: 3, commit: 2 }),
          s3: storageWithLog(ids, [1], { term: 3, commit: 2 }),
          s4: storageWithLog(ids, [1], { term: 3, commit: 2 }),
          s5: storageWithLog(ids, [1, 3], { term: 3, commit: 2 }),
        },
      });
      // S1 wins term 4 with S2, S3, S4. Its index 4 (term 4) reaches nobody that could accept
      // it: S3 and S4 get index 3 (term 2) only, and S2 hears nothing. Nobody learns a commit
      // index of 3 or more from S1 (it crashes first).
      cluster.filter = (m) =>
        m.commit < 3 &&
        (m.type !== MessageType.App ||
          m.entries.every((e) => e.term !== 4) ||
          cluster.get(m.to).storage.lastIndex() < 3);
      cluster.campaign('s1');
      cluster.tickAll(1);
      expect(cluster.status('s1')).toMatchObject({ role: 'leader', term: 4 });
      for (const id of ['s3', 's4']) {
        expect([cluster.get(id).storage.lastIndex(), cluster.get(id).storage.term(3)]).toEqual([3, 2]);
      }
      return cluster;
    }

    it('the leader does not count replicas of an earlier term’s entry', () => {
      const cluster = figure8(false);
      expect(cluster.status('s1').progress['s3']?.match).toBe(3);
      expect(cluster.status('s1').progress['s4']?.match).toBe(3);
      expect(cluster.status('s1').commit).toBe(2); // 3 is on a majority, but of term 2
      cluster.filter = undefined;
      cluster.tickAll(1); // index 4 (term 4) reaches a majority: 3 and 4 commit together
      expect(cluster.status('s1').commit).toBe(4);
    });

    it('counting them (the deliberately wrong rule) commits an entry that is later overwritten', () => {
      const cluster = figure8(true);
      expect(cluster.status('s1').commit).toBe(3); // "committed" by counting
      cluster.isolate('s1'); // S1 crashes before index 4 spreads
      cluster.filter = undefined;
      cluster.campaign('s5'); // S5's last term 3 beats the others' term 2: it wins term 5
      expect(cluster.status('s5')).toMatchObject({ role: 'leader', term: 5 });
      cluster.tickAll(2);
      // The "committed" index 3 (term 2) is gone from the majority.
      for (const id of ['s2', 's3', 's4']) expect(cluster.get(id).storage.term(3)).toBe(3);
    });
  });

  it('reordered and duplicated replies never move a follower’s progress backwards', () => {
    const cluster = new TestCluster(['a', 'b', 'c'], {
      config: { maxSizePerMsgBytes: ENTRY_OVERHEAD_BYTES + 16 },
    });
    cluster.campaign('a');
    const leader = cluster.node('a');
    for (let i = 0; i < 5; i++) leader.propose(text.encode(`x${i}`));
    cluster.processReady('a');
    // Deliver a's appends to b, hold b's replies, and hand them back newest first.
    for (const m of cluster.take((m) => m.to === 'b')) cluster.node('b').step(m);
    const replies = cluster.take((m) => m.from === 'b' && m.to === 'a');
    expect(replies.length).toBeGreaterThan(2);
    const sorted = [...replies].sort((x, y) => y.index - x.index);
    leader.step(sorted[0] as Message);
    const best = leader.status().progress['b'];
    for (const reply of [...sorted.slice(1), sorted[0] as Message, ...sorted]) leader.step(reply);
    // A stale rejection of an old probe changes nothing either.
    leader.step(
      makeMessage({
        type: MessageType.AppResp,
        from: 'b',
        to: 'a',
        term: 2,
        index: 2,
        reject: true,
        rejectHint: 1,
      }),
    );
    const after = leader.status().progress['b'];
    expect(after?.match).toBe(best?.match);
    expect(after?.next).toBeGreaterThanOrEqual(best?.next ?? Infinity);
    expect(after?.match).toBe(leader.status().lastIndex);
  });

  it('restores a lagging follower from a snapshot once the leader compacted its log', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    cluster.isolate('c');
    for (let i = 0; i < 20; i++) cluster.propose('a', `e${i}`);
    // The application snapshots its state and the log before it goes.
    const leader = cluster.get('a');
    const applied = leader.appliedIndex;
    leader.storage.createSnapshot(applied, cluster.status('a').config, text.encode(`state@${applied}`));
    leader.storage.compact(applied);
    cluster.propose('a', 'after-snapshot');
    cluster.heal();
    cluster.tickAll(3);
    const follower = cluster.get('c');
    expect(follower.storage.snapshot().metadata.index).toBe(applied);
    expect(new TextDecoder().decode(follower.storage.snapshot().data)).toBe(`state@${applied}`);
    expect(cluster.appliedTexts('c')).toEqual(['after-snapshot']);
    expect(cluster.status('c')).toMatchObject({
      lastIndex: cluster.status('a').lastIndex,
      commit: cluster.status('a').commit,
    });
  });

  it('bounds append messages by bytes (at least one entry each) and by count in flight', () => {
    const maxSizePerMsgBytes = 3 * (ENTRY_OVERHEAD_BYTES + 10);
    const cluster = new TestCluster(['a', 'b'], { config: { maxSizePerMsgBytes, maxInflightMsgs: 2 } });
    cluster.campaign('a');
    const leader = cluster.node('a');
    for (let i = 0; i < 20; i++) leader.propose(text.encode(`0123456${String(i).padStart(3, '0')}`)); // 10 bytes each
    leader.propose(new Uint8Array(maxSizePerMsgBytes - ENTRY_OVERHEAD_BYTES)); // alone fills a message
    const apps = cluster.take((m) => m.type === MessageType.App && m.entries.length > 0);
    expect(apps).toHaveLength(2); // the in-flight window
    for (const m of apps) {
      const bytes = m.entries.reduce((sum, e) => sum + e.data.length + ENTRY_OVERHEAD_BYTES, 0);
      expect(m.entries.length === 1 || bytes <= maxSizePerMsgBytes).toBe(true);
    }
    // Each reply opens the window again; everything arrives in the end.
    for (const m of apps) cluster.deliver(m);
    cluster.stabilize();
    expect(cluster.status('b').lastIndex).toBe(cluster.status('a').lastIndex);
    expect(cluster.status('a').commit).toBe(cluster.status('a').lastIndex);
  });
});

import { describe, expect, it } from 'vitest';
import type { Message, Ready } from '../src/index.js';
import {
  CorruptStateError,
  EntryTooLargeError,
  InvalidMessageError,
  makeMessage,
  MemoryStorage,
  MessageType,
  NotLeaderError,
  RaftNode,
  ReadyStateError,
} from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';

function persist(storage: MemoryStorage, ready: Ready): void {
  if (ready.snapshot !== null) storage.applySnapshot(ready.snapshot);
  storage.append(ready.entries);
  if (ready.hardState !== null) storage.setHardState(ready.hardState);
}

describe('the driver contract (ready / advance)', () => {
  it('hands out one Ready at a time and checks what advance() is given', () => {
    const node = new RaftNode({ id: 'a' }, MemoryStorage.bootstrap(['a', 'b']));
    node.campaign();
    expect(node.hasReady()).toBe(true);
    const ready = node.ready();
    expect(node.hasReady()).toBe(false);
    expect(() => node.ready()).toThrow(ReadyStateError);
    expect(() => node.advance({ ...ready })).toThrow(ReadyStateError);
    node.advance(ready);
    expect(() => node.advance(ready)).toThrow(ReadyStateError);
  });

  it('puts a granted vote in the same Ready as the hard state that records it', () => {
    const storage = MemoryStorage.bootstrap(['a', 'b']);
    const node = new RaftNode({ id: 'b' }, storage);
    node.step(makeMessage({ type: MessageType.Vote, from: 'a', to: 'b', term: 2, index: 1, logTerm: 1 }));
    const ready = node.ready();
    expect(ready.messages.map((m) => [m.type, m.reject])).toEqual([['voteResp', false]]);
    expect(ready.hardState).toEqual({ term: 2, vote: 'a', commit: 1 });
    expect(ready.mustSync).toBe(true);
  });

  it('acknowledges appended entries only in the Ready that carries them', () => {
    const node = new RaftNode({ id: 'b' }, MemoryStorage.bootstrap(['a', 'b']));
    const entries = [{ index: 2, term: 2, type: 'normal' as const, data: new Uint8Array([1]) }];
    node.step(
      makeMessage({
        type: MessageType.App,
        from: 'a',
        to: 'b',
        term: 2,
        index: 1,
        logTerm: 1,
        entries,
        commit: 2,
      }),
    );
    const ready = node.ready();
    expect(ready.entries).toEqual(entries);
    expect(ready.messages).toMatchObject([{ type: 'appResp', index: 2 }]);
    // Committed, and handed out for applying in the same Ready (apply after persisting).
    expect(ready.committedEntries).toEqual(entries);
  });

  it('keeps across a restart only what was persisted', () => {
    const storage = MemoryStorage.bootstrap(['a', 'b', 'c']);
    let node = new RaftNode({ id: 'a', preVote: false }, storage);
    node.campaign();
    node.ready(); // taken, never persisted: the process dies
    node = new RaftNode({ id: 'a', preVote: false }, storage);
    expect(node.status()).toMatchObject({ term: 1, vote: null, role: 'follower' });
    node.campaign();
    const ready = node.ready();
    persist(storage, ready);
    node.advance(ready);
    node = new RaftNode({ id: 'a', preVote: false }, storage);
    expect(node.status()).toMatchObject({ term: 2, vote: 'a', role: 'follower' });
  });

  it('lets the node be stepped while a Ready is being persisted', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    const a = cluster.get('a');
    a.node.propose(new TextEncoder().encode('one'));
    const first = a.node.ready();
    a.node.propose(new TextEncoder().encode('two')); // arrives while "one" is being written
    persist(a.storage, first);
    a.node.advance(first);
    const second = a.node.ready();
    expect(second.entries.map((e) => new TextDecoder().decode(e.data))).toEqual(['two']);
  });
});

describe('bad input is refused with a typed error and changes nothing', () => {
  const base = (): Message => makeMessage({ type: MessageType.Heartbeat, from: 'a', to: 'b', term: 5 });
  it.each<[string, Partial<Message> | Record<string, unknown>]>([
    ['another addressee', { to: 'c' }],
    ['itself as sender', { from: 'b' }],
    ['an unknown type', { type: 'gossip' }],
    ['a negative term', { term: -1 }],
    ['a fractional index', { index: 1.5 }],
    ['a malformed node id', { from: 'a b' }],
    [
      'non-contiguous entries',
      {
        type: MessageType.App,
        index: 1,
        logTerm: 1,
        entries: [{ index: 3, term: 5, type: 'normal', data: new Uint8Array() }],
      },
    ],
    [
      'entries from a later term',
      {
        type: MessageType.App,
        index: 1,
        logTerm: 1,
        entries: [{ index: 2, term: 6, type: 'normal', data: new Uint8Array() }],
      },
    ],
    [
      'entry data that is not bytes',
      {
        type: MessageType.App,
        index: 1,
        logTerm: 1,
        entries: [{ index: 2, term: 5, type: 'normal', data: 'x' }],
      },
    ],
    ['a snapshot message without a snapshot', { type: MessageType.Snap }],
  ])('a message with %s', (_what, change) => {
    const node = new RaftNode({ id: 'b' }, MemoryStorage.bootstrap(['a', 'b']));
    const before = node.status();
    expect(() => node.step({ ...base(), ...change } as Message)).toThrow(InvalidMessageError);
    expect(node.status()).toEqual(before);
    expect(node.hasReady()).toBe(false);
  });

  it('proposals: not the leader, too large, not bytes', () => {
    const cluster = new TestCluster(['a', 'b'], { config: { maxEntryBytes: 16 } });
    cluster.campaign('a');
    const error = (() => {
      try {
        cluster.node('b').propose(new Uint8Array(1));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(error).toMatchObject({ name: 'NotLeaderError', leader: 'a' });
    const before = cluster.status('a').lastIndex;
    expect(() => cluster.node('a').propose(new Uint8Array(17))).toThrow(EntryTooLargeError);
    expect(() => cluster.node('a').propose('text' as unknown as Uint8Array)).toThrow(TypeError);
    expect(cluster.status('a').lastIndex).toBe(before);
  });
});

describe('start-up and transport hints', () => {
  it('refuses storage whose commit index is past its last entry', () => {
    const storage = MemoryStorage.bootstrap(['a']);
    storage.setHardState({ term: 1, vote: null, commit: 7 });
    expect(() => new RaftNode({ id: 'a' }, storage)).toThrow(CorruptStateError);
  });

  it('stops streaming to an unreachable follower and probes it instead', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    expect(cluster.status('a').progress['b']?.state).toBe('replicate');
    cluster.node('a').reportUnreachable('b');
    expect(cluster.status('a').progress['b']?.state).toBe('probe');
    cluster.node('b').reportUnreachable('a'); // ignored by followers
    cluster.tickAll(2);
    expect(cluster.status('a').progress['b']?.state).toBe('replicate');
  });
});

describe('bounds', () => {
  it('drops outgoing messages beyond maxQueuedMessages, and counts them', () => {
    const node = new RaftNode({ id: 'b', maxQueuedMessages: 2 }, MemoryStorage.bootstrap(['a', 'b']));
    for (let i = 0; i < 5; i++)
      node.step(makeMessage({ type: MessageType.Heartbeat, from: 'a', to: 'b', term: 2, commit: 1 }));
    expect(node.ready().messages).toHaveLength(2);
    expect(node.status().droppedMessages).toBe(3);
  });

  it('refuses proposals beyond maxUncommittedEntriesBytes until entries commit', () => {
    const cluster = new TestCluster(['a', 'b', 'c'], {
      config: { maxUncommittedEntriesBytes: 1000, maxEntryBytes: 400 },
    });
    cluster.campaign('a');
    cluster.isolate('a');
    const leader = cluster.node('a');
    leader.propose(new Uint8Array(400));
    leader.propose(new Uint8Array(400));
    const error = (() => {
      try {
        leader.propose(new Uint8Array(400));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ name: 'ProposalDroppedError', reason: 'uncommittedLimit' });
    cluster.heal();
    cluster.tickAll(2);
    leader.propose(new Uint8Array(400)); // committed and applied: room again
  });
});

describe('status and timers', () => {
  it('reports term, role, leader, commit, applied and per-peer progress on the leader', () => {
    const cluster = new TestCluster(['a', 'b', 'c']);
    cluster.campaign('a');
    cluster.isolate('c');
    cluster.propose('a', 'x');
    const status = cluster.status('a');
    expect(status).toMatchObject({
      id: 'a',
      term: 2,
      role: 'leader',
      leader: 'a',
      commit: 3,
      applied: 3,
      lastIndex: 3,
    });
    expect(status.progress['b']).toMatchObject({ match: 3, next: 4, state: 'replicate', isLearner: false });
    expect(status.progress['c']?.match).toBe(2); // it had the new leader's entry, not x
    expect(cluster.status('b').progress).toEqual({});
  });

  it('draws election timeouts from the seed, in [electionTicks, 2 × electionTicks)', () => {
    const timeoutOf = (seed: number): number => {
      const node = new RaftNode(
        { id: 'a', randomSeed: seed, preVote: false },
        MemoryStorage.bootstrap(['a', 'b']),
      );
      for (let tick = 1; tick <= 40; tick++) {
        node.tick();
        if (node.status().role === 'candidate') return tick;
      }
      return -1;
    };
    const timeouts = Array.from({ length: 30 }, (_, seed) => timeoutOf(seed));
    for (const ticks of timeouts) expect(ticks >= 10 && ticks < 20).toBe(true);
    expect(new Set(timeouts).size).toBeGreaterThan(3);
    expect(timeoutOf(12345)).toBe(timeoutOf(12345));
  });
});

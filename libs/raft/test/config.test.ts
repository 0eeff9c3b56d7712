import { describe, expect, it } from 'vitest';
import type { RaftConfig } from '../src/index.js';
import {
  ENTRY_OVERHEAD_BYTES,
  MemoryStorage,
  RAFT_DEFAULTS,
  RaftConfigError,
  RaftNode,
  resolveConfig,
} from '../src/index.js';

describe('config', () => {
  it('fills documented defaults that are consistent with each other', () => {
    const config = resolveConfig({ id: 'orderer1' });
    expect(config).toMatchObject({ ...RAFT_DEFAULTS, id: 'orderer1', snapshotRetryTicks: 20 });
    expect(config.maxEntryBytes + ENTRY_OVERHEAD_BYTES).toBeLessThanOrEqual(config.maxSizePerMsgBytes);
    expect(config.maxSizePerMsgBytes).toBeLessThan(1024 * 1024); // below NATS's default payload
    expect(config.electionTicks).toBeGreaterThan(config.heartbeatTicks);
  });

  it.each<[string, Partial<RaftConfig> & Record<string, unknown>]>([
    ['id', { id: '' }],
    ['id', { id: 'has space' }],
    ['electionTicks', { electionTicks: 1 }],
    ['electionTicks', { electionTicks: 5, heartbeatTicks: 5 }],
    ['heartbeatTicks', { heartbeatTicks: 0 }],
    ['maxSizePerMsgBytes', { maxSizePerMsgBytes: 10 }],
    ['maxEntryBytes', { maxSizePerMsgBytes: 1000, maxEntryBytes: 1000 }],
    ['maxInflightMsgs', { maxInflightMsgs: 0 }],
    ['maxInflightBytes', { maxInflightBytes: 1 }],
    ['maxUncommittedEntriesBytes', { maxUncommittedEntriesBytes: 5 }],
    ['preVote', { preVote: 'yes' as unknown as boolean }],
    ['applied', { applied: -1 }],
    ['randomSeed', { randomSeed: 0.5 }],
    ['electionTick', { electionTick: 10 }],
  ])('refuses a bad %s, naming it', (field, change) => {
    const attempt = () => resolveConfig({ id: 'a', ...change } as RaftConfig);
    expect(attempt).toThrow(RaftConfigError);
    expect(attempt).toThrow(new RegExp(`^raft config: ${field} `));
  });

  it('refuses an applied index past the persisted commit index at start-up', () => {
    expect(() => new RaftNode({ id: 'a', applied: 5 }, MemoryStorage.bootstrap(['a']))).toThrow(/applied/);
  });
});

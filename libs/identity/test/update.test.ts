import { describe, expect, it } from 'vitest';
import {
  checkConfigUpdate,
  ConfigUpdateError,
  configUpdateIssues,
  consenterChange,
  type ChannelConfig,
} from '../src/index.js';
import { identity, smallNetwork } from './helpers.js';

const current = (): ChannelConfig => smallNetwork().config;
const next = (change: Partial<ChannelConfig> = {}): ChannelConfig => ({
  ...current(),
  sequence: current().sequence + 1,
  ...change,
});

describe('config updates', () => {
  it('accepts the next sequence with the same consenters', () => {
    expect(configUpdateIssues(current(), next())).toEqual([]);
    expect(
      checkConfigUpdate(current(), next({ batch: { ...current().batch, timeoutMs: 20 } })).batch.timeoutMs,
    ).toBe(20);
  });

  it('refuses another channel and a sequence that is not the next one', () => {
    const issues = configUpdateIssues(current(), next({ channel: 'other', sequence: 5 }));
    expect(issues.map((i) => i.path)).toEqual(['$.channel', '$.sequence']);
    expect(issues[1]!.message).toBe('must be 1 (the config in force has 0), found 5');
    expect(() => checkConfigUpdate(current(), next({ sequence: 0 }))).toThrow(ConfigUpdateError);
  });

  it('refuses an invalid new config with its validation issues', () => {
    expect(configUpdateIssues(current(), { ...next(), batch: null }).map((i) => i.path)).toEqual(['$.batch']);
  });

  it('allows one consenter to be removed or rotated, not two', () => {
    const [a, b, c] = current().consenters as [
      ChannelConfig['consenters'][number],
      ChannelConfig['consenters'][number],
      ChannelConfig['consenters'][number],
    ];
    expect(configUpdateIssues(current(), next({ consenters: [a, b] }))).toEqual([]);
    const issues = configUpdateIssues(current(), next({ consenters: [a] }));
    expect(issues.map((i) => i.message)).toEqual([
      'at most one consenter may be added, removed or changed per update, found -orderer2, -orderer3',
      'keeps 1 of the 3 current consenters unchanged; a quorum of 2 must stay',
    ]);
    const rotated = { ...c, cert: identity('orderer1').cert };
    expect(consenterChange(current().consenters, [a, b, rotated])).toEqual({
      added: [],
      removed: [],
      changed: ['orderer3'],
    });
  });

  it('refuses to shrink two consenters to one (no quorum of the old set would remain)', () => {
    const two = { ...current(), consenters: current().consenters.slice(0, 2) };
    const issues = configUpdateIssues(two, { ...two, sequence: 1, consenters: two.consenters.slice(0, 1) });
    expect(issues).toEqual([
      {
        path: '$.consenters',
        message: 'keeps 1 of the 2 current consenters unchanged; a quorum of 2 must stay',
      },
    ]);
  });
});

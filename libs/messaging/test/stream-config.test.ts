import { describe, expect, it } from 'vitest';
import { nanos } from '@nats-io/nats-core';
import {
  MessagingArgumentError,
  StreamConfigConflictError,
  channelStreamConfigs,
  streamConfigChanges,
} from '../src/index.js';

describe('channel stream configs', () => {
  it('keeps everything by default, on file, with dedup, sized to max_payload, deletes denied', () => {
    const c = channelStreamConfigs('subsidies', { maxMsgBytes: 1_048_576 });
    expect(c.blocks).toMatchObject({
      name: 'CIVIC_SUBSIDIES_BLOCKS',
      subjects: ['civic.subsidies.blocks'],
      storage: 'file',
      retention: 'limits',
      num_replicas: 1,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      discard: 'old',
      duplicate_window: nanos(120_000),
      max_msg_size: 1_048_576,
      deny_delete: true,
      deny_purge: true,
    });
    expect(c.commits.subjects).toEqual(['civic.subsidies.commits.>']);
    expect(c.events.subjects).toEqual(['civic.subsidies.events.>']);
    expect(c.events.name).toBe('CIVIC_SUBSIDIES_EVENTS');
  });

  it('applies limits, replicas and the duplicate window; the window never exceeds max age', () => {
    const c = channelStreamConfigs('ch', {
      replicas: 3,
      duplicateWindowMs: 600_000,
      blocks: { maxMsgs: 1000, maxBytes: 1 << 30, discard: 'new' },
      events: { maxAgeMs: 60_000 },
    });
    expect(c.blocks).toMatchObject({
      num_replicas: 3,
      max_msgs: 1000,
      max_bytes: 1 << 30,
      discard: 'new',
      duplicate_window: nanos(600_000),
    });
    expect(c.events).toMatchObject({ max_age: nanos(60_000), duplicate_window: nanos(60_000) });
    expect(c.commits.max_age).toBe(0);
  });

  it('refuses nonsense options with MessagingArgumentError', () => {
    expect(() => channelStreamConfigs('ch', { replicas: 0 })).toThrow(MessagingArgumentError);
    expect(() => channelStreamConfigs('ch', { duplicateWindowMs: 1.5 })).toThrow(/duplicateWindowMs/);
    expect(() => channelStreamConfigs('ch', { blocks: { maxMsgs: 0 } })).toThrow(/maxMsgs/);
    expect(() => channelStreamConfigs('Bad')).toThrow(/invalid channel/);
  });

  it('lists the fields to update and refuses changes no update can make', () => {
    const wanted = channelStreamConfigs('ch').blocks;
    expect(streamConfigChanges({ ...wanted, subjects: [...wanted.subjects] }, wanted)).toEqual([]);
    expect(
      streamConfigChanges(
        { ...wanted, subjects: [...wanted.subjects], max_msgs: 5, num_replicas: 3 },
        wanted,
      ),
    ).toEqual(['num_replicas', 'max_msgs']);
    expect(() => streamConfigChanges({ ...wanted, storage: 'memory' as never }, wanted)).toThrow(
      StreamConfigConflictError,
    );
    const relaxed = channelStreamConfigs('ch', { denyDeleteAndPurge: false }).blocks;
    expect(() => streamConfigChanges({ ...wanted }, relaxed)).toThrow(
      /deny_delete=true, which cannot be changed/,
    );
  });
});

import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { natsUrl, uniqueChannel } from '@civic/testkit';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { nanos } from '@nats-io/nats-core';
import {
  StreamConfigConflictError,
  closeNats,
  connectNats,
  deleteStreams,
  ensureStreams,
  maxPayloadBytes,
  streamNames,
} from '../src/index.js';

let nc: NatsConnection;
let jsm: JetStreamManager;
const created: string[] = [];

beforeAll(async () => {
  nc = await connectNats({ url: natsUrl(), name: 'messaging-streams-test' });
  jsm = await jetstreamManager(nc);
});
afterEach(async () => {
  for (const channel of created.splice(0)) await deleteStreams(jsm, channel);
});
afterAll(async () => {
  await closeNats(nc);
});

function newChannel(): string {
  const channel = uniqueChannel();
  created.push(channel);
  return channel;
}

describe('ensureStreams (integration, local NATS)', () => {
  it('creates the three streams with the server max_payload as message size limit', async () => {
    const channel = newChannel();
    const info = await ensureStreams(jsm, channel);
    expect(info.blocks.config).toMatchObject({
      name: streamNames(channel).blocks,
      subjects: [`civic.${channel}.blocks`],
      storage: 'file',
      max_msgs: -1,
      max_msg_size: maxPayloadBytes(nc),
      deny_delete: true,
      deny_purge: true,
    });
    expect(info.commits.config.subjects).toEqual([`civic.${channel}.commits.>`]);
    expect(info.events.config.subjects).toEqual([`civic.${channel}.events.>`]);
  });

  it('is idempotent, and updates limits that changed', async () => {
    const channel = newChannel();
    const first = await ensureStreams(jsm, channel);
    const second = await ensureStreams(jsm, channel);
    expect(second.blocks.created).toBe(first.blocks.created);
    expect(second.blocks.config).toEqual(first.blocks.config);
    const updated = await ensureStreams(jsm, channel, {
      events: { maxAgeMs: 3_600_000 },
      duplicateWindowMs: 60_000,
    });
    expect(updated.events.created).toBe(first.events.created);
    expect(updated.events.config.max_age).toBe(nanos(3_600_000));
    expect(updated.blocks.config.duplicate_window).toBe(nanos(60_000));
  });

  it('refuses to turn a stream into something no update can make, changing nothing', async () => {
    const channel = newChannel();
    await ensureStreams(jsm, channel, { storage: 'memory', denyDeleteAndPurge: false });
    await expect(ensureStreams(jsm, channel)).rejects.toThrow(StreamConfigConflictError);
    const info = await jsm.streams.info(streamNames(channel).blocks);
    expect(info.config.storage).toBe('memory');
  });

  it('deleteStreams removes the streams and tolerates missing ones', async () => {
    const channel = uniqueChannel();
    await ensureStreams(jsm, channel);
    const names = streamNames(channel);
    expect(await deleteStreams(jsm, channel)).toEqual([names.blocks, names.commits, names.events]);
    expect(await deleteStreams(jsm, channel)).toEqual([]);
  });
});

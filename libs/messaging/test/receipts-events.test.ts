import { afterEach, describe, expect, it } from 'vitest';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import {
  InvalidNameError,
  MessagingArgumentError,
  WrongLastSequenceError,
  commitMsgId,
  decodeJson,
  lastCommitReceipt,
  publishCommit,
  publishEvent,
  streamLastSequence,
  type LedgerEvent,
} from '../src/index.js';
import { hex64, makeReceipt, sleep } from './fixtures.js';

let channels: TestChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.map((c) => c.cleanup()));
  channels = [];
});
async function channel(options?: Parameters<typeof createTestChannel>[0]): Promise<TestChannel> {
  const c = await createTestChannel(options);
  channels.push(c);
  return c;
}

function event(i: number): LedgerEvent {
  return {
    txId: hex64(`tx${i}`),
    block: i,
    txIndex: 0,
    namespace: 'grants',
    type: 'grant.approved',
    data: { grantId: `g${i}`, amountCents: 1000 * i },
  };
}

describe('commit receipts (integration, local NATS)', () => {
  it('publishes one copy per peer and block, and tells a peer its last receipt', async () => {
    const t = await channel();
    expect(await lastCommitReceipt(t.jsm, t.channel, 'peer-a')).toBeNull();
    await publishCommit(t.js, t.channel, 'peer-a', makeReceipt(0));
    await publishCommit(t.js, t.channel, 'peer-b', makeReceipt(0));
    await publishCommit(t.js, t.channel, 'peer-a', makeReceipt(1));
    const again = await publishCommit(t.js, t.channel, 'peer-a', makeReceipt(1));
    expect(again.duplicate).toBe(true);
    expect(await streamLastSequence(t.jsm, t.streams.commits.config.name)).toBe(3);
    expect(await lastCommitReceipt(t.jsm, t.channel, 'peer-a')).toEqual(makeReceipt(1));
    expect(await lastCommitReceipt(t.jsm, t.channel, 'peer-b')).toEqual(makeReceipt(0));
    const stored = await t.jsm.streams.getMessage(t.streams.commits.config.name, { seq: 3 });
    expect(stored?.subject).toBe(t.subjects.commits('peer-a'));
    expect(stored?.header.get('Nats-Msg-Id')).toBe(commitMsgId(t.channel, 'peer-a', 1));
  });

  it('refuses a bad peer id or receipt number', async () => {
    const t = await channel();
    await expect(publishCommit(t.js, t.channel, 'Peer.A', makeReceipt(0))).rejects.toThrow(InvalidNameError);
    await expect(
      publishCommit(t.js, t.channel, 'peer-a', { ...makeReceipt(0), number: 1.5 }),
    ).rejects.toThrow(MessagingArgumentError);
  });
});

describe('events (integration, local NATS)', () => {
  it('keeps one copy per txId when several peers publish the same event', async () => {
    const t = await channel();
    const first = await publishEvent(t.js, t.channel, event(1));
    const second = await publishEvent(t.js, t.channel, event(1));
    expect(first).toMatchObject({ seq: 1, duplicate: false });
    expect(second).toMatchObject({ seq: 1, duplicate: true });
    const stored = await t.jsm.streams.getMessage(t.streams.events.config.name, { seq: 1 });
    expect(stored?.subject).toBe(`civic.${t.channel}.events.grants.grant.approved`);
    expect(stored?.header.get('Nats-Msg-Id')).toBe(event(1).txId);
    expect(decodeJson(stored!.data)).toEqual(event(1));
  });

  it('with ordinals stays exactly-once after the duplicate window, and refuses a gap', async () => {
    const t = await channel({ streams: { duplicateWindowMs: 200 } });
    for (let i = 0; i < 3; i += 1) await publishEvent(t.js, t.channel, event(i), { ordinal: i });
    // Wait until the server has forgotten the msg ids (it purges them on a timer after the
    // window): a raw re-publish of the last event is then refused by its fence, not deduplicated.
    const forgotten = async () =>
      t.js
        .publish(t.subjects.events('grants', 'grant.approved'), 'probe', {
          msgID: event(2).txId,
          expect: { lastSequence: 2 },
        })
        .then(
          (ack) => !ack.duplicate,
          () => true,
        );
    for (let attempt = 0; attempt < 50 && !(await forgotten()); attempt += 1) await sleep(100);
    // A late peer republishes event 1: already stored at sequence 2, so reported as a duplicate.
    expect(await publishEvent(t.js, t.channel, event(1), { ordinal: 1 })).toMatchObject({
      seq: 2,
      duplicate: true,
    });
    // A wrong event at an ordinal that is taken is an error, not a duplicate.
    await expect(publishEvent(t.js, t.channel, event(9), { ordinal: 1 })).rejects.toThrow(
      WrongLastSequenceError,
    );
    // An event whose predecessors are missing is refused.
    const gap = await publishEvent(t.js, t.channel, event(5), { ordinal: 5 }).catch((e: unknown) => e);
    expect((gap as WrongLastSequenceError).gap).toBe(true);
    expect(await streamLastSequence(t.jsm, t.streams.events.config.name)).toBe(3);
  });

  it('refuses a malformed txId or event type before sending', async () => {
    const t = await channel();
    await expect(publishEvent(t.js, t.channel, { ...event(1), txId: 'ABC' })).rejects.toThrow(
      /txId must be 64 lowercase hex/,
    );
    await expect(publishEvent(t.js, t.channel, { ...event(1), type: 'a b' })).rejects.toThrow(
      InvalidNameError,
    );
    expect(await streamLastSequence(t.jsm, t.streams.events.config.name)).toBe(0);
  });
});

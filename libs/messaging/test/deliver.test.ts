import { afterEach, describe, expect, it } from 'vitest';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import { headers as natsHeaders, type Msg } from '@nats-io/nats-core';
import {
  DELIVER_WAIT_MS_MAX,
  deliverBlocks,
  DeliverError,
  deliverOnce,
  ErrorHeader,
  MessagingArgumentError,
  parseDeliverRequest,
  QueueGroup,
  subjects,
} from '../src/index.js';

let channels: TestChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.map((c) => c.cleanup()));
  channels = [];
});

const blockBytes = (n: number) => new TextEncoder().encode(`{"block":${n}}`);

/** How a test responder answers one request: its messages, in order. */
type Script = (request: { from: number; to?: number }, msg: Msg) => void;

async function responder(script: Script) {
  const t = await createTestChannel();
  channels.push(t);
  const requests: { from: number; to?: number }[] = [];
  const sub = t.nc.subscribe(subjects(t.channel).deliver, {
    queue: QueueGroup.DELIVERERS,
    callback: (_error, msg) => {
      const request = msg.json<{ from: number; to?: number }>();
      requests.push(request);
      script(request, msg);
    },
  });
  return { t, requests, stop: () => sub.unsubscribe() };
}

function sendBlock(msg: Msg, n: number, named = true): void {
  const h = natsHeaders();
  h.set('Civic-Deliver', 'block');
  if (named) h.set('Civic-Block-Number', String(n));
  msg.respond(blockBytes(n), { headers: h });
}

function sendEnd(msg: Msg, body: unknown): void {
  const h = natsHeaders();
  h.set('Civic-Deliver', 'end');
  msg.respond(JSON.stringify(body), { headers: h });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parseDeliverRequest', () => {
  it('fills the defaults and names the bad member', () => {
    expect(parseDeliverRequest({ from: 3 })).toEqual({
      ok: true,
      request: { from: 3, to: null, wait: false, waitMs: 30_000 },
    });
    expect(parseDeliverRequest({ from: 1, to: 0 })).toMatchObject({ ok: false, reason: /to must be/ });
    expect(parseDeliverRequest({ from: -1 })).toMatchObject({ ok: false, reason: /from must be/ });
    expect(parseDeliverRequest({ from: 0, waitMs: DELIVER_WAIT_MS_MAX + 1 })).toMatchObject({ ok: false });
    expect(parseDeliverRequest({ from: 0, extra: 1 })).toMatchObject({
      ok: false,
      reason: 'unknown field extra',
    });
    expect(parseDeliverRequest([])).toMatchObject({ ok: false });
  });
});

describe('.deliver requester (integration, local NATS)', () => {
  it('reads blocks in order over as many replies as the responder bounds need', async () => {
    const r = await responder((request, msg) => {
      const last = Math.min(request.to ?? 9, request.from + 1); // two blocks per reply
      for (let n = request.from; n <= last; n++) sendBlock(msg, n);
      sendEnd(msg, { status: 'END', next: last + 1, height: 10 });
    });
    const blocks = await collect(deliverBlocks(r.t.nc, r.t.channel, 3, 7));
    expect(blocks.map((b) => b.number)).toEqual([3, 4, 5, 6, 7]);
    expect(new TextDecoder().decode(blocks[0]!.bytes)).toBe('{"block":3}');
    expect(r.requests).toEqual([
      { from: 3, to: 7 },
      { from: 5, to: 7 },
      { from: 7, to: 7 },
    ]);
    const once = deliverOnce(r.t.nc, r.t.channel, { from: 0 });
    expect((await once.next()).value).toMatchObject({ number: 0 });
    expect((await once.next()).value).toMatchObject({ number: 1 });
    expect(await once.next()).toEqual({ done: true, value: 2 });
    r.stop();
  });

  it('understands responders built on serveJson: bare blocks, an empty end, error headers', async () => {
    const r = await responder((request, msg) => {
      if (request.from > 5) {
        const h = natsHeaders();
        h.set(ErrorHeader.CODE, 'NOT_FOUND');
        h.set(ErrorHeader.MESSAGE, `no block ${request.from}`);
        msg.respond(new Uint8Array(0), { headers: h });
        return;
      }
      msg.respond(blockBytes(request.from));
      msg.respond(new Uint8Array(0));
    });
    expect((await collect(deliverBlocks(r.t.nc, r.t.channel, 4, 5))).map((b) => b.number)).toEqual([4, 5]);
    const refused = await collect(
      deliverBlocks(r.t.nc, r.t.channel, 6, 6, { attemptsMax: 2, retryDelayMs: 10 }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeliverError);
    expect(refused).toMatchObject({ code: 'NOT_FOUND', detail: 'no block 6' });
    expect(r.requests.filter((q) => q.from === 6)).toHaveLength(2);
    r.stop();
  });

  it('throws the responder’s refusal, a block out of order, no responders and a silent reply', async () => {
    const r = await responder((request, msg) => {
      if (request.from === 1) sendEnd(msg, { status: 'ERROR', code: 'BAD_REQUEST', reason: 'nope' });
      if (request.from === 2) sendBlock(msg, 3);
      // from 3: silence
    });
    const codeOf = (from: number) =>
      collect(deliverOnce(r.t.nc, r.t.channel, { from, to: from }, { idleTimeoutMs: 300 })).catch(
        (e: DeliverError) => e.code,
      );
    expect(await codeOf(1)).toBe('BAD_REQUEST');
    expect(await codeOf(2)).toBe('UNAVAILABLE');
    expect(await codeOf(3)).toBe('TIMEOUT');
    r.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await codeOf(1)).toBe('NO_RESPONDERS');
    await expect(collect(deliverBlocks(r.t.nc, r.t.channel, 5, 4))).rejects.toThrow(MessagingArgumentError);
  });
});

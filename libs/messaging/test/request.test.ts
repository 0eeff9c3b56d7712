import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, natsUrl, uniqueChannel } from '@civic/testkit';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  DecodeError,
  ErrorHeader,
  NatsConnectError,
  NoRespondersError,
  PayloadTooLargeError,
  QueueGroup,
  RemoteHandlerError,
  RequestTimeoutError,
  ResponderErrorCode,
  closeNats,
  connectNats,
  maxPayloadBytes,
  publishJson,
  requestJson,
  serveJson,
  subjects,
  subscribeJson,
  type Subscriber,
} from '../src/index.js';
import { sleep } from './fixtures.js';

let nc: NatsConnection;
const subscribers: Subscriber[] = [];
beforeAll(async () => {
  nc = await connectNats({ url: natsUrl(), name: 'messaging-request-test' });
});
afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.stop()));
  await closeNats(nc);
});
function keep(s: Subscriber): Subscriber {
  subscribers.push(s);
  return s;
}

describe('request/reply (integration, local NATS)', () => {
  it('answers a JSON request, spread over a queue group', async () => {
    const s = subjects(uniqueChannel());
    const served: string[] = [];
    for (const name of ['o1', 'o2']) {
      keep(
        serveJson<{ txId: string }, { status: string; txId: string }>(
          nc,
          s.txSubmit,
          { queue: QueueGroup.ORDERERS },
          (req) => {
            served.push(name);
            return { status: 'ACCEPTED', txId: req.data.txId };
          },
        ),
      );
    }
    await nc.flush();
    for (let i = 0; i < 20; i += 1) {
      expect(await requestJson(nc, s.txSubmit, { txId: `t${i}` }, { timeoutMs: 2000 })).toEqual({
        status: 'ACCEPTED',
        txId: `t${i}`,
      });
    }
    expect(served).toHaveLength(20); // one answer per request, not one per member
  });

  it('throws NoRespondersError when nobody listens', async () => {
    const subject = subjects(uniqueChannel()).query('peer-a');
    const err = await requestJson(nc, subject, { q: 1 }, { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoRespondersError);
    expect((err as NoRespondersError).subject).toBe(subject);
  });

  it('throws RequestTimeoutError when the responder does not answer in time', async () => {
    const subject = subjects(uniqueChannel()).endorse('Agency');
    const silent = nc.subscribe(subject);
    await nc.flush();
    const err = await requestJson(nc, subject, {}, { timeoutMs: 200 }).catch((e: unknown) => e);
    silent.unsubscribe();
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ subject, timeoutMs: 200 });
    await expect(requestJson(nc, subject, {}, { timeoutMs: 0 })).rejects.toThrow(
      /timeoutMs must be a positive integer/,
    );
  });

  it('turns a failing handler into RemoteHandlerError, and a bad request into BAD_REQUEST', async () => {
    const subject = subjects(uniqueChannel()).endorse('Agency');
    const errors: unknown[] = [];
    keep(
      serveJson(nc, subject, { onError: (e) => errors.push(e) }, () => {
        throw Object.assign(new Error('policy says no\r\nsecond line'), { code: 'ENDORSEMENT_REFUSED' });
      }),
    );
    await nc.flush();
    const err = await requestJson(nc, subject, { payload: 1 }, { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteHandlerError);
    expect(err).toMatchObject({ code: 'ENDORSEMENT_REFUSED', remoteMessage: 'policy says no second line' });

    const raw = await nc.request(subject, new TextEncoder().encode('{oops'), { timeout: 2000 });
    expect(raw.headers?.get(ErrorHeader.CODE)).toBe(ResponderErrorCode.BAD_REQUEST);
    expect(errors.some((e) => e instanceof DecodeError)).toBe(true);
  });

  it('bounds the requests waiting for a slow responder: the excess is answered OVERLOADED at once', async () => {
    const subject = subjects(uniqueChannel()).txSubmit;
    const responder = keep(
      serveJson(nc, subject, { pendingMax: 1 }, async () => {
        await sleep(100);
        return { status: 'ACCEPTED' };
      }),
    );
    await nc.flush();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        requestJson(nc, subject, { i }, { timeoutMs: 10_000 }).then(
          () => 'ok',
          (e: unknown) => (e instanceof RemoteHandlerError ? e.code : 'other'),
        ),
      ),
    );
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain(ResponderErrorCode.OVERLOADED);
    expect(outcomes).not.toContain('other');
    expect(responder.stats.dropped).toBe(outcomes.filter((o) => o === ResponderErrorCode.OVERLOADED).length);
  });

  it('refuses an oversize request before sending, with sizes in the error', async () => {
    const subject = subjects(uniqueChannel()).txSubmit;
    const max = maxPayloadBytes(nc);
    const err = await requestJson(nc, subject, 'x'.repeat(max), { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).bytes).toBeGreaterThan(max);
    expect(() => publishJson(nc, subject, 'x'.repeat(max))).toThrow(PayloadTooLargeError);
  });

  it('rejects a reply that is not JSON with DecodeError', async () => {
    const subject = subjects(uniqueChannel()).deliver;
    const sub = nc.subscribe(subject, {
      callback: (_e, msg) => {
        msg.respond(new TextEncoder().encode('not json'));
      },
    });
    await nc.flush();
    await expect(requestJson(nc, subject, { from: 0 }, { timeoutMs: 2000 })).rejects.toThrow(DecodeError);
    sub.unsubscribe();
  });
});

describe('plain subscribe/publish (integration, local NATS)', () => {
  it('delivers decoded messages in order and reports undecodable ones', async () => {
    const s = subjects(uniqueChannel());
    const got: number[] = [];
    const errors: unknown[] = [];
    const sub = keep(
      subscribeJson<{ i: number }>(nc, s.raft('o2'), { onError: (e) => errors.push(e) }, (m) => {
        got.push(m.data.i);
      }),
    );
    await nc.flush();
    for (let i = 0; i < 5; i += 1) publishJson(nc, s.raft('o2'), { i });
    nc.publish(s.raft('o2'), 'garbage');
    await nc.flush();
    for (let waited = 0; sub.stats.handled < 6 && waited < 5000; waited += 20) await sleep(20);
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(errors).toHaveLength(1);
  });
});

describe('connectNats', () => {
  it('names the URL and how to get a server when the first connect fails', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const err = await connectNats({ url, name: 'nobody-home', connectTimeoutMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NatsConnectError);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toMatch(/nats-server -js/);
    await expect(connectNats({ url: ' , ', name: 'x' })).rejects.toThrow(/names no server/);
  });

  it('drains on close, and closing twice is harmless', async () => {
    const own = await connectNats({ url: natsUrl(), name: 'close-twice' });
    await closeNats(own);
    await closeNats(own);
    expect(own.isClosed()).toBe(true);
  });
});

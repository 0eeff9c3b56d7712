/**
 * The kit's HTTP layer on a real fastify application (requests injected, no socket): token
 * authentication (401) and access rules (403) with tokens signed by identities of the dev
 * network, the error shape and mapping, the body limit (413), and the ops endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.app.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = {},
  payload?: unknown,
) {
  const res = await t.app.inject({
    method,
    url,
    headers: { 'content-type': 'application/json', ...headers },
    ...(payload === undefined
      ? {}
      : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  });
  return {
    status: res.statusCode,
    body:
      res.body.length > 0 && res.headers['content-type']?.toString().includes('json') ? res.json() : res.body,
    headers: res.headers,
  };
}

describe('authentication (401)', () => {
  it('refuses a request without a token, naming the header and the realm', async () => {
    const res = await call('GET', '/things');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.body.error.message).toContain('Authorization: Bearer');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="things"');
  });

  it('refuses a garbled token, an expired one and one for another service', async () => {
    const garbled = await call('GET', '/things', auth('not.a.token'));
    expect(garbled.status).toBe(401);
    expect(garbled.body.error.message).toMatch(/^invalid token: /);

    const expired = await call(
      'GET',
      '/things',
      auth(t.token('utrecht-user1', { nowMs: NOW - 20 * 60_000 })),
    );
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain('expired');

    const other = await call('GET', '/things', auth(t.token('utrecht-user1', { audience: 'subsidies' })));
    expect(other.status).toBe(401);
    expect(other.body.error.message).toContain('not things');
  });

  it('refuses a token signed by a key that is not the certificate’s', async () => {
    const token = t.token('utrecht-user1');
    const forged = t.token('amsterdam-user1');
    const [header, claims] = token.split('.');
    const signature = forged.split('.')[2];
    const res = await call('GET', '/things', auth(`${header}.${claims}.${signature}`));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('signature does not verify');
  });
});

describe('access rules (403)', () => {
  it('lets the own organisation write and names the caller', async () => {
    const res = await call('POST', '/things', auth(t.token('utrecht-user1')), { name: 'a' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: { name: 'a' }, by: 'CN=utrecht-user1, OU=client, O=Utrecht' });
  });

  it('refuses another organisation’s member on an own-organisation route', async () => {
    const res = await call('POST', '/things', auth(t.token('amsterdam-user1')), { name: 'a' });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      code: 'FORBIDDEN',
      message:
        'CN=amsterdam-user1, OU=client, O=Amsterdam is a member of Amsterdam; this service acts for Utrecht only',
    });
  });

  it('applies the default rule to routes without @Access', async () => {
    expect((await call('GET', '/things/default', auth(t.token('utrecht-user2')))).status).toBe(200);
    expect((await call('GET', '/things/default', auth(t.token('police-user1')))).status).toBe(403);
  });

  it('lets any member read, and limits a route to a list of organisations and roles', async () => {
    const read = await call('GET', '/things', auth(t.token('police-user1')));
    expect(read.status).toBe(200);
    expect(read.body.caller).toBe('Police');
    expect((await call('GET', '/things/police-only', auth(t.token('police-user1')))).status).toBe(200);
    const municipality = await call('GET', '/things/police-only', auth(t.token('utrecht-user1')));
    expect(municipality.status).toBe(403);
    expect(municipality.body.error.message).toBe('Utrecht may not call this route (allowed: Police)');
    const admin = await call('GET', '/things/police-only', auth(t.token('police-admin')));
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toBe('role admin may not call this route (allowed: client)');
  });
});

describe('error shape', () => {
  it('maps a domain error through the service’s mapper', async () => {
    const res = await call('POST', '/things/rule', auth(t.token('utrecht-user1')), {});
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { code: 'SOMETHING_TAKEN', rule: 'SOMETHING_TAKEN', message: 'SOMETHING_TAKEN: broken' },
    });
  });

  it('answers an unexpected error 500 without its details', async () => {
    const res = await call('POST', '/things/crash', auth(t.token('utrecht-user1')), {});
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('answers 413 for a body over the limit, before authentication or the route', async () => {
    const big = { name: 'x'.repeat(2_000) };
    const res = await call('POST', '/things', auth(t.token('utrecht-user1')), big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 INVALID_BODY for malformed JSON and 404 for an unknown route', async () => {
    const bad = await call('POST', '/things', auth(t.token('utrecht-user1')), '{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_BODY');
    const unknown = await call('GET', '/nothing-here', auth(t.token('utrecht-user1')));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });
});

describe('ops endpoints', () => {
  it('serves /healthz, /openapi.json and /metrics without a token', async () => {
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/openapi.json')).body).toEqual({
      openapi: '3.1.0',
      info: { title: 'things' },
    });
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(
      /civic_things_http_requests_total\{method="POST",route="\/things",status="201",org="Utrecht",channel="civic"\} \d+/,
    );
  });

  it('/readyz runs every check and answers 503 naming the failing one', async () => {
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { privateStore: 'memory', things: 'fine' } });
    t.readiness.fail = 'things are down';
    try {
      const down = await call('GET', '/readyz');
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('NOT_READY');
      expect(down.body.error.message).toBe('things: things are down');
    } finally {
      t.readiness.fail = null;
    }
  });
});

describe('minBlock without a ledger', () => {
  it('is still checked (400), and answers 503 LEDGER_UNAVAILABLE: there is no peer to wait for', async () => {
    const bad = await call('GET', '/things?minBlock=x', auth(t.token('utrecht-user1')));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'minBlock' });
    const none = await call('GET', '/things?minBlock=3', auth(t.token('utrecht-user1')));
    expect(none.status).toBe(503);
    expect(none.body.error.code).toBe('LEDGER_UNAVAILABLE');
  });
});

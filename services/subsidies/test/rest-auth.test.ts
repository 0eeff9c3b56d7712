/**
 * Authentication (401) and access (403): a caller proves its organisation with a token signed by
 * its own key and carrying a certificate of its organisation's CA; each instance acts for one
 * organisation; only a scheme's authority decides under it.
 */
import { createRootCa, issueIdentityCert, Role } from '@civic/identity';
import { keyPairFromSeed, sha256, utf8Bytes } from '@civic/protocol';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mintToken } from '@civic/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eur,
  expectStatus,
  grant,
  newSchemeId,
  scheme,
  schemeBody,
  undertaking,
} from './support/fixtures.js';
import { startRestNet, type RestNet } from './support/rest-net.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CIVIC_BIN = `${ROOT}tools/civic/bin/civic.js`;

let net: RestNet;
beforeAll(async () => {
  net = await startRestNet();
}, 120_000);
afterAll(async () => net?.close());

describe('401 without valid credentials', () => {
  it('no token, a malformed one, an expired one, one for another service: 401 with the reason, nothing written', async () => {
    const before = net.orderer.submissions.length;
    const body = schemeBody(newSchemeId('auth'));
    const none = expectStatus(await net.request('Utrecht', 'POST', '/schemes', { user: null, body }), 401);
    expect(none.body.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('Authorization: Bearer'),
    });
    expect(none.headers['www-authenticate']).toBe('Bearer realm="subsidies"');
    const garbage = expectStatus(
      await net.request('Utrecht', 'POST', '/schemes', { token: 'abc.def.ghi', body }),
      401,
    );
    expect(garbage.body.error.message).toMatch(/^invalid token: /);
    const expired = net.token('utrecht-user1', { nowMs: Date.now() - 20 * 60_000 });
    expect(
      expectStatus(await net.request('Utrecht', 'POST', '/schemes', { token: expired, body }), 401).body.error
        .message,
    ).toMatch(/token expired at/);
    const parking = net.token('utrecht-user1', { audience: 'parking' });
    expect(
      expectStatus(await net.request('Utrecht', 'POST', '/schemes', { token: parking, body }), 401).body.error
        .message,
    ).toMatch(/not subsidies/);
    expectStatus(await net.request('Utrecht', 'GET', `/schemes/${body.id}`, { user: null }), 401);
    expect(net.orderer.submissions.length).toBe(before);
  });

  it('a certificate that claims Utrecht but is not issued by its CA: 401 UNKNOWN_IDENTITY', async () => {
    const key = keyPairFromSeed(sha256(utf8Bytes('impostor')));
    const now = Math.floor(Date.now() / 1000) * 1000;
    const ca = createRootCa({
      mspId: 'Utrecht',
      keyPair: key,
      notBeforeMs: now - 3_600_000,
      notAfterMs: now + 3_600_000,
    });
    const cert = issueIdentityCert(ca, {
      commonName: 'utrecht-user1',
      role: Role.CLIENT,
      publicKey: key.publicKey,
      notBeforeMs: now - 3_600_000,
      notAfterMs: now + 3_600_000,
    });
    const token = mintToken({ cert, key, audience: 'subsidies', ttlMs: 60_000, nowMs: now });
    const reply = expectStatus(await net.request('Utrecht', 'GET', '/schemes/any', { token }), 401);
    expect(reply.body.error.message).toMatch(
      /UNKNOWN_IDENTITY: certificate .* is not issued by a root CA of Utrecht/,
    );
  });

  it('operations endpoints need no token', async () => {
    expect(expectStatus(await net.request('RVO', 'GET', '/healthz', { user: null }), 200).body).toEqual({
      status: 'ok',
    });
    expect(expectStatus(await net.request('RVO', 'GET', '/readyz', { user: null }), 200).body).toMatchObject({
      status: 'ready',
      checks: { peer: { peerId: 'rvo-peer' }, privateStore: 'memory' },
    });
    expect(expectStatus(await net.request('RVO', 'GET', '/metrics', { user: null }), 200).body).toContain(
      'civic_subsidies_http_requests_total',
    );
    const openapi = expectStatus(await net.request('RVO', 'GET', '/openapi.json', { user: null }), 200).body;
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/undertakings/{kvk}/aid');
  });
});

describe('a token from the civic CLI', () => {
  it('`civic token --network DIR --user utrecht-user1` opens the API; `--aud parking` does not', () => {
    const civic = (args: string[]) =>
      execFileSync(process.execPath, [CIVIC_BIN, 'token', '--network', net.dir, ...args], {
        encoding: 'utf8',
      }).trim();
    execFileSync('flock', ['/tmp/civic-build.lock', 'npx', 'tsc', '-b', 'tools/civic'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const token = civic(['--user', 'utrecht-user1', '--ttl', '2m']);
    expect(token.split('.')).toHaveLength(3);
    return Promise.all([
      net.request('Utrecht', 'GET', '/schemes/none', { token }).then((r) => expect(r.status).toBe(404)),
      net
        .request('Utrecht', 'GET', '/schemes/none', {
          token: civic(['--user', 'utrecht-user1', '--aud', 'parking']),
        })
        .then((r) => expect(r.status).toBe(401)),
    ]);
  });
});

describe('403: a member of one municipality cannot decide for another', () => {
  it("an Amsterdam member calling Utrecht's service is refused, and nothing is written", async () => {
    const schemeId = await scheme(net, 'Utrecht', 'utr');
    const kvk = await undertaking(net, 'Utrecht');
    const before = net.orderer.submissions.length;
    const reply = expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/grants`, {
        user: 'amsterdam-user1',
        body: { kvk, amountCents: eur(1_000), eligibleCostCents: eur(1_000) },
      }),
      403,
    );
    expect(reply.body.error).toEqual({
      code: 'FORBIDDEN',
      message:
        'CN=amsterdam-user1, OU=client, O=Amsterdam is a member of Amsterdam; this service acts for Utrecht only',
    });
    expect(net.orderer.submissions.length).toBe(before);
  });

  it("Amsterdam deciding on Utrecht's scheme through its own service: 403 NOT_SCHEME_OWNER with who may", async () => {
    const schemeId = await scheme(net, 'Utrecht', 'own');
    const kvk = await undertaking(net, 'Utrecht');
    const reply = expectStatus(await grant(net, 'Amsterdam', schemeId, kvk, eur(1_000)), 403);
    expect(reply.body.error).toMatchObject({
      code: 'NOT_SCHEME_OWNER',
      figures: { expectedMspId: 'Utrecht', actualMspId: 'Amsterdam' },
    });
    const pay = expectStatus(
      await net.request('Amsterdam', 'POST', `/schemes/${schemeId}/applications`, {
        body: { applicationId: 'X-1', kvk, requestedCents: 100, eligibleCostCents: 100 },
      }),
      403,
    );
    expect(pay.body.error.code).toBe('NOT_SCHEME_OWNER');
  });

  it('any member may read; a peer certificate may not write', async () => {
    const schemeId = await scheme(net, 'RVO', 'read');
    expectStatus(await net.request('RVO', 'GET', `/schemes/${schemeId}`, { user: 'amsterdam-user2' }), 200);
    const peer = expectStatus(
      await net.request('RVO', 'POST', '/schemes', {
        user: 'rvo-peer',
        body: schemeBody(newSchemeId('peer')),
      }),
      403,
    );
    expect(peer.body.error.message).toBe('role peer may not call this route (allowed: client, admin)');
  });
});

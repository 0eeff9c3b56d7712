import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken, PEER_TOKEN_AUDIENCE, type ChannelConfig } from '@civic/identity';
import { requestJson, subjects } from '@civic/messaging';
import { txIdOf, type Envelope } from '@civic/protocol';
import { loadPeerConfig, PeerConfigError, startPeer, type RunningPeer } from '../src/index.js';
import { eventually, getJson, PeerFixture } from './support/peer-fixture.js';

/** Only RVO and Utrecht members may read after the config update of the test. */
const TWO_ORG_READERS = "OR('RVO.member', 'Utrecht.member')";

/**
 * The peer's REST API requires a reader of the channel (docs/peer.md, "REST authentication"):
 * a certificate-bound token for audience `peer`, whose identity the `readers` policy of the
 * config in force admits. The operations routes stay open; PEER_REST_AUTH=off opens the rest.
 */
describe('REST authentication of a peer (readers policy)', () => {
  let fixture: PeerFixture;
  let peer: RunningPeer;
  let open: RunningPeer;
  let write: Envelope;
  const configUpdate = () => {
    const { factory, net } = fixture;
    const next: ChannelConfig = {
      ...net.config,
      sequence: 1,
      policies: { ...net.config.policies, readers: TWO_ORG_READERS },
    };
    const envelope = factory.configUpdate(next, '0:0', net.signer('rvo-admin'), [
      net.signer('utrecht-admin'),
    ]);
    return factory.block([envelope], { configTx: true });
  };

  beforeAll(async () => {
    fixture = await PeerFixture.create();
    write = fixture.factory.tx({ writes: [{ key: 'dir/k', value: { n: 1 } }] });
    await fixture.publish([fixture.net.genesis, fixture.factory.block([write])]);
    peer = await startPeer(await fixture.config('peer-auth', 'postgres'));
    open = await startPeer(await fixture.config('peer-open', 'postgres', { PEER_REST_AUTH: 'off' }));
    await Promise.all([peer.started, open.started]);
    for (const p of [peer, open])
      await eventually(async () => (await getJson(`${p.url}/height`)).body.height === 1, 20_000, 'height 1');
  });
  afterAll(async () => {
    await peer?.stop();
    await open?.stop();
    await fixture?.cleanup();
  });

  const as = (identity: string | null) =>
    identity === null ? null : fixture.token(identity === 'rogue' ? fixture.net.rogue : identity);

  it('answers a member of the channel on every query route (200)', async () => {
    const txId = txIdOf(write.payload);
    for (const path of [
      '/height',
      '/state/assets/dir/k',
      '/history/assets/dir/k',
      '/blocks/1',
      `/tx/${txId}`,
      `/tx/${txId}/proof`,
      '/checkpoint',
    ]) {
      for (const member of ['rvo-client', 'amsterdam-client', 'utrecht-peer']) {
        const reply = await getJson(`${peer.url}${path}`, as(member));
        expect(reply.status, `${member} GET ${path}`).toBe(200);
      }
    }
    expect((await getJson(`${peer.url}/state/assets/dir/k`)).body.value).toEqual({ n: 1 });
  });

  it('401 without a token, with WWW-Authenticate and the reason', async () => {
    for (const path of ['/height', '/blocks/0', '/checkpoint', '/state/assets/dir/k']) {
      const reply = await getJson(`${peer.url}${path}`, null);
      expect(reply.status, path).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="civic-peer"');
      expect(reply.body.error.code).toBe('UNAUTHENTICATED');
      expect(reply.body.error.reason).toMatch(/Authorization: Bearer header is required.*--aud peer/);
    }
    const audit = await fetch(`${peer.url}/audit`, { method: 'POST' });
    expect(audit.status).toBe(401);
    const basic = await fetch(`${peer.url}/height`, { headers: { authorization: 'Basic cnZvOnB3' } });
    expect(basic.status).toBe(401);
  });

  it('401 for a token of another audience, an expired one, and expired, revoked or foreign certificates', async () => {
    const { cert, key } = fixture.net.signer('rvo-client');
    const cases: [string, string, RegExp][] = [
      [
        'audience subsidies',
        mintToken({ cert, key, audience: 'subsidies', ttlMs: 60_000, nowMs: Date.now() }),
        /token is for "subsidies", not peer/,
      ],
      [
        'expired token',
        mintToken({
          cert,
          key,
          audience: PEER_TOKEN_AUDIENCE,
          ttlMs: 60_000,
          nowMs: Date.now() - 10 * 60_000,
        }),
        /token expired at/,
      ],
      ['expired certificate', fixture.token(fixture.net.expired), /^invalid token: EXPIRED_IDENTITY: /],
      [
        'revoked certificate',
        fixture.token(fixture.net.revoked),
        /^invalid token: EXPIRED_IDENTITY: .*revoked/,
      ],
      ['certificate of another CA', as('rogue')!, /^invalid token: UNKNOWN_IDENTITY: /],
      ['garbage', 'not-a-token', /three dot-separated parts/],
    ];
    for (const [what, token, reason] of cases) {
      const reply = await getJson(`${peer.url}/height`, token);
      expect(reply.status, what).toBe(401);
      expect(reply.headers.get('www-authenticate'), what).toBe(
        'Bearer realm="civic-peer", error="invalid_token"',
      );
      expect(reply.body.error.reason, what).toMatch(reason);
    }
  });

  it('leaves /healthz, /readyz, /metrics and /openapi.json open', async () => {
    const ready = await eventually(async () => {
      const r = await getJson(`${peer.url}/readyz`, null);
      return r.status === 200 ? r : undefined;
    });
    expect(ready.body.ready).toBe(true);
    expect((await getJson(`${peer.url}/healthz`, null)).status).toBe(200);
    const openapi = await getJson(`${peer.url}/openapi.json`, null);
    expect(openapi.status).toBe(200);
    expect(openapi.body.components.securitySchemes.readerToken).toMatchObject({ scheme: 'bearer' });
    expect(openapi.body.paths['/readyz'].get.security).toEqual([]);
    const metrics = await fetch(`${peer.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/civic_peer_rest_refusals_total\{[^}]*status="401"[^}]*\} [1-9]/);
  });

  it('403 for an identity outside readers, following the config in force; the reason names the policy', async () => {
    // Under `ANY member` the ordering organisation is no reader: meta policies count application organisations.
    const orderers = await getJson(`${peer.url}/height`, as('orderers-admin'));
    expect(orderers.status).toBe(403);
    expect(orderers.body.error).toEqual({
      code: 'FORBIDDEN',
      reason: expect.stringMatching(
        /^CN=orderers-admin, OU=admin, O=Orderers may not read channel .*: readers policy ANY member not satisfied/,
      ),
    });

    await fixture.publish([configUpdate()]);
    await eventually(async () => (await getJson(`${peer.url}/height`)).body.height === 2, 20_000, 'height 2');
    const amsterdam = await getJson(`${peer.url}/blocks/1`, as('amsterdam-client'));
    expect(amsterdam.status).toBe(403);
    expect(amsterdam.body.error.reason).toContain(`readers policy ${TWO_ORG_READERS} not satisfied`);
    expect(amsterdam.headers.get('www-authenticate')).toBeNull();
    expect((await getJson(`${peer.url}/blocks/1`, as('utrecht-client'))).status).toBe(200);
    expect(
      (
        await fetch(`${peer.url}/audit`, {
          method: 'POST',
          headers: { authorization: `Bearer ${as('amsterdam-admin')}` },
        })
      ).status,
    ).toBe(403);
    const metrics = await (await fetch(`${peer.url}/metrics`)).text();
    expect(metrics).toMatch(/civic_peer_rest_refusals_total\{[^}]*status="403"[^}]*\} [2-9]/);
  });

  it('NATS queries stay as they are (the NATS server’s subject permissions guard them)', async () => {
    const reply = await requestJson<{ height: number }>(
      fixture.channel.nc,
      subjects(fixture.channel.channel).query('peer-auth'),
      { type: 'height' },
      { timeoutMs: 5_000 },
    );
    expect(reply.height).toBeGreaterThanOrEqual(1);
  });

  it('PEER_REST_AUTH=off answers without a token; anything but on/off is a configuration error', async () => {
    expect(open.config.restAuth).toBe('off');
    expect(peer.config.restAuth).toBe('on');
    const reply = await getJson(`${open.url}/state/assets/dir/k`, null);
    expect(reply.status).toBe(200);
    expect(reply.body.value).toEqual({ n: 1 });
    const env = { CHANNEL: 'c', PEER_ID: 'p', NETWORK_DIR: fixture.dir };
    expect(loadPeerConfig(env).restAuth).toBe('on');
    expect(() => loadPeerConfig({ ...env, PEER_REST_AUTH: 'maybe' })).toThrow(PeerConfigError);
    expect(() => loadPeerConfig({ ...env, PEER_REST_AUTH: 'maybe' })).toThrow(
      /PEER_REST_AUTH must be on or off/,
    );
  });
});

/**
 * Read your writes across authorities with `minBlock` (docs/subsidies.md, "REST API"): RVO's
 * instance reads rvo-peer, which here lags behind utrecht-peer. Right after Utrecht registers an
 * undertaking RVO does not see it; with the `tx.block` of Utrecht's answer as `minBlock` RVO waits
 * for its peer and answers it, for a read and for a decision on it. A peer that stays behind past
 * MIN_BLOCK_WAIT_MS is 503 PEER_BEHIND; a malformed token 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eur, expectStatus, newKvk, scheme } from './support/fixtures.js';
import { startRestNet, type RestNet } from './support/rest-net.js';

const WAIT_MS = 1_500;
let net: RestNet;
beforeAll(async () => {
  net = await startRestNet({ env: { MIN_BLOCK_WAIT_MS: String(WAIT_MS) } });
}, 120_000);
afterAll(async () => net?.close());

/**
 * rvo-peer held 700 ms behind while Utrecht registers an undertaking; `check` runs at once with
 * the undertaking and the block Utrecht's answer names.
 */
async function rvoBehindUtrecht(name: string, check: (kvk: string, block: number) => Promise<void>) {
  const kvk = newKvk();
  net.setCommitDelay('rvo-peer', 700);
  try {
    const written = expectStatus(
      await net.request('Utrecht', 'POST', '/undertakings', { body: { kvk, name } }),
      201,
    );
    await check(kvk, written.body.tx.block);
  } finally {
    net.setCommitDelay('rvo-peer', 0);
  }
}

describe('minBlock on the subsidies routes', () => {
  it("RVO reads Utrecht's fresh undertaking once its lagging peer has the block", async () => {
    await rvoBehindUtrecht('Drukkerij Oost', async (kvk, block) => {
      // Without the token, RVO's instance answers from a peer that has not got the block yet.
      expect(
        (await net.request('RVO', 'GET', `/undertakings/${kvk}`, { settle: false })).body.error?.code,
      ).toBe('UNDERTAKING_NOT_FOUND');
      const seen = expectStatus(
        await net.request('RVO', 'GET', `/undertakings/${kvk}?minBlock=${block}`, { settle: false }),
        200,
      );
      expect(seen.body.undertaking).toMatchObject({ kvk });
      expect(net.peers['rvo-peer']!.height).toBeGreaterThanOrEqual(block);
    });
  });

  it('a decision with minBlock waits too: RVO grants on an undertaking Utrecht just registered', async () => {
    const rvoScheme = await scheme(net, 'RVO', 'minblock-grant');
    await rvoBehindUtrecht('Zagerij West', async (kvk, block) => {
      const granted = expectStatus(
        await net.request('RVO', 'POST', `/schemes/${rvoScheme}/grants`, {
          settle: false,
          headers: { 'Civic-Min-Block': String(block) },
          body: { kvk, amountCents: eur(10_000), eligibleCostCents: eur(10_000) },
        }),
        201,
      );
      expect(granted.body.decision.grant).toMatchObject({ kvk, authority: 'RVO' });
    });
  });

  it('a peer still behind at the deadline: 503 PEER_BEHIND with its height; malformed: 400', async () => {
    const height = net.peers['rvo-peer']!.height;
    const behind = await net.request('RVO', 'GET', `/undertakings/${newKvk()}/aid?minBlock=${height + 500}`);
    const { code, peerId, minBlock } = behind.body.error;
    expect([
      behind.status,
      behind.headers['retry-after'],
      code,
      peerId,
      behind.body.error.height,
      minBlock,
    ]).toEqual([503, '1', 'PEER_BEHIND', 'rvo-peer', height, height + 500]);
    const bad = await net.request('RVO', 'GET', `/schemes/x?minBlock=latest`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'minBlock' });
  });
});

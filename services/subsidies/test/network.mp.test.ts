/**
 * Multi-process: the subsidies services of RVO, Utrecht and Amsterdam against three real orderer
 * processes (Raft), two real peer processes on PostgreSQL and the real NATS. Two authorities
 * decide grants for the same undertaking at the same moment near its ceiling: exactly one
 * succeeds, the other gets DE_MINIMIS_CEILING with its figures. A co-financed grant carries the
 * second authority's endorsement and the peers validate it against the channel's policy.
 * Prints the latency of a grant decision, end to end (REST in, commit code out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eur, newKvk, newSchemeId, schemeBody } from './support/fixtures.js';
import { buildPrograms, startRealNet, type RealNet } from './support/real-net.js';
import type { Reply } from './support/rest-net.js';

let net: RealNet;
beforeAll(async () => {
  buildPrograms();
  net = await startRealNet();
}, 240_000);
afterAll(async () => net?.close(), 60_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
async function must(reply: Promise<Reply>, status = 201): Promise<any> {
  const { status: got, body } = await reply;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

async function setUp(prefix: string, endorsement: unknown = null) {
  const rvoScheme = newSchemeId(`${prefix}-rvo`);
  const utrechtScheme = newSchemeId(`${prefix}-utr`);
  await must(net.request('RVO', 'POST', '/schemes', schemeBody(rvoScheme, { endorsement })));
  await must(net.request('Utrecht', 'POST', '/schemes', schemeBody(utrechtScheme)));
  const kvk = newKvk();
  const registered = await must(
    net.request('Utrecht', 'POST', '/undertakings', { kvk, name: 'Fietsenmakerij Utrecht' }),
  );
  await seenByEveryPeer(kvk, registered.tx.block);
  return { rvoScheme, utrechtScheme, kvk };
}

/**
 * A commit answered to Utrecht (which reads utrecht-peer) says nothing of rvo-peer, which may
 * be a block behind: each service answers once its own peer has the write's block (minBlock).
 */
async function seenByEveryPeer(kvk: string, block: number): Promise<void> {
  await Promise.all(
    ORG_PAIR.map((org) => must(net.request(org, 'GET', `/undertakings/${kvk}/aid?minBlock=${block}`), 200)),
  );
}

const ORG_PAIR = ['RVO', 'Utrecht'] as const;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

describe('subsidies on real orderers and peers', () => {
  it('two authorities at the same moment near the ceiling: exactly one grant, the other refused with figures', async () => {
    const { rvoScheme, utrechtScheme, kvk } = await setUp('race');
    const first = await must(
      net.request('Utrecht', 'POST', `/schemes/${utrechtScheme}/grants`, {
        kvk,
        amountCents: eur(250_000),
        eligibleCostCents: eur(250_000),
      }),
    );
    // RVO reads rvo-peer: wait until it has Utrecht's grant, so both decide on the same state.
    const before = await must(
      net.request('RVO', 'GET', `/undertakings/${kvk}/aid?minBlock=${first.tx.block}`),
      200,
    );
    expect(before.totalsCents.GENERAL).toBe(eur(250_000));
    const replies = await Promise.all([
      net.request('RVO', 'POST', `/schemes/${rvoScheme}/grants`, {
        kvk,
        amountCents: eur(40_000),
        eligibleCostCents: eur(40_000),
      }),
      net.request('Utrecht', 'POST', `/schemes/${utrechtScheme}/grants`, {
        kvk,
        amountCents: eur(40_000),
        eligibleCostCents: eur(40_000),
      }),
    ]);
    expect(replies.map((r) => r.status).sort(), JSON.stringify(replies.map((r) => r.body))).toEqual([
      201, 409,
    ]);
    const granted = replies.find((r) => r.status === 201)!.body;
    const refused = replies.find((r) => r.status === 409)!.body;
    expect(refused.error).toMatchObject({
      code: 'DE_MINIMIS_CEILING',
      figures: {
        ceilingCents: eur(300_000),
        alreadyGrantedInWindowCents: eur(290_000),
        requestedCents: eur(40_000),
        leftCents: eur(10_000),
      },
    });
    const rebuilds = (
      await Promise.all(ORG_PAIR.map((org) => net.apps[org].metrics.txRebuilds.get()))
    ).reduce((sum, metric) => sum + (metric.values[0]?.value ?? 0), 0);
    process.stdout.write(
      `race: granted by ${granted.decision.grant.authority} in block ${granted.tx.block}; rebuilds after ` +
        `MVCC_READ_CONFLICT: ${rebuilds}; refused: ${refused.error.message}\n`,
    );
    for (const org of ORG_PAIR) {
      const aid = await must(
        net.request(org, 'GET', `/undertakings/${kvk}/aid?minBlock=${granted.tx.block}`),
        200,
      );
      expect(aid.totalsCents.GENERAL).toBe(eur(290_000));
      expect(aid.entries).toHaveLength(2);
      expect(aid.entries.every((e: { ref: unknown }) => e.ref !== null)).toBe(true);
    }
  });

  it('a co-financed grant is endorsed by the second authority and committed VALID by the peers', async () => {
    const { rvoScheme, kvk } = await setUp('co', { thresholdCents: eur(10_000), coEndorser: 'Utrecht' });
    const body = await must(
      net.request('RVO', 'POST', `/schemes/${rvoScheme}/grants`, {
        kvk,
        amountCents: eur(20_000),
        eligibleCostCents: eur(20_000),
      }),
    );
    expect(body.tx).toMatchObject({ action: 'grant-endorsed', endorsedBy: ['Utrecht'] });
    const grant = await must(
      net.request('Amsterdam', 'GET', `/schemes/${rvoScheme}/grants/1?minBlock=${body.tx.block}`),
      200,
    );
    expect(grant.decision).toMatchObject({ block: body.tx.block, txId: body.tx.txId, creatorMspId: 'RVO' });
  });

  it('figures: grant decision latency end to end (REST in, commit code out)', async () => {
    const { utrechtScheme, rvoScheme } = await setUp('latency', {
      thresholdCents: eur(1),
      coEndorser: 'Utrecht',
    });
    const kvks: string[] = [];
    let lastBlock = 0;
    for (let i = 0; i < 10; i++) {
      const kvk = newKvk();
      const registered = await must(
        net.request('Utrecht', 'POST', '/undertakings', { kvk, name: `Onderneming ${i}` }),
      );
      lastBlock = Math.max(lastBlock, registered.tx.block);
      kvks.push(kvk);
    }
    for (const kvk of kvks) await seenByEveryPeer(kvk, lastBlock);
    const measure = async (org: 'RVO' | 'Utrecht', schemeId: string): Promise<number[]> => {
      const times: number[] = [];
      for (const kvk of kvks) {
        const started = performance.now();
        await must(
          net.request(org, 'POST', `/schemes/${schemeId}/grants`, {
            kvk,
            amountCents: eur(1_000),
            eligibleCostCents: eur(1_000),
          }),
        );
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    const alone = await measure('Utrecht', utrechtScheme);
    const endorsed = await measure('RVO', rvoScheme);
    const line = (what: string, t: number[]) =>
      `${what}: n=${t.length} p50 ${percentile(t, 0.5).toFixed(1)} ms, p90 ${percentile(t, 0.9).toFixed(1)} ms, max ${t.at(-1)!.toFixed(1)} ms`;
    process.stdout.write(
      `${line('grant (one authority)', alone)}\n${line('grant-endorsed (RVO + Utrecht)', endorsed)}\n`,
    );
    expect(alone).toHaveLength(10);
  });
});

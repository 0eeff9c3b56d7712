import { afterEach, describe, expect, it } from 'vitest';
import { requestJson } from '@civic/messaging';
import { malformed } from '@civic/ledger/testing';
import type { Block } from '@civic/protocol';
import { startPeer, type RunningPeer } from '../src/index.js';
import { MemoryDeliverer } from './support/memory-deliverer.js';
import { ENGINES, eventually, getJson, PeerFixture } from './support/peer-fixture.js';

describe.each(ENGINES)('block intake on %s', (engine) => {
  let fixture: PeerFixture | undefined;
  let peer: RunningPeer | undefined;
  afterEach(async () => {
    await peer?.stop();
    await fixture?.cleanup();
    peer = undefined;
    fixture = undefined;
  });

  it('stops on a block that does not verify, commits none of it and says why', async () => {
    fixture = await PeerFixture.create();
    const { factory, net } = fixture;
    const good = factory.block([factory.tx({ writes: [{ key: 'a', value: 1 }] })]);
    const signed = factory.block([factory.tx({ writes: [{ key: 'b', value: 2 }] })]);
    // Another dataHash than the envelopes give: the orderer's signature no longer covers it.
    const forged: Block = { ...signed, envelopes: [malformed(signed.envelopes[0]!) as never] };
    const after = factory.block([factory.tx({ writes: [{ key: 'c', value: 3 }] })]);
    await fixture.publish([net.genesis, good, forged, after]);
    peer = await startPeer(await fixture.config('peer-h', engine));
    const readyz = await eventually(async () => {
      const r = await getJson(`${peer!.url}/readyz`);
      return r.body.phase === 'halted' ? r : undefined;
    });
    expect(readyz.status).toBe(503);
    expect(readyz.body.reasons[0]).toMatch(/halted on block 2: .*dataHash/);
    expect((await getJson(`${peer.url}/height`)).body.height).toBe(1);
    expect((await getJson(`${peer.url}/state/assets/b`)).status).toBe(404);
    expect((await getJson(`${peer.url}/blocks/2`)).status).toBe(404);
    const metrics = await (await fetch(`${peer.url}/metrics`)).text();
    expect(metrics).toMatch(/civic_peer_halted\{[^}]*\} 1/);
    expect(metrics).toMatch(/civic_peer_rejected_blocks_total\{[^}]*\} 1/);
  });

  it('repairs a gap in the stream through deliver', async () => {
    fixture = await PeerFixture.create({ purgeable: true });
    const { factory, net } = fixture;
    const blocks = [net.genesis];
    for (let i = 0; i < 9; i++)
      blocks.push(factory.block([factory.tx({ writes: [{ key: `k${i}`, value: i }] })]));
    await fixture.publish(blocks);
    // The stream lost blocks 0..5 (a retention limit): only the orderers still have them.
    const { jsm, streams, nc, channel } = fixture.channel;
    await jsm.streams.purge(streams.blocks.config.name, { seq: 7 });
    const deliverer = new MemoryDeliverer(nc, channel, blocks);
    try {
      peer = await startPeer(await fixture.config('peer-g', engine));
      await eventually(
        async () => (await getJson(`${peer!.url}/height`)).body.height === 9,
        20_000,
        'height 9',
      );
      expect(deliverer.requests).toBeGreaterThan(0);
      expect((await getJson(`${peer.url}/state/assets/k0`)).body.value).toBe(0);
    } finally {
      deliverer.stop();
    }
  });

  it('answers queries over NATS, in the gateway’s form too, with the reason for bad ones', async () => {
    fixture = await PeerFixture.create();
    const { factory, net } = fixture;
    await fixture.publish([
      net.genesis,
      factory.block([factory.tx({ writes: [{ key: 'x/y', value: { n: 1 } }] })]),
    ]);
    peer = await startPeer(await fixture.config('peer-q', engine));
    await eventually(async () => (await getJson(`${peer!.url}/height`)).body.height === 1);
    const subject = `civic.${fixture.channel.channel}.query.peer-q`;
    const ask = (body: unknown) =>
      requestJson<Record<string, unknown>>(fixture!.channel.nc, subject, body, { timeoutMs: 5000 });
    expect(await ask({ type: 'state', namespace: 'assets', key: 'x/y' })).toMatchObject({
      found: true,
      value: { n: 1 },
      version: '1:0',
    });
    expect(await ask({ query: 'state', namespace: 'assets', key: 'nope' })).toMatchObject({ found: false });
    expect(await ask({ query: 'height' })).toMatchObject({ height: 1 });
    expect(await ask({ type: 'state', namespace: 'assets' })).toEqual({
      error: { code: 'BAD_REQUEST', reason: 'key must be a string of 1 to 512 characters' },
    });
    expect(await ask({ type: 'drop tables' })).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect((await getJson(`${peer.url}/state/assets/x/y`)).body.value).toEqual({ n: 1 });
  });
});

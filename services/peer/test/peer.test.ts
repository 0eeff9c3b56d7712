import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCommitReceipt, streamLastSequence } from '@civic/messaging';
import { blockHashOf, parseBlock, serializeBlock, ValidationCode, type Block } from '@civic/protocol';
import { scenarioBlocks, TEST_NAMESPACE } from '@civic/ledger/testing';
import { verifyCheckpointSignature } from '@civic/ledger';
import { startPeer, type RunningPeer } from '../src/index.js';
import { defaultReaderToken, ENGINES, eventually, getJson, PeerFixture } from './support/peer-fixture.js';

describe.each(ENGINES)('a peer on %s following the block stream', (engine) => {
  let fixture: PeerFixture;
  let peer: RunningPeer;
  const expected: (readonly ValidationCode[])[] = [];
  const blocks: Block[] = [];

  beforeAll(async () => {
    fixture = await PeerFixture.create();
    blocks.push(fixture.net.genesis);
    for (const { block, expected: codes } of scenarioBlocks(fixture.net, {
      blocks: 12,
      seed: 11,
      configUpdateAt: 6,
    })) {
      blocks.push(block);
      expected.push(codes);
    }
    // Half before the peer starts (catch-up), half after (live).
    await fixture.publish(blocks.slice(0, 7));
    peer = await startPeer(await fixture.config('peer-a', engine));
    await peer.started;
    await fixture.publish(blocks.slice(7));
    await eventually(
      async () => (await getJson(`${peer.url}/height`)).body.height === 12,
      30_000,
      'height 12',
    );
  });
  afterAll(async () => {
    await peer?.stop();
    await fixture?.cleanup();
  });

  it('commits every block with the expected codes and becomes ready', async () => {
    for (let n = 1; n <= 12; n++) {
      const { body } = await getJson(`${peer.url}/blocks/${n}`);
      expect(body.codes, `block ${n}`).toEqual(expected[n - 1]);
    }
    const ready = await eventually(async () => {
      const r = await getJson(`${peer.url}/readyz`);
      return r.status === 200 ? r : undefined;
    });
    expect(ready.body).toMatchObject({ ready: true, phase: 'live', height: 12 });
  });

  it('publishes one receipt per block and one event per valid transaction', async () => {
    const { jsm, channel } = fixture.channel;
    const receipt = await eventually(async () => {
      const last = await lastCommitReceipt(jsm, channel, 'peer-a');
      return last?.number === 12 ? last : undefined;
    });
    const head = (await getJson(`${peer.url}/height`)).body;
    expect(receipt.commitHash).toBe(head.commitHash);
    const valid = expected.flat().filter((c) => c === ValidationCode.VALID).length + 1;
    await eventually(
      async () => (await streamLastSequence(jsm, fixture.channel.streams.events.config.name)) === valid,
      10_000,
      `${valid} events`,
    );
    expect(await streamLastSequence(jsm, fixture.channel.streams.commits.config.name)).toBe(13);
  });

  it('answers queries over REST, with 400 and the reason for malformed ones', async () => {
    const state = await getJson(`${peer.url}/state/config/channel`);
    expect(state.status).toBe(200);
    expect(state.body.value.sequence).toBe(1);
    expect((await getJson(`${peer.url}/state/BAD/x`)).status).toBe(400);
    expect((await getJson(`${peer.url}/state/BAD/x`)).body.error.reason).toMatch(/namespace must match/);
    expect((await getJson(`${peer.url}/tx/nothex`)).status).toBe(400);
    expect((await getJson(`${peer.url}/history/${TEST_NAMESPACE}/k1?limit=0`)).status).toBe(400);
    expect((await getJson(`${peer.url}/blocks/99`)).status).toBe(404);
    const block1 = (await getJson(`${peer.url}/blocks/1`)).body;
    expect(block1.hash).toBe(blockHashOf(block1.block.header));
    // The wire form: byte for byte the block the stream carried, by number and by hash.
    for (const id of ['1', block1.hash, '7']) {
      const wire = await fetch(`${peer.url}/blocks/${id}/wire`, {
        headers: { authorization: `Bearer ${defaultReaderToken()}` },
      });
      expect(wire.status).toBe(200);
      expect(wire.headers.get('content-type')).toMatch(/^application\/json/);
      const bytes = new Uint8Array(await wire.arrayBuffer());
      const number = id === '7' ? 7 : 1;
      expect(Buffer.from(bytes).equals(Buffer.from(serializeBlock(blocks[number] as Block)))).toBe(true);
      expect(parseBlock(bytes).header.number).toBe(number);
    }
    expect((await getJson(`${peer.url}/blocks/99/wire`)).status).toBe(404);
    expect((await getJson(`${peer.url}/blocks/x1/wire`)).status).toBe(400);
    expect((await getJson(`${peer.url}/blocks/1/wire`, null)).status).toBe(401);
    const checkpoint = (await getJson(`${peer.url}/checkpoint`)).body;
    expect(checkpoint.height).toBe(12);
    expect(verifyCheckpointSignature(checkpoint)).toBe(true);
    const openapi = (await getJson(`${peer.url}/openapi.json`)).body;
    expect(openapi.paths['/tx/{txId}/proof']).toBeDefined();
    const metrics = await (await fetch(`${peer.url}/metrics`)).text();
    expect(metrics).toMatch(/civic_peer_height\{[^}]*\} 12/);
    for (const code of new Set(expected.flat()))
      expect(metrics).toMatch(new RegExp(`civic_peer_transactions_total\\{code="${code}"`));
  });
});

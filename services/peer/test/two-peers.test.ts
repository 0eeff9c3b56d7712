import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCommit, tailStream } from '@civic/messaging';
import type { CommitReceipt } from '@civic/protocol';
import { scenarioBlocks, TEST_NAMESPACE } from '@civic/ledger/testing';
import { startPeer, type RunningPeer } from '../src/index.js';
import { eventually, getJson, PeerFixture } from './support/peer-fixture.js';

const BLOCKS = 1000;
const KEYS = 120;

/**
 * Two peers, one on PostgreSQL and one on PGlite, fed the same 1,000 blocks with invalid
 * transactions of every code: the same codes, the same state, the same commit hash at every
 * height; and a peer that reports another hash raises the fork alarm.
 */
describe('two peers fed the same blocks', () => {
  let fixture: PeerFixture;
  const peers: RunningPeer[] = [];

  beforeAll(async () => {
    fixture = await PeerFixture.create();
    const blocks = [fixture.net.genesis];
    for (const { block } of scenarioBlocks(fixture.net, {
      blocks: BLOCKS,
      seed: 2026,
      txsPerBlockMax: 4,
      keys: KEYS,
    }))
      blocks.push(block);
    await fixture.publish(blocks);
    peers.push(await startPeer(await fixture.config('peer-pg', 'postgres')));
    peers.push(await startPeer(await fixture.config('peer-lite', 'pglite')));
    for (const peer of peers) {
      await eventually(
        async () => (await getJson(`${peer.url}/height`)).body.height === BLOCKS,
        240_000,
        `${peer.config.peerId} at ${BLOCKS}`,
      );
    }
  }, 300_000);
  afterAll(async () => {
    for (const peer of peers) await peer.stop();
    await fixture?.cleanup();
  });

  it('publish receipts with identical commit hashes at every height, each exactly once', async () => {
    const { js, streams } = fixture.channel;
    const byPeer = new Map<string, Map<number, string>>([
      ['peer-pg', new Map()],
      ['peer-lite', new Map()],
    ]);
    const total = 2 * (BLOCKS + 1);
    await eventually(
      async () => {
        const info = await fixture.channel.jsm.streams.info(streams.commits.config.name);
        return info.state.messages >= total;
      },
      60_000,
      'all receipts',
    );
    const tail = await tailStream<CommitReceipt>(js, streams.commits.config.name, { startSeq: 1 });
    let seen = 0;
    for await (const msg of tail) {
      const peerId = msg.subject.split('.').at(-1)!;
      const receipts = byPeer.get(peerId)!;
      expect(receipts.has(msg.data.number), `${peerId} published block ${msg.data.number} twice`).toBe(false);
      receipts.set(msg.data.number, msg.data.commitHash);
      if (++seen === total) break;
    }
    await tail.stop();
    const pg = byPeer.get('peer-pg')!;
    const lite = byPeer.get('peer-lite')!;
    expect(pg.size).toBe(BLOCKS + 1);
    for (let n = 0; n <= BLOCKS; n++) expect(lite.get(n), `commit hash at ${n}`).toBe(pg.get(n));
  });

  it('end with identical state, codes of every kind among them', async () => {
    const [a, b] = peers as [RunningPeer, RunningPeer];
    for (let k = 0; k < KEYS; k++) {
      const [ra, rb] = await Promise.all([
        getJson(`${a.url}/state/${TEST_NAMESPACE}/k${k}`),
        getJson(`${b.url}/state/${TEST_NAMESPACE}/k${k}`),
      ]);
      expect(rb.status, `key k${k}`).toBe(ra.status);
      expect(rb.body, `key k${k}`).toEqual(ra.body);
    }
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    for (const code of [
      'VALID',
      'MALFORMED',
      'BAD_SIGNATURE',
      'UNKNOWN_IDENTITY',
      'EXPIRED_IDENTITY',
      'WRITER_NOT_ALLOWED',
      'ENDORSEMENT_POLICY_FAILURE',
      'MVCC_READ_CONFLICT',
      'DUPLICATE_TXID',
      'INVALID_CONFIG',
    ]) {
      expect(metrics).toMatch(new RegExp(`civic_peer_transactions_total\\{code="${code}"`));
    }
    for (const peer of peers) expect((await getJson(`${peer.url}/readyz`)).status).toBe(200);
  });

  it('raise the fork alarm when another peer reports a different commit hash', async () => {
    const [a] = peers as [RunningPeer];
    const { js, channel } = fixture.channel;
    await publishCommit(js, channel, 'peer-rogue', {
      number: 5,
      blockHash: '0'.repeat(64),
      commitHash: 'f'.repeat(64),
      codes: {},
    });
    const readyz = await eventually(
      async () => {
        const r = await getJson(`${a.url}/readyz`);
        return r.status === 503 ? r : undefined;
      },
      10_000,
      'fork alarm',
    );
    expect(readyz.body.reasons.join(' ')).toMatch(/peer peer-rogue has commit hash f{64} at height 5/);
    expect(await (await fetch(`${a.url}/metrics`)).text()).toMatch(/civic_peer_fork_alarm\{[^}]*\} 1/);
  });
});

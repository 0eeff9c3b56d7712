import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { runAudit, startPeer, type PeerConfig, type RunningPeer } from '../src/index.js';
import { ENGINES, eventually, getJson, PeerFixture, type Engine } from './support/peer-fixture.js';

async function tamper(engine: Engine, config: PeerConfig, sql: string): Promise<void> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  } else {
    const db = await PGlite.create(config.dataDir);
    await db.exec(sql).finally(() => db.close());
  }
}

describe.each(ENGINES)('the audit of a peer on %s', (engine) => {
  let fixture: PeerFixture | undefined;
  let peer: RunningPeer | undefined;
  afterEach(async () => {
    await peer?.stop();
    await fixture?.cleanup();
    peer = undefined;
  });

  it('catches a row changed by hand, names its block, and the peer refuses to start', async () => {
    fixture = await PeerFixture.create();
    const { factory, net } = fixture;
    const blocks = [net.genesis];
    for (let i = 0; i < 6; i++)
      blocks.push(factory.block([factory.tx({ writes: [{ key: `k${i}`, value: i }] })]));
    await fixture.publish(blocks);
    const config = await fixture.config('peer-au', engine, { LOG_LEVEL: 'silent' });
    peer = await startPeer(config);
    await eventually(async () => (await getJson(`${peer!.url}/height`)).body.height === 6);
    expect((await fetch(`${peer.url}/audit`, { method: 'POST' })).status).toBe(401);
    const onDemand = await (
      await fetch(`${peer.url}/audit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.token('rvo-admin')}` },
      })
    ).json();
    expect(onDemand).toMatchObject({ ok: true, height: 6, blocksChecked: 7 });
    await peer.stop();
    peer = undefined;

    await tamper(engine, config, `UPDATE state SET value = '999' WHERE namespace = 'assets' AND key = 'k3'`);
    const report = await runAudit({
      channel: config.channel,
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      workers: 1,
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'STATE_MISMATCH', block: 4 })]);

    let fatal: unknown;
    peer = await startPeer(config, { onFatal: (error) => (fatal = error) });
    await expect(peer.started).rejects.toThrow(/fails its audit.*block 4/);
    expect(fatal).toBeDefined();
    expect((await getJson(`${peer.url}/readyz`)).status).toBe(503);
  });
});

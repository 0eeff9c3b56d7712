import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailStream } from '@civic/messaging';
import { ValidationCode, type CommitReceipt } from '@civic/protocol';
import { scenarioBlocks } from '@civic/ledger/testing';
import { ENGINES, eventually, getJson, PeerFixture } from './support/peer-fixture.js';
import { killAll, PeerProcess } from './support/peer-process.js';

const BLOCKS = 400;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * kill -9 of the peer process while it commits and publishes, three times, then a clean run:
 * the chain ends complete (the start-up audit passes on every restart), every block has
 * exactly one receipt and every valid transaction exactly one event.
 */
describe.each(ENGINES)('a peer process killed with SIGKILL during commits, on %s', (engine) => {
  let fixture: PeerFixture;
  let valid = 0;

  beforeAll(async () => {
    execFileSync('flock', ['/tmp/civic-build.lock', 'npx', 'tsc', '-b', 'services/peer'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    fixture = await PeerFixture.create();
    const blocks = [fixture.net.genesis];
    valid = 1;
    for (const { block, expected } of scenarioBlocks(fixture.net, {
      blocks: BLOCKS,
      seed: 99,
      txsPerBlockMax: 6,
    })) {
      blocks.push(block);
      valid += expected.filter((code) => code === ValidationCode.VALID).length;
    }
    await fixture.publish(blocks);
  }, 120_000);
  afterAll(async () => {
    killAll();
    await fixture?.cleanup();
  });

  it('loses nothing and publishes nothing twice', async () => {
    const env = await fixture.env('peer-crash', engine, { LOG_LEVEL: 'info', VERIFY_WORKERS: '2' });
    for (const killAt of [40, 150, 280]) {
      const peer = new PeerProcess(env);
      const url = await peer.url();
      await eventually(
        async () => ((await getJson(`${url}/height`)).body.height ?? -1) >= killAt,
        60_000,
        `height ${killAt}`,
      );
      peer.kill('SIGKILL');
      await peer.exited;
      expect(peer.log.join('\n')).toMatch(/audit passed|store open/);
    }
    const last = new PeerProcess(env);
    const url = await last.url();
    const height = await eventually(
      async () => {
        const h = (await getJson(`${url}/height`)).body.height;
        return h === BLOCKS ? h : undefined;
      },
      120_000,
      `height ${BLOCKS}`,
    );
    expect(height).toBe(BLOCKS);
    expect(last.log.join('\n')).toMatch(/audit passed/);
    const { js, jsm, streams } = fixture.channel;
    await eventually(
      async () => (await jsm.streams.info(streams.events.config.name)).state.messages >= valid,
      30_000,
      `${valid} events`,
    );
    await eventually(
      async () => (await jsm.streams.info(streams.commits.config.name)).state.messages >= BLOCKS + 1,
      30_000,
      'receipts',
    );
    const receipts = new Set<number>();
    const tail = await tailStream<CommitReceipt>(js, streams.commits.config.name, { startSeq: 1 });
    for await (const msg of tail) {
      expect(receipts.has(msg.data.number), `receipt ${msg.data.number} twice`).toBe(false);
      receipts.add(msg.data.number);
      if (receipts.size === BLOCKS + 1) break;
    }
    await tail.stop();
    const info = await jsm.streams.info(streams.commits.config.name);
    expect(info.state.messages).toBe(BLOCKS + 1);
    expect((await jsm.streams.info(streams.events.config.name)).state.messages).toBe(valid);
    last.kill('SIGTERM');
    expect(await last.exited).toBe(0);
  }, 400_000);
});

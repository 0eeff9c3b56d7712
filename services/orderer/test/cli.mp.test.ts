import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats, deleteStreams } from '@civic/messaging';
import { natsUrl, uniqueChannel } from '@civic/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { createTestNetwork, writeTestNetwork } from '../src/testing/network.js';

/** `civic orderer cluster`: the development command starts the network's consenters and stops them on Ctrl-C. */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const channel = uniqueChannel('tc');
let dir: string;

beforeAll(() => {
  execFileSync(
    'flock',
    [
      '/tmp/civic-build.lock',
      join(ROOT, 'node_modules', '.bin', 'tsc'),
      '-b',
      'services/orderer',
      'tools/civic',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'orderer-cli-'));
  writeTestNetwork(createTestNetwork({ channel }), dir, natsUrl());
}, 180_000);

afterAll(async () => {
  const nc = await connectNats({ url: natsUrl(), name: 'cli-test-cleanup' });
  await deleteStreams(await jetstreamManager(nc), channel).catch(() => undefined);
  await closeNats(nc);
  rmSync(dir, { recursive: true, force: true });
});

describe('civic orderer cluster', () => {
  it('starts every consenter with prefixed logs, elects a leader, and stops them all on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'tools', 'civic', 'bin', 'civic.js'),
        'orderer',
        'cluster',
        '--network',
        dir,
        '--http-port-base',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      const started = () =>
        /\[orderer\d\] .*"event":"leaderReady"/.test(output) &&
        ['orderer1', 'orderer2', 'orderer3'].every((node) => output.includes(`[${node}] `));
      while (!started() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(output).toMatch(/\[orderer\d\] .*"event":"leaderReady"/);
      for (const node of ['orderer1', 'orderer2', 'orderer3']) expect(output).toContain(`[${node}] `);
      child.kill('SIGINT');
      expect(await exit).toBe(0);
      expect(output).toContain('stopped orderer1, orderer2, orderer3');
    } finally {
      // SIGINT lets the command stop its orderers; SIGKILL only if it does not.
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exit;
        clearTimeout(timer);
      }
    }
  }, 120_000);
});

/**
 * `civic dev up` as a user runs it, on a network of its own (a unique channel, free ports):
 * orderers, peers (PGlite) and the subsidies services come up and are listed; `civic demo`
 * commits its story on both peers with equal commit hashes; SIGINT stops everything, in
 * order, with exit code 0 and no process left behind.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestChannel, freePort, type TestChannel } from '@civic/testkit';
import { buildMeshPrograms, WORKSPACE_ROOT } from '@civic/testkit/mesh';

const CIVIC = join(WORKSPACE_ROOT, 'tools/civic/bin/civic.js');
const STARTUP_TIMEOUT_MS = 240_000;

let channel: TestChannel;
let dir: string;
let net: string;
let up: ChildProcess | undefined;
let output = '';
let pids: number[] = [];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  buildMeshPrograms(['services/subsidies']);
  channel = await createTestChannel();
  dir = mkdtempSync(join(tmpdir(), 'civic-dev-up-'));
  net = join(dir, 'net');
  execFileSync(process.execPath, [CIVIC, 'network', 'init', '--out', net, '--channel', channel.channel]);
  // Free ports instead of the fixed development ones, so that a running `npm start` is no obstacle.
  const manifest = JSON.parse(readFileSync(join(net, 'network.json'), 'utf8')) as Record<
    'orderers' | 'peers' | 'services',
    { httpPort: number }[]
  >;
  for (const list of [manifest.orderers, manifest.peers, manifest.services])
    for (const entry of list) entry.httpPort = await freePort();
  writeFileSync(join(net, 'network.json'), JSON.stringify(manifest, null, 2));
}, 240_000);

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (up !== undefined && up.exitCode === null) up.kill('SIGKILL');
  await channel?.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('civic dev up', () => {
  it('starts the mesh, runs the demo on it, and stops with nothing left', async () => {
    up = spawn(
      process.execPath,
      [CIVIC, 'dev', 'up', '--network', net, '--only', 'subsidies', '--timeout', '220s'],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => up!.on('exit', (code) => resolve(code)));
    up.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    up.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const deadline = performance.now() + STARTUP_TIMEOUT_MS;
    while (!/processes ready in/.test(output)) {
      if (up.exitCode !== null || performance.now() > deadline)
        throw new Error(`dev up did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(output).toContain('civic: using the development network in net');
    expect(output).not.toContain('parking-');
    const running = JSON.parse(readFileSync(join(net, 'run/pids.json'), 'utf8')) as {
      name: string;
      pid: number;
    }[];
    // Three orderers, two peers and the three authorities' subsidies services, each listed ready.
    expect(running).toHaveLength(8);
    expect(running.filter((e) => e.name.startsWith('subsidies-'))).toHaveLength(3);
    for (const { name } of running) expect(output).toMatch(new RegExp(`^${name}\\s.+\\sready\\s`, 'm'));
    pids = running.map((e) => e.pid);
    expect(pids.every(alive)).toBe(true);

    const demo = await promisify(execFile)(process.execPath, [CIVIC, 'demo', '--network', net], {
      cwd: dir,
      timeout: 120_000,
    });
    expect(demo.stdout).toContain('endorsed by RVO');
    expect(demo.stdout).toMatch(
      /refused DE_MINIMIS_CEILING: ceiling EUR 300,000\.00, already granted EUR 290,000\.00/,
    );
    expect(demo.stdout).toContain('(parking: its services are not running, skipped');
    expect(demo.stdout).toMatch(/both peers at block \d+ with the same commit hash/);
    const hashes = [
      ...demo.stdout.matchAll(/^(rvo-peer|utrecht-peer)\s+height (\d+)\s+commit hash ([0-9a-f]{64})$/gm),
    ];
    expect(hashes).toHaveLength(2);
    expect(hashes[0]![3]).toBe(hashes[1]![3]);
    console.log(`dev up: ${/processes ready in [\d.]+ s, \d+ MB resident in all/.exec(output)?.[0]}`);

    up.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('civic: stopped; nothing left running');
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(join(net, 'run/pids.json'))).toBe(false);
  }, 400_000);
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeBlock } from '@civic/protocol';
import { blockOne, tinyNetwork } from './fixtures.js';

/**
 * The built CLI as a real process, as a user runs it: node_modules/.bin/node (Node 24)
 * running tools/civic/bin/civic.js, which imports dist/. Built once here (under the workspace
 * build lock, as other engineers build too).
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const CIVIC = join(ROOT, 'tools/civic/bin/civic.js');

let work: string;

function civic(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(NODE, [CIVIC, ...args], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  execFileSync('flock', ['/tmp/civic-build.lock', 'npx', 'tsc', '-b', 'tools/civic'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  work = mkdtempSync(join(tmpdir(), 'civic-cli-'));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('civic CLI', () => {
  it('initialises a development network whose genesis block verifies', () => {
    const init = civic('network', 'init', '--out', 'dev-net');
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toContain('Wrote a development network for channel civic');
    expect(init.stdout).toMatch(/Assessor\s+application\s+Independent medical assessor/);
    const manifest = JSON.parse(readFileSync(join(work, 'dev-net/network.json'), 'utf8'));
    expect(manifest.orderers).toHaveLength(3);
    const key = manifest.identities.find((id: { name: string }) => id.name === 'rvo-admin').key;
    expect(statSync(join(work, 'dev-net', key)).mode & 0o777).toBe(0o600);

    const verify = civic('verify-block', 'dev-net/genesis.block');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('OK: dev-net/genesis.block is block 0 of channel civic');
    expect(civic('verify-block', 'dev-net/genesis.block', '--network', 'dev-net').status).toBe(0);
  });

  it('refuses a genesis block with one byte changed, saying why, with exit code 1', () => {
    const bytes = readFileSync(join(work, 'dev-net/genesis.block'));
    const at = bytes.indexOf('"txCount":1');
    bytes[at + '"txCount":'.length] = '2'.charCodeAt(0);
    writeFileSync(join(work, 'tampered.block'), bytes);
    const result = civic('verify-block', 'tampered.block');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'civic: tampered.block does not verify: block 0: txCount 2 but 1 envelopes',
    );
  });

  it('refuses to overwrite a network unless --force', () => {
    const again = civic('network', 'init', '--out', 'dev-net');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('refusing to overwrite a network (use --force)');
    const before = readFileSync(join(work, 'dev-net/genesis.block'));
    expect(civic('network', 'init', '--out', 'dev-net', '--force', '--channel', 'other').status).toBe(0);
    expect(readFileSync(join(work, 'dev-net/genesis.block')).equals(before)).toBe(false);
    expect(civic('network', 'init', '--out', 'x', '--channel', 'Bad Name').stderr).toContain(
      '--channel "Bad Name"',
    );
  });

  it('inspects a block and checks a chain with --prev', () => {
    const net = tinyNetwork();
    writeFileSync(join(work, '0.block'), net.genesisBytes);
    writeFileSync(join(work, '1.block'), serializeBlock(blockOne(net)));
    const inspect = civic('inspect', '1.block');
    expect(inspect.status).toBe(0);
    expect(inspect.stdout).toContain('Block 1 of channel tiny');
    expect(inspect.stdout).toContain('creator:    RVO: CN=rvo-subsidies, OU=client, O=RVO');
    expect(inspect.stdout).toContain('writes:     grant/1 = {"amountCents":150000}');
    expect(inspect.stdout).toContain('signatures: creator ok');
    expect(inspect.stdout).toContain('raft:         term 1, index 3');
    expect(JSON.parse(civic('inspect', '1.block', '--json').stdout).header.number).toBe(1);

    expect(civic('verify-block', '1.block', '--prev', '0.block').status).toBe(0);
    const alone = civic('verify-block', '1.block');
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('pass --network DIR or --config FILE');
    writeFileSync(join(work, 'config.json'), JSON.stringify(net.network.config));
    expect(civic('verify-block', '1.block', '--config', 'config.json').status).toBe(0);
    expect(civic('verify-block', '1.block', '--config', '0.block').stderr).toContain(
      '--config 0.block: invalid channel config',
    );
    const wrongPrev = civic('verify-block', '0.block', '--prev', '0.block');
    expect(wrongPrev.status).toBe(1);
    expect(wrongPrev.stderr).toContain('expected block 1');
  });

  it('ends quietly when the reader of its output goes away (`civic … | head`)', () => {
    // `true` exits without reading: every write of the CLI meets a closed pipe (EPIPE).
    const piped = spawnSync(
      'bash',
      ['-c', 'set -o pipefail; "$0" "$1" network init --out piped | true', NODE, CIVIC],
      { cwd: work, encoding: 'utf8', timeout: 60_000 },
    );
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(statSync(join(work, 'piped/genesis.block')).size).toBeGreaterThan(0);
  });

  it('reports usage errors and unreadable files', () => {
    expect(civic('--help').status).toBe(0);
    expect(civic('frobnicate').status).toBe(2);
    const missing = civic('inspect', 'nope.block');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read nope.block');
    writeFileSync(join(work, 'garbage.block'), 'not json');
    expect(civic('verify-block', 'garbage.block').stderr).toContain(
      'garbage.block is not a well-formed block',
    );
  });
});

/**
 * The built CLI as a real process (node_modules/.bin/node tools/civic/bin/civic.js), run
 * asynchronously so that servers in the test process (a stub peer) can answer it meanwhile.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const CIVIC = join(ROOT, 'tools/civic/bin/civic.js');

/** Builds the CLI (and what it imports) under the workspace build lock. */
export function buildCivic(): void {
  execFileSync('flock', ['/tmp/civic-build.lock', 'npx', 'tsc', '-b', 'tools/civic'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

export interface CivicResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function startCivic(args: readonly string[], cwd: string): ChildProcess {
  return spawn(NODE, [CIVIC, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `civic ARGS` to its end (killed after `timeoutMs`). */
export function runCivic(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<CivicResult> {
  const child = startCivic(args, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    }),
  );
}

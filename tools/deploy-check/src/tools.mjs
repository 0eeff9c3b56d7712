// Finding and installing the external programs the validation runs: Debian's docker-compose
// (1.29, apt package `docker-compose`) and nats-server. CI runs as root on a Debian machine like
// the developers', so a missing docker-compose is installed with apt-get rather than skipped:
// the validation must have run for the tests to pass.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** apt-get may wait for another apt/dpkg holding its lock, then must finish. */
const APT_TIMEOUT_MS = 8 * 60_000;
const APT_LOCK_WAIT_S = 240;

export class ToolUnavailableError extends Error {
  name = 'ToolUnavailableError';
}

/** The absolute path of `program` on PATH (plus the sbin folders), or undefined. */
export function findProgram(program, extraDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const path = join(dir, program);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * The path of docker-compose, installed with `apt-get install -y docker-compose` when missing
 * and `install` is true (an `apt-get update` first if the package lists do not know it yet).
 * Throws ToolUnavailableError saying what was tried when it cannot be had.
 * @returns {{ path: string, installed: boolean }}
 */
export function ensureDockerCompose({ install = true, program = 'docker-compose' } = {}) {
  const found = findProgram(program);
  if (found !== undefined) return { path: found, installed: false };
  if (!install)
    throw new ToolUnavailableError(`${program} is not installed (apt-get install -y docker-compose)`);
  const attempts = [];
  for (const step of [['install'], ['update', 'install']]) {
    let failed = false;
    for (const command of step) {
      const args =
        command === 'update'
          ? ['update', '-q']
          : ['install', '-y', '-q', '--no-install-recommends', 'docker-compose'];
      const result = spawnSync('apt-get', ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_S}`, ...args], {
        encoding: 'utf8',
        timeout: APT_TIMEOUT_MS,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (result.status !== 0) {
        const why =
          result.error?.message ?? (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
        attempts.push(`apt-get ${args.join(' ')}: ${why || `exit ${result.status}`}`);
        failed = true;
        break;
      }
    }
    const path = findProgram(program);
    if (!failed && path !== undefined) return { path, installed: true };
  }
  throw new ToolUnavailableError(
    `${program} is not installed and could not be installed: ${attempts.join('; ')}`,
  );
}

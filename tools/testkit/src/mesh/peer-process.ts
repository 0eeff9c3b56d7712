/**
 * A real peer process (`services/peer/dist/main.js`) for multi-process tests, started with the
 * environment of docs/peer.md, its log lines kept (bounded) for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { collectOutput } from './child-log.js';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const PEER_MAIN = join(WORKSPACE_ROOT, 'services/peer/dist/main.js');

export class PeerProcess {
  readonly log: string[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  constructor(
    readonly peerId: string,
    env: Readonly<Record<string, string>>,
  ) {
    this.#child = spawn(process.execPath, [PEER_MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = collectOutput(this.#child, this.log);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const PEER_MAIN = join(ROOT, 'services/peer/dist/main.js');
const NODE = join(ROOT, 'node_modules/.bin/node');

/** Every process started and not yet exited: killAll() ends them when a test fails half-way. */
const running = new Set<PeerProcess>();

/** SIGKILLs the peer processes a test left running (call in afterEach/afterAll). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** The peer program as its own process (the built dist), with its log kept for assertions. */
export class PeerProcess {
  readonly log: string[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  constructor(env: Record<string, string>) {
    if (!existsSync(PEER_MAIN))
      throw new Error(`${PEER_MAIN} is missing: build first (npx tsc -b services/peer)`);
    this.#child = spawn(NODE, [PEER_MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    running.add(this);
    this.exited = new Promise((resolve) =>
      this.#child.on('exit', (code) => {
        running.delete(this);
        resolve(code);
      }),
    );
  }

  /** The HTTP address the peer logged. */
  async url(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const line of this.log) {
        const match = /"url":"(http:[^"]+)"/.exec(line);
        if (match?.[1]) return match[1];
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`peer logged no URL within ${timeoutMs} ms:\n${this.log.slice(-20).join('\n')}`);
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}

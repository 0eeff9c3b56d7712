import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { DevProcess } from './plan.js';

/** Lines of each process kept in memory (shown when it fails to start). */
const TAIL_LINES_MAX = 40;
/** pino's level numbers: 50 error, 60 fatal. */
const PINO_ERROR_LEVEL = 50;

export interface ChildOptions {
  /** Absolute path of the program. */
  readonly programPath: string;
  /** Log file of the process (appended). */
  readonly logFile: string;
  /** Called with each line the console should show (errors, or every line when verbose). */
  readonly onConsoleLine: (process: DevProcess, line: string) => void;
  readonly verbose: boolean;
}

/**
 * One program of the mesh as a child process: its output appended to its log file, error lines
 * (pino level ≥ 50, or text that is not a JSON log line, such as a crash) passed to the console,
 * the last lines kept. It runs in a process group of its own, so a Ctrl-C at the terminal
 * reaches only the CLI, which stops the mesh in order.
 */
export class DevChild {
  readonly tail: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  readonly #log: WriteStream;

  constructor(
    readonly spec: DevProcess,
    options: ChildOptions,
  ) {
    this.#log = createWriteStream(options.logFile, { flags: 'a' });
    this.#log.write(`--- ${new Date().toISOString()} civic dev up: starting ${spec.name}\n`);
    this.#child = spawn(process.execPath, [options.programPath, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => resolve({ code, signal }));
      this.#child.on('error', () => resolve({ code: 1, signal: null }));
    });
    void this.exited.then(() => this.#log.end());
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        this.#log.write(chunk);
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) this.#line(line, options);
      });
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** SIGTERM (a graceful stop), then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      this.#child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  #line(line: string, options: ChildOptions): void {
    if (line.trim() === '') return;
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES_MAX) this.tail.shift();
    if (options.verbose || isErrorLine(line)) options.onConsoleLine(this.spec, line);
  }
}

/** A pino line at error level or above, or any line that is not a JSON log line. */
export function isErrorLine(line: string): boolean {
  if (!line.startsWith('{')) return true;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' ? level >= PINO_ERROR_LEVEL : level === 'error' || level === 'fatal';
  } catch {
    return true;
  }
}

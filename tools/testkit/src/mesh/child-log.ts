import type { ChildProcess } from 'node:child_process';

/** Log lines kept per test process. */
export const LOG_LINES_MAX = 2_000;

/**
 * Keeps a child's output lines (stdout and stderr) in `into`, the newest `LOG_LINES_MAX`, and
 * returns a promise of its exit code.
 */
export function collectOutput(child: ChildProcess, into: string[]): Promise<number | null> {
  const keep = (chunk: Buffer) => {
    into.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (into.length > LOG_LINES_MAX) into.splice(0, into.length - LOG_LINES_MAX);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

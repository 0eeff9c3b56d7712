/**
 * What every command prints through: lines to stdout, errors to stderr, aligned tables, and
 * the exit code. Commands throw CliError for expected failures (bad input, a block that does
 * not verify); anything else is a bug and prints its stack.
 */

export const ExitCode = {
  OK: 0,
  /** The command ran and the answer is "no" (block does not verify), or the input is bad. */
  FAILURE: 1,
  /** Wrong usage (unknown command or option), as commander reports it. */
  USAGE: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Output {
  /** One line (or several) to stdout. */
  line(text?: string): void;
  /** One line to stderr. */
  error(text: string): void;
}

/** Streams whose reader went away (`civic … | head`): nothing more is written to them. */
const gone = new Set<NodeJS.WritableStream>();

function write(stream: NodeJS.WritableStream, text: string): void {
  if (!gone.has(stream)) stream.write(`${text}\n`);
}

export const processOutput: Output = {
  line: (text = '') => write(process.stdout, text),
  error: (text) => write(process.stderr, text),
};

/**
 * A reader that goes away (`civic network init --out d | head`) is not a crash: writes to its
 * stream fail with EPIPE, which Node reports as an unhandled 'error' event. Installed once by
 * main: such a stream gets no more writes, and when it is stdout the command ends as a writer
 * killed by SIGPIPE would, only quietly: a command that stops children on SIGTERM (dev up, orderer
 * cluster) gets SIGTERM and stops them; any other exits at once with its exit code so far.
 * Other stream errors stay unhandled.
 */
export function guardBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (!stream.listeners('error').includes(onStreamError)) stream.on('error', onStreamError);
  }
}

function onStreamError(this: NodeJS.WriteStream, error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  if (gone.has(this)) return;
  gone.add(this);
  if (this !== process.stdout) return;
  if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
  else process.exit(process.exitCode ?? ExitCode.OK);
}

/** Left-aligned columns, two spaces apart; the header row is underlined. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const render = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)].join('\n');
}

/** `key: value` lines with the keys aligned. */
export function formatFields(fields: readonly (readonly [string, string])[], indent = ''): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${indent}${`${key}:`.padEnd(width + 2)}${value}`).join('\n');
}

/** Shortens long hex or base64 for display: first and last characters. */
export function abbreviate(text: string, keep = 12): string {
  return text.length <= keep * 2 + 1 ? text : `${text.slice(0, keep)}…${text.slice(-4)}`;
}

/** Runs a command's action and turns its outcome into an exit code. */
export async function runAction(output: Output, action: () => Promise<void> | void): Promise<ExitCode> {
  try {
    await action();
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CliError) {
      output.error(`civic: ${error.message}`);
      return error.exitCode;
    }
    output.error(
      `civic: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return ExitCode.FAILURE;
  }
}

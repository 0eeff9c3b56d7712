import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

/** How long the NATS check waits for the server's INFO line. */
const NATS_CHECK_TIMEOUT_MS = 2_000;
/** The INFO line is short; more than this before a newline is not NATS. */
const NATS_INFO_BYTES_MAX = 64 * 1024;

export type NatsCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: 'unreachable' | 'not-nats' | 'no-jetstream' };

/** Host and port of the first server of a NATS URL list (`nats://h:p,nats://…`). */
export function natsHostPort(url: string): { host: string; port: number } {
  const first = url.split(',')[0]!.trim();
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port === '' ? 4222 : Number(parsed.port) };
}

/**
 * Whether NATS answers on the first server of `url` with JetStream on: a NATS server greets every
 * client with an `INFO {…}` line, whose JSON says `"jetstream": true` when it is enabled. Bounded
 * by {@link NATS_CHECK_TIMEOUT_MS}; never throws.
 */
export function checkNats(url: string): Promise<NatsCheck> {
  const { host, port } = natsHostPort(url);
  return new Promise((resolve) => {
    let buffered = '';
    let settled = false;
    const socket = createConnection({ host, port });
    const finish = (result: NatsCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, problem: 'unreachable' }), NATS_CHECK_TIMEOUT_MS);
    socket.on('error', () => finish({ ok: false, problem: 'unreachable' }));
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) {
        if (buffered.length > NATS_INFO_BYTES_MAX) finish({ ok: false, problem: 'not-nats' });
        return;
      }
      const line = buffered.slice(0, end).trim();
      if (!line.startsWith('INFO ')) return finish({ ok: false, problem: 'not-nats' });
      try {
        const info = JSON.parse(line.slice(5)) as { jetstream?: boolean };
        finish(info.jetstream === true ? { ok: true } : { ok: false, problem: 'no-jetstream' });
      } catch {
        finish({ ok: false, problem: 'not-nats' });
      }
    });
  });
}

/** The one line said when NATS is not usable. */
export function natsProblemLine(url: string, problem: Exclude<NatsCheck, { ok: true }>['problem']): string {
  switch (problem) {
    case 'unreachable':
      return `NATS is not running on ${url}: start it with nats-server -js (or set NATS_URL)`;
    case 'no-jetstream':
      return `NATS on ${url} runs without JetStream: restart it with nats-server -js`;
    case 'not-nats':
      return `${url} does not answer as a NATS server: start one with nats-server -js (or set NATS_URL)`;
  }
}

/** Whether nothing listens on 127.0.0.1:`port` (by binding it for a moment). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Whether `pid` is alive and runs `program` (its command line names it): a PID file left by a
 * run that was killed may name a PID the system has since given to something else.
 */
export function isOurProcess(pid: number, program: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg.endsWith(program));
  } catch {
    // No /proc (not Linux): the PID is alive; trust the PID file.
    return true;
  }
}

/** Resident memory of a process in bytes (Linux `/proc`), or null. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

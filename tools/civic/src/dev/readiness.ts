import type { DevChild } from './child.js';

/** Between two probes of one process. */
const PROBE_INTERVAL_MS = 250;
/** One probe's patience. */
const PROBE_TIMEOUT_MS = 1_500;
/** How often the list of processes still starting is printed. */
const PROGRESS_EVERY_MS = 10_000;

export type ReadyOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly child: DevChild; readonly why: 'exited' | 'timeout' };

/** Whether `GET <url>/readyz` answers 200 within the probe's patience. */
export async function probeReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Waits until every child answers `/readyz` with 200, one of them exits, or `deadlineMs`
 * (performance.now() clock) passes. Says each process as it becomes ready, and every
 * {@link PROGRESS_EVERY_MS} which are still starting.
 */
export async function waitUntilReady(
  children: readonly DevChild[],
  deadlineMs: number,
  say: (line: string) => void,
  startedMs: number,
): Promise<ReadyOutcome> {
  const pending = new Set(children);
  let nextProgressMs = performance.now() + PROGRESS_EVERY_MS;
  while (pending.size > 0) {
    const exited = [...pending].find((c) => !c.running);
    if (exited !== undefined) return { ok: false, child: exited, why: 'exited' };
    const probes = await Promise.all(
      [...pending].map(async (c) => [c, await probeReady(c.spec.url)] as const),
    );
    for (const [child, ready] of probes) {
      if (!ready) continue;
      pending.delete(child);
      say(`  ready  ${child.spec.name.padEnd(20)} ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
    }
    if (pending.size === 0) break;
    const now = performance.now();
    if (now > deadlineMs) return { ok: false, child: [...pending][0]!, why: 'timeout' };
    if (now > nextProgressMs) {
      say(`  waiting for ${[...pending].map((c) => c.spec.name).join(', ')}`);
      nextProgressMs = now + PROGRESS_EVERY_MS;
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  return { ok: true };
}

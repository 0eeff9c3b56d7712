/** A dependency `/readyz` asks: it throws when not ready, or returns what to show. */
export interface ReadinessCheck {
  /** Name in the `/readyz` answer (`peer`, `privateStore`, …). */
  readonly name: string;
  check(): Promise<unknown>;
}

/** Longest a readiness check may take before it counts as not ready. */
export const READINESS_TIMEOUT_MS = 2_000;

/** Runs every check in parallel, each bounded by READINESS_TIMEOUT_MS. */
export async function runReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<{ ready: boolean; checks: Record<string, { ok: boolean; detail: unknown }> }> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return [c.name, { ok: true, detail: await Promise.race([c.check(), timeout]) }] as const;
      } catch (error) {
        return [c.name, { ok: false, detail: (error as Error).message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

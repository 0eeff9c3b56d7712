/**
 * The few SQL operations the stores need, over either `pg` (a pool) or PGlite (one embedded
 * session). Both speak the same PostgreSQL dialect, so one store implementation serves both.
 */

export interface SqlResult<R> {
  readonly rows: R[];
  /** Rows changed by INSERT/UPDATE/DELETE (0 for SELECT on PGlite). */
  readonly rowCount: number;
}

/** Runs one parameterised statement. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export const SqlEngine = { POSTGRES: 'postgres', PGLITE: 'pglite' } as const;
export type SqlEngine = (typeof SqlEngine)[keyof typeof SqlEngine];

export interface SqlDatabase extends SqlExecutor {
  readonly engine: SqlEngine;
  /** Runs `fn` inside BEGIN … COMMIT on one session; any throw rolls everything back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  script(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** `pg` returns BIGINT as a string and PGlite as a number or bigint: one number for all. */
export function toSafeNumber(value: unknown, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new TypeError(`${what}: expected an integer from the database, got ${String(value)}`);
  }
  return n;
}

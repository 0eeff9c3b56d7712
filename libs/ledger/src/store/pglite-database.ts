import { PGlite } from '@electric-sql/pglite';
import { SqlEngine, type SqlDatabase, type SqlExecutor, type SqlResult } from './sql.js';

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) in a data folder, or in memory without one. PGlite
 * is a single session: every statement and transaction goes through one queue, so a query
 * never lands inside another caller's transaction.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly engine = SqlEngine.PGLITE;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined = in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = await PGlite.create(dataDir);
    return new PgliteDatabase(db);
  }

  /** Appends `task` to the queue; a failed task does not block the ones after it. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  query<R>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    return this.#serial(() => runQuery<R>(this.db, sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#serial(() =>
      this.db.transaction(async (tx) =>
        fn({ query: <R>(sql: string, params: readonly unknown[] = []) => runQuery<R>(tx, sql, params) }),
      ),
    );
  }

  script(sql: string): Promise<void> {
    return this.#serial(async () => {
      await this.db.exec(sql);
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      if (!this.db.closed) await this.db.close();
    });
  }
}

interface PgliteQueryable {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
}

async function runQuery<R>(
  db: PgliteQueryable,
  sql: string,
  params: readonly unknown[],
): Promise<SqlResult<R>> {
  const result = await db.query<R>(sql, params as unknown[]);
  return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
}

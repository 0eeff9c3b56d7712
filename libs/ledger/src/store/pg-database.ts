import pg from 'pg';
import { SqlEngine, type SqlDatabase, type SqlExecutor, type SqlResult } from './sql.js';

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /**
   * Pool size. Commits use one connection at a time; the rest serve queries in parallel with
   * commits. More connections cost PostgreSQL memory (~10 MiB each) for little gain on a peer.
   */
  readonly poolSize?: number;
}

class PgExecutor implements SqlExecutor {
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const result = await this.client.query(sql, params as unknown[]);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  }
}

/** PostgreSQL through a `pg` pool. */
export class PgDatabase implements SqlDatabase {
  readonly engine = SqlEngine.POSTGRES;
  readonly #pool: pg.Pool;
  readonly #executor: PgExecutor;

  constructor(options: PgDatabaseOptions) {
    this.#pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
    // An idle client that loses its connection emits 'error'; the next query reconnects.
    this.#pool.on('error', () => undefined);
    this.#executor = new PgExecutor(this.#pool);
  }

  query<R>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return this.#executor.query<R>(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async script(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  async close(): Promise<void> {
    if (this.#pool.ended) return;
    await this.#pool.end();
  }
}

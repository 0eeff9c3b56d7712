/**
 * A PrivateStore in PostgreSQL: one table per service (several organisations' instances may share
 * a database in development, so every row carries its organisation and each instance sees only
 * its own). Erasure deletes the rows; PostgreSQL's VACUUM reclaims them.
 */
import pg from 'pg';
import {
  checkCollection,
  checkKey,
  checkSubject,
  checkWrites,
  entryJson,
  PrivateStoreArgumentError,
  type PrivateEntry,
  type PrivateStore,
  type PrivateWrite,
} from './private-store.js';

export interface PgPrivateStoreOptions {
  readonly url: string;
  /** The organisation whose rows this instance reads and writes. */
  readonly mspId: string;
  /** Table name (default `civic_private_entries`); a service may keep its own. */
  readonly table?: string;
  /** Pool size: private data is touched on writes only, a few connections suffice. */
  readonly poolMax?: number;
  /** Told about errors of idle connections (server restart); the pool replaces them. */
  readonly onError?: (error: Error) => void;
}

const TABLE = /^[a-z][a-z0-9_]{0,62}$/;

export class PgPrivateStore implements PrivateStore {
  readonly kind = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly mspId: string,
    private readonly table: string,
  ) {}

  static async open(options: PgPrivateStoreOptions): Promise<PgPrivateStore> {
    const table = options.table ?? 'civic_private_entries';
    if (!TABLE.test(table)) throw new PrivateStoreArgumentError(`table must match ${TABLE.source}`);
    if (typeof options.mspId !== 'string' || options.mspId.length === 0) {
      throw new PrivateStoreArgumentError('mspId is required');
    }
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 4 });
    // Without a listener an idle connection's error (server restart) would crash the process.
    pool.on('error', (error) => options.onError?.(error));
    try {
      await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
        msp_id text NOT NULL, collection text NOT NULL, key text NOT NULL, subject text NOT NULL,
        data jsonb NOT NULL, stored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (msp_id, collection, key))`);
      await pool.query(`CREATE INDEX IF NOT EXISTS ${table}_subject ON ${table} (msp_id, subject)`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgPrivateStore(pool, options.mspId, table);
  }

  async put(collection: string, key: string, entry: PrivateEntry): Promise<void> {
    await this.putAll([{ collection, key, entry }]);
  }

  async putAll(writes: readonly PrivateWrite[]): Promise<void> {
    checkWrites(writes);
    if (writes.length === 0) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const w of writes) {
        await client.query(
          `INSERT INTO ${this.table} (msp_id, collection, key, subject, data) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (msp_id, collection, key)
           DO UPDATE SET subject = EXCLUDED.subject, data = EXCLUDED.data, stored_at = now()`,
          [this.mspId, w.collection, w.key, w.entry.subject, entryJson(w.entry)],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async get<T = unknown>(collection: string, key: string): Promise<PrivateEntry<T> | undefined> {
    checkCollection(collection);
    checkKey(key);
    const { rows } = await this.pool.query<{ subject: string; data: T }>(
      `SELECT subject, data FROM ${this.table} WHERE msp_id = $1 AND collection = $2 AND key = $3`,
      [this.mspId, collection, key],
    );
    const row = rows[0];
    return row === undefined ? undefined : { subject: row.subject, data: row.data };
  }

  async delete(collection: string, key: string): Promise<boolean> {
    checkCollection(collection);
    checkKey(key);
    const result = await this.pool.query(
      `DELETE FROM ${this.table} WHERE msp_id = $1 AND collection = $2 AND key = $3`,
      [this.mspId, collection, key],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async eraseSubject(subject: string): Promise<number> {
    checkSubject(subject);
    const result = await this.pool.query(`DELETE FROM ${this.table} WHERE msp_id = $1 AND subject = $2`, [
      this.mspId,
      subject,
    ]);
    return result.rowCount ?? 0;
  }

  async countSubject(subject: string): Promise<number> {
    checkSubject(subject);
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.table} WHERE msp_id = $1 AND subject = $2`,
      [this.mspId, subject],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** PostgreSQL when `url` is set, else memory. */
export async function openPrivateStore(options: {
  readonly url: string | undefined;
  readonly mspId: string;
  readonly table?: string;
}): Promise<PrivateStore> {
  if (options.url === undefined) {
    const { MemoryPrivateStore } = await import('./memory-private-store.js');
    return new MemoryPrivateStore();
  }
  return PgPrivateStore.open({
    url: options.url,
    mspId: options.mspId,
    ...(options.table ? { table: options.table } : {}),
  });
}

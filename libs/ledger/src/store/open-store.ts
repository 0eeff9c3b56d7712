import { mkdirSync } from 'node:fs';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';
import type { LedgerStore } from './port.js';
import { SqlLedgerStore } from './sql-store.js';

export interface OpenStoreOptions {
  readonly channel: string;
  /** PostgreSQL connection string; when absent the store is embedded PGlite. */
  readonly databaseUrl?: string;
  /** PGlite data folder (created if missing); absent = in memory, gone on close (tests only). */
  readonly dataDir?: string;
  /** PostgreSQL pool size (see PgDatabaseOptions.poolSize). */
  readonly poolSize?: number;
}

/** PostgreSQL when a URL is given, embedded PGlite otherwise; migrated and bound to the channel. */
export async function openLedgerStore(options: OpenStoreOptions): Promise<LedgerStore> {
  if (options.databaseUrl) {
    const db = new PgDatabase({ connectionString: options.databaseUrl, poolSize: options.poolSize });
    try {
      return await SqlLedgerStore.open(db, options.channel);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PgliteDatabase.open(options.dataDir);
  try {
    return await SqlLedgerStore.open(db, options.channel);
  } catch (error) {
    await db.close();
    throw error;
  }
}

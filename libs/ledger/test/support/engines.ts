import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createTestDatabase, uniqueChannel } from '@civic/testkit';
import { openLedgerStore, type LedgerStore } from '../../src/index.js';
import { freshPgliteDir } from '../../src/testing/index.js';

/**
 * The two storage engines every integration test runs against: the real PostgreSQL (a
 * database of its own per test) and embedded PGlite (a temporary folder of its own).
 */
export interface EngineFixture {
  readonly engine: 'postgres' | 'pglite';
  /** Opens a fresh empty store; `reopen` opens the same database again (restart). */
  create(channel?: string): Promise<OpenedStore>;
}

export interface OpenedStore {
  readonly store: LedgerStore;
  readonly channel: string;
  /** Connection string (postgres) or data folder (pglite) of the database. */
  readonly location: string;
  reopen(): Promise<LedgerStore>;
  /** Runs SQL on the database behind the store's back (tampering tests); the store must be closed for PGlite. */
  sql(statement: string, params?: unknown[]): Promise<void>;
  /** Closes what is open and deletes the database. */
  dispose(): Promise<void>;
}

export const ENGINES: readonly EngineFixture[] = [
  {
    engine: 'postgres',
    async create(channel = uniqueChannel()) {
      const db = await createTestDatabase();
      const opened: LedgerStore[] = [];
      const open = async () => {
        const store = await openLedgerStore({ channel, databaseUrl: db.url });
        opened.push(store);
        return store;
      };
      return {
        store: await open(),
        channel,
        location: db.url,
        reopen: open,
        async sql(statement, params = []) {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          try {
            await (params.length > 0 ? client.query(statement, params) : client.query(statement));
          } finally {
            await client.end();
          }
        },
        async dispose() {
          for (const store of opened) await store.close().catch(() => undefined);
          await db.drop();
        },
      };
    },
  },
  {
    engine: 'pglite',
    async create(channel = uniqueChannel()) {
      const dir = mkdtempSync(join(tmpdir(), 'civic-ledger-'));
      const dataDir = await freshPgliteDir(dir);
      const opened: LedgerStore[] = [];
      const open = async () => {
        const store = await openLedgerStore({ channel, dataDir });
        opened.push(store);
        return store;
      };
      return {
        store: await open(),
        channel,
        location: dataDir,
        reopen: open,
        async sql(statement, params = []) {
          const db = await PGlite.create(dataDir);
          try {
            await (params.length > 0 ? db.query(statement, params) : db.exec(statement));
          } finally {
            await db.close();
          }
        },
        async dispose() {
          for (const store of opened) await store.close().catch(() => undefined);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

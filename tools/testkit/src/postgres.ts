import pg from 'pg';
import { uniqueSuffix } from './names.js';

/**
 * A PostgreSQL database of its own for one test run: created from the admin URL
 * (`DATABASE_URL`, or the local server's `postgres` database) and dropped by `drop()`.
 */
export interface TestDatabase {
  readonly name: string;
  /** Connection string of the new database. */
  readonly url: string;
  drop(): Promise<void>;
}

export function adminDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(prefix = 'civic_t'): Promise<TestDatabase> {
  const adminUrl = adminDatabaseUrl();
  const name = `${prefix}_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

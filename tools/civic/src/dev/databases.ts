import pg from 'pg';

/** Longest PostgreSQL identifier. */
const IDENTIFIER_CHARS_MAX = 63;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The database of one program of a development network on the server of `baseUrl`:
 * `civic_dev_<network id>_<name>`, where the network id is the first 8 hex digits of the genesis
 * block hash. A new network (`civic network init` again) so gets fresh databases and never meets
 * a chain of another genesis, which a peer would refuse at start.
 */
export function devDatabaseName(networkId: string, name: string): string {
  const db = `civic_dev_${networkId}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (db.length > IDENTIFIER_CHARS_MAX) throw new RangeError(`database name ${db} is too long`);
  return db;
}

/** `baseUrl` with its database replaced by `database`. */
export function urlWithDatabase(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates the databases that are missing (one `CREATE DATABASE` each) on the server of
 * `baseUrl`, connecting to the database the URL names, and returns a URL per name.
 */
export async function ensureDevDatabases(
  baseUrl: string,
  networkId: string,
  names: readonly string[],
): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  const urls: Record<string, string> = {};
  try {
    const wanted = names.map((name) => [name, devDatabaseName(networkId, name)] as const);
    const existing = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1)',
      [wanted.map(([, db]) => db)],
    );
    const have = new Set(existing.rows.map((r) => r.datname));
    for (const [name, db] of wanted) {
      // The name is ours and checked above ([a-z0-9_]): quoting is enough.
      if (!have.has(db)) await client.query(`CREATE DATABASE "${db}"`);
      urls[name] = urlWithDatabase(baseUrl, db);
    }
  } finally {
    await client.end();
  }
  return urls;
}

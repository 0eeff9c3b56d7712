/**
 * The organisation's private store of undertaking names (personal data for a sole trader). The
 * chain holds only `hash = hex(SHA-256(salt ‖ JCS(data)))`; the name and the salt stay here.
 * Erasing an entry keeps the chain valid: the hash no longer links to anything. PostgreSQL when
 * DATABASE_URL is set, memory otherwise (development only: names are lost on restart).
 */
import { randomBytes } from 'node:crypto';
import { canonicalBytes, concatBytes, fromHex, sha256, toHex } from '@civic/protocol';
import pg from 'pg';

export interface PrivateUndertaking {
  readonly kvk: string;
  readonly data: { readonly name: string };
  /** 32 random bytes, hex. */
  readonly salt: string;
  readonly hash: string;
}

export interface PrivateStore {
  readonly kind: 'postgres' | 'memory';
  put(entry: PrivateUndertaking): Promise<void>;
  get(kvk: string): Promise<PrivateUndertaking | null>;
  /** Erases the entry; true when there was one. */
  erase(kvk: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A new salted entry for `data`. */
export function sealPrivateData(kvk: string, data: { name: string }): PrivateUndertaking {
  const salt = toHex(new Uint8Array(randomBytes(32)));
  return { kvk, data, salt, hash: toHex(sha256(concatBytes(fromHex(salt), canonicalBytes(data)))) };
}

export class MemoryPrivateStore implements PrivateStore {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, PrivateUndertaking>();
  async put(entry: PrivateUndertaking): Promise<void> {
    this.#entries.set(entry.kvk, entry);
  }
  async get(kvk: string): Promise<PrivateUndertaking | null> {
    return this.#entries.get(kvk) ?? null;
  }
  async erase(kvk: string): Promise<boolean> {
    return this.#entries.delete(kvk);
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

export class PgPrivateStore implements PrivateStore {
  readonly kind = 'postgres' as const;
  private constructor(
    private readonly pool: pg.Pool,
    private readonly mspId: string,
  ) {}

  static async open(url: string, mspId: string): Promise<PgPrivateStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    await pool.query(`CREATE TABLE IF NOT EXISTS subsidies_private_undertakings (
      msp_id text NOT NULL, kvk text NOT NULL, data jsonb NOT NULL, salt text NOT NULL, hash text NOT NULL,
      stored_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (msp_id, kvk))`);
    return new PgPrivateStore(pool, mspId);
  }

  async put(entry: PrivateUndertaking): Promise<void> {
    await this.pool.query(
      `INSERT INTO subsidies_private_undertakings (msp_id, kvk, data, salt, hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (msp_id, kvk) DO UPDATE SET data = EXCLUDED.data, salt = EXCLUDED.salt, hash = EXCLUDED.hash, stored_at = now()`,
      [this.mspId, entry.kvk, JSON.stringify(entry.data), entry.salt, entry.hash],
    );
  }

  async get(kvk: string): Promise<PrivateUndertaking | null> {
    const { rows } = await this.pool.query<{ data: { name: string }; salt: string; hash: string }>(
      'SELECT data, salt, hash FROM subsidies_private_undertakings WHERE msp_id = $1 AND kvk = $2',
      [this.mspId, kvk],
    );
    const row = rows[0];
    return row === undefined ? null : { kvk, data: row.data, salt: row.salt, hash: row.hash };
  }

  async erase(kvk: string): Promise<boolean> {
    const result = await this.pool.query(
      'DELETE FROM subsidies_private_undertakings WHERE msp_id = $1 AND kvk = $2',
      [this.mspId, kvk],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

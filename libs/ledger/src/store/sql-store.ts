import { ZERO_HASH_HEX } from '@civic/protocol';
import { HeightMismatchError, LedgerInvariantError, StoreMismatchError } from '../errors.js';
import type {
  BlockCommit,
  ChainHead,
  HistoryPage,
  HistoryRecord,
  LedgerStore,
  StateEntry,
  StateKey,
  StoredBlock,
  TxLocation,
  TxRecord,
} from './port.js';
import { stateMapKey } from './port.js';
import { fromDbText, fromDbTextOrNull, toDbText, toDbTextOrNull } from './db-text.js';
import { MIGRATIONS } from './schema.js';
import { toSafeNumber, type SqlDatabase, type SqlExecutor } from './sql.js';

/** Bound on one read-back batch, so an audit or republish never loads the whole chain at once. */
const BLOCKS_BATCH_MAX = 1000;
const PAGE_MAX = 10_000;

/** The ledger tables over PostgreSQL or PGlite (same SQL for both). */
export class SqlLedgerStore implements LedgerStore {
  private constructor(
    private readonly db: SqlDatabase,
    readonly channel: string,
  ) {}

  get engine(): string {
    return this.db.engine;
  }

  /**
   * Applies pending migrations and binds the database to `channel`: a database that already
   * holds another channel's chain is refused (StoreMismatchError).
   */
  static async open(db: SqlDatabase, channel: string): Promise<SqlLedgerStore> {
    await migrate(db);
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ channel: string }>('SELECT channel FROM meta FOR UPDATE');
      const row = rows[0];
      if (row && row.channel !== channel) {
        throw new StoreMismatchError(`database holds channel ${row.channel}, not ${channel}`);
      }
      if (!row) {
        await tx.query(
          `INSERT INTO meta (channel, height, block_hash, block_time, commit_hash, config_block, valid_txs, published_height)
           VALUES ($1, -1, $2, '', $2, -1, 0, -1)`,
          [channel, ZERO_HASH_HEX],
        );
      }
    });
    return new SqlLedgerStore(db, channel);
  }

  async head(): Promise<ChainHead> {
    return readHead(this.db);
  }

  async readVersions(keys: readonly StateKey[]): Promise<Map<string, string>> {
    const versions = new Map<string, string>();
    if (keys.length === 0) return versions;
    const { rows } = await this.db.query<{ namespace: string; key: string; version: string }>(
      `SELECT s.namespace, s.key, s.version FROM state s
       JOIN unnest($1::text[], $2::text[]) AS k(namespace, key) USING (namespace, key)`,
      [keys.map((k) => k.namespace), keys.map((k) => toDbText(k.key))],
    );
    for (const row of rows) versions.set(stateMapKey(row.namespace, fromDbText(row.key)), row.version);
    return versions;
  }

  async knownTxIds(txIds: readonly string[], beforeBlock = Number.MAX_SAFE_INTEGER): Promise<Set<string>> {
    if (txIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ tx_id: string }>(
      'SELECT DISTINCT tx_id FROM txs WHERE tx_id = ANY($1::text[]) AND block < $2',
      [txIds, beforeBlock],
    );
    return new Set(rows.map((row) => row.tx_id));
  }

  async commitBlocks(blocks: readonly BlockCommit[]): Promise<ChainHead> {
    const first = blocks[0];
    const last = blocks.at(-1);
    if (!first || !last) throw new LedgerInvariantError('commitBlocks: at least one block expected');
    blocks.forEach((block, i) => {
      if (block.number !== first.number + i) {
        throw new LedgerInvariantError(
          `commitBlocks: block ${block.number} at position ${i} is not contiguous`,
        );
      }
    });
    return this.db.transaction(async (tx) => {
      const moved = await tx.query(
        `UPDATE meta SET height = $1, block_hash = $2, block_time = $3, commit_hash = $4, config_block = $5,
                         valid_txs = $7
         WHERE height = $6`,
        [
          last.number,
          last.hash,
          last.time,
          last.commitHash,
          last.configBlock,
          first.number - 1,
          last.validBefore + last.codes.filter((code) => code === 'VALID').length,
        ],
      );
      if (moved.rowCount !== 1) {
        const head = await readHead(tx);
        throw new HeightMismatchError(head.height + 1, first.number);
      }
      await insertBlocks(tx, blocks);
      await insertTxs(tx, blocks);
      await applyState(tx, blocks);
      await insertHistory(
        tx,
        blocks.flatMap((block) => block.history),
      );
      return readHead(tx);
    });
  }

  async markPublished(height: number): Promise<void> {
    await this.db.query('UPDATE meta SET published_height = $1 WHERE published_height < $1', [height]);
  }

  async getState(key: StateKey): Promise<StateEntry | null> {
    const { rows } = await this.db.query<StateEntry>(
      'SELECT namespace, key, value, version FROM state WHERE namespace = $1 AND key = $2',
      [key.namespace, toDbText(key.key)],
    );
    const row = rows[0];
    return row ? stateFromRow(row) : null;
  }

  async getHistory(
    key: StateKey,
    limit: number,
    before?: { block: number; index: number },
  ): Promise<HistoryPage> {
    assertLimit(limit);
    const { rows } = await this.db.query<HistoryRow>(
      `SELECT * FROM history WHERE namespace = $1 AND key = $2 AND (block, idx) < ($3, $4)
       ORDER BY block DESC, idx DESC LIMIT $5`,
      [
        key.namespace,
        toDbText(key.key),
        before?.block ?? Number.MAX_SAFE_INTEGER,
        before?.index ?? 0,
        limit + 1,
      ],
    );
    const entries = rows.slice(0, limit).map(historyFromRow);
    const oldest = entries.at(-1);
    return rows.length > limit && oldest
      ? { entries, next: { block: oldest.block, index: oldest.index } }
      : { entries };
  }

  async getBlock(number: number): Promise<StoredBlock | null> {
    return (await this.blocksFrom(number, 1))[0] ?? null;
  }

  async getBlockByHash(hash: string): Promise<StoredBlock | null> {
    const { rows } = await this.db.query<{ number: unknown }>('SELECT number FROM blocks WHERE hash = $1', [
      hash,
    ]);
    const row = rows[0];
    return row ? this.getBlock(toSafeNumber(row.number, 'blocks.number')) : null;
  }

  async getTx(txId: string): Promise<TxLocation | null> {
    const { rows } = await this.db.query<TxRow>(
      'SELECT * FROM txs WHERE tx_id = $1 ORDER BY block, idx LIMIT 1',
      [txId],
    );
    const row = rows[0];
    return row ? { block: toSafeNumber(row.block, 'txs.block'), tx: txFromRow(row) } : null;
  }

  async blocksFrom(from: number, count: number): Promise<StoredBlock[]> {
    if (
      !Number.isSafeInteger(from) ||
      !Number.isSafeInteger(count) ||
      count < 1 ||
      count > BLOCKS_BATCH_MAX
    ) {
      throw new RangeError(`blocksFrom: from ${from}, count ${count} (1..${BLOCKS_BATCH_MAX})`);
    }
    const to = from + count - 1;
    const blockRows = await this.db.query<BlockRow>(
      'SELECT * FROM blocks WHERE number BETWEEN $1 AND $2 ORDER BY number',
      [from, to],
    );
    if (blockRows.rows.length === 0) return [];
    const txRows = await this.db.query<TxRow>(
      'SELECT * FROM txs WHERE block BETWEEN $1 AND $2 ORDER BY block, idx',
      [from, to],
    );
    const txsByBlock = new Map<number, TxRecord[]>();
    for (const row of txRows.rows) {
      const block = toSafeNumber(row.block, 'txs.block');
      let list = txsByBlock.get(block);
      if (!list) txsByBlock.set(block, (list = []));
      list.push(txFromRow(row));
    }
    return blockRows.rows.map((row) =>
      blockFromRow(row, txsByBlock.get(toSafeNumber(row.number, 'blocks.number')) ?? []),
    );
  }

  async historyOfBlocks(fromBlock: number, toBlock: number): Promise<HistoryRecord[]> {
    const { rows } = await this.db.query<HistoryRow>(
      `SELECT * FROM history WHERE block BETWEEN $1 AND $2 ORDER BY block, idx, namespace, key`,
      [fromBlock, toBlock],
    );
    return rows.map(historyFromRow);
  }

  async statePage(after: StateKey | null, limit: number): Promise<StateEntry[]> {
    assertLimit(limit);
    const { rows } = after
      ? await this.db.query<StateEntry>(
          `SELECT namespace, key, value, version FROM state WHERE (namespace, key) > ($1, $2)
           ORDER BY namespace, key LIMIT $3`,
          [after.namespace, toDbText(after.key), limit],
        )
      : await this.db.query<StateEntry>(
          'SELECT namespace, key, value, version FROM state ORDER BY namespace, key LIMIT $1',
          [limit],
        );
    return rows.map(stateFromRow);
  }

  async blockNumberRange(): Promise<{ min: number; max: number; count: number }> {
    const { rows } = await this.db.query<{ min: unknown; max: unknown; count: unknown }>(
      'SELECT coalesce(min(number), -1) AS min, coalesce(max(number), -1) AS max, count(*) AS count FROM blocks',
    );
    const row = rows[0];
    if (!row) throw new LedgerInvariantError('blockNumberRange: no row');
    return {
      min: toSafeNumber(row.min, 'min'),
      max: toSafeNumber(row.max, 'max'),
      count: toSafeNumber(row.count, 'count'),
    };
  }

  async rowsOutside(height: number): Promise<{ txs: number; history: number }> {
    const { rows } = await this.db.query<{ txs: unknown; history: unknown }>(
      `SELECT (SELECT count(*) FROM txs WHERE block < 0 OR block > $1) AS txs,
              (SELECT count(*) FROM history WHERE block < 0 OR block > $1) AS history`,
      [height],
    );
    const row = rows[0];
    if (!row) throw new LedgerInvariantError('rowsOutside: no row');
    return { txs: toSafeNumber(row.txs, 'txs'), history: toSafeNumber(row.history, 'history') };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > PAGE_MAX) {
    throw new RangeError(`limit must be an integer in 1..${PAGE_MAX}, got ${limit}`);
  }
}

async function migrate(db: SqlDatabase): Promise<void> {
  await db.script(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL)',
  );
  const { rows } = await db.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  const applied = new Set(rows.map((row) => Number(row.version)));
  const newest = Math.max(0, ...applied);
  if (newest > MIGRATIONS.length) {
    throw new StoreMismatchError(
      `database schema version ${newest} is newer than this peer's (${MIGRATIONS.length})`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
  }
}

/** Migrations hold plain DDL (no semicolons inside literals), so splitting on `;` is safe. */
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

async function readHead(db: SqlExecutor): Promise<ChainHead> {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM meta');
  const row = rows[0];
  if (!row) throw new LedgerInvariantError('meta row missing');
  return {
    channel: String(row.channel),
    height: toSafeNumber(row.height, 'meta.height'),
    blockHash: String(row.block_hash),
    blockTime: String(row.block_time),
    commitHash: String(row.commit_hash),
    configBlock: toSafeNumber(row.config_block, 'meta.config_block'),
    validTxs: toSafeNumber(row.valid_txs, 'meta.valid_txs'),
    publishedHeight: toSafeNumber(row.published_height, 'meta.published_height'),
  };
}

async function insertBlocks(tx: SqlExecutor, blocks: readonly BlockCommit[]): Promise<void> {
  // codes go as one text per block (comma-joined) because unnest cannot carry an array of arrays.
  await tx.query(
    `INSERT INTO blocks (number, hash, previous_hash, header, metadata, time, codes, commit_hash, valid_before)
     SELECT number, hash, previous_hash, header, metadata, time,
            CASE WHEN codes = '' THEN '{}'::text[] ELSE string_to_array(codes, ',') END, commit_hash, valid_before
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::bigint[])
       AS b(number, hash, previous_hash, header, metadata, time, codes, commit_hash, valid_before)`,
    [
      blocks.map((b) => b.number),
      blocks.map((b) => b.hash),
      blocks.map((b) => b.previousHash),
      blocks.map((b) => b.header),
      blocks.map((b) => b.metadata),
      blocks.map((b) => b.time),
      blocks.map((b) => b.codes.join(',')),
      blocks.map((b) => b.commitHash),
      blocks.map((b) => b.validBefore),
    ],
  );
}

async function insertTxs(tx: SqlExecutor, blocks: readonly BlockCommit[]): Promise<void> {
  const rows = blocks.flatMap((block) => block.txs.map((t) => ({ block: block.number, t })));
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO txs (block, idx, tx_id, code, reason, envelope, namespace, action, creator_msp, creator_subject, tx_time)
     SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])`,
    [
      rows.map((r) => r.block),
      rows.map((r) => r.t.index),
      rows.map((r) => r.t.txId),
      rows.map((r) => r.t.code),
      rows.map((r) => toDbTextOrNull(r.t.reason)),
      rows.map((r) => r.t.envelope),
      rows.map((r) => r.t.namespace),
      rows.map((r) => r.t.action),
      rows.map((r) => r.t.creatorMsp),
      rows.map((r) => toDbTextOrNull(r.t.creatorSubject)),
      rows.map((r) => r.t.txTime),
    ],
  );
}

/** Net effect of the blocks on each key (a later block's change of a key replaces an earlier one). */
async function applyState(tx: SqlExecutor, blocks: readonly BlockCommit[]): Promise<void> {
  const finalByKey = new Map<string, BlockCommit['stateChanges'][number]>();
  for (const block of blocks) {
    for (const change of block.stateChanges)
      finalByKey.set(stateMapKey(change.namespace, change.key), change);
  }
  const changes = [...finalByKey.values()];
  const puts = changes.filter((c) => c.value !== null);
  const deletes = changes.filter((c) => c.value === null);
  if (deletes.length > 0) {
    await tx.query(
      `DELETE FROM state s USING unnest($1::text[], $2::text[]) AS d(namespace, key)
       WHERE s.namespace = d.namespace AND s.key = d.key`,
      [deletes.map((c) => c.namespace), deletes.map((c) => toDbText(c.key))],
    );
  }
  if (puts.length > 0) {
    await tx.query(
      `INSERT INTO state (namespace, key, value, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, version = excluded.version`,
      [
        puts.map((c) => c.namespace),
        puts.map((c) => toDbText(c.key)),
        puts.map((c) => c.value),
        puts.map((c) => c.version),
      ],
    );
  }
}

async function insertHistory(tx: SqlExecutor, rows: readonly HistoryRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO history (namespace, key, block, idx, tx_id, creator_msp, creator_subject, block_time, tx_time, value)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::integer[], $5::text[], $6::text[], $7::text[],
                 $8::text[], $9::text[], $10::text[])`,
    [
      rows.map((r) => r.namespace),
      rows.map((r) => toDbText(r.key)),
      rows.map((r) => r.block),
      rows.map((r) => r.index),
      rows.map((r) => r.txId),
      rows.map((r) => r.creatorMsp),
      rows.map((r) => toDbText(r.creatorSubject)),
      rows.map((r) => r.blockTime),
      rows.map((r) => r.txTime),
      rows.map((r) => r.value),
    ],
  );
}

interface BlockRow {
  number: unknown;
  hash: string;
  previous_hash: string;
  header: string;
  metadata: string;
  time: string;
  codes: string[];
  commit_hash: string;
  valid_before: unknown;
}

interface TxRow {
  block: unknown;
  idx: unknown;
  tx_id: string;
  code: string;
  reason: string | null;
  envelope: string;
  namespace: string | null;
  action: string | null;
  creator_msp: string | null;
  creator_subject: string | null;
  tx_time: string | null;
}

interface HistoryRow {
  namespace: string;
  key: string;
  block: unknown;
  idx: unknown;
  tx_id: string;
  creator_msp: string;
  creator_subject: string;
  block_time: string;
  tx_time: string;
  value: string | null;
}

function blockFromRow(row: BlockRow, txs: TxRecord[]): StoredBlock {
  return {
    number: toSafeNumber(row.number, 'blocks.number'),
    hash: row.hash,
    previousHash: row.previous_hash,
    header: row.header,
    metadata: row.metadata,
    time: row.time,
    codes: row.codes,
    commitHash: row.commit_hash,
    validBefore: toSafeNumber(row.valid_before, 'blocks.valid_before'),
    txs,
  };
}

function txFromRow(row: TxRow): TxRecord {
  return {
    index: toSafeNumber(row.idx, 'txs.idx'),
    txId: row.tx_id,
    code: row.code,
    reason: fromDbTextOrNull(row.reason),
    envelope: row.envelope,
    namespace: row.namespace,
    action: row.action,
    creatorMsp: row.creator_msp,
    creatorSubject: fromDbTextOrNull(row.creator_subject),
    txTime: row.tx_time,
  };
}

function stateFromRow(row: StateEntry): StateEntry {
  return { namespace: row.namespace, key: fromDbText(row.key), value: row.value, version: row.version };
}

function historyFromRow(row: HistoryRow): HistoryRecord {
  return {
    namespace: row.namespace,
    key: fromDbText(row.key),
    block: toSafeNumber(row.block, 'history.block'),
    index: toSafeNumber(row.idx, 'history.idx'),
    txId: row.tx_id,
    creatorMsp: row.creator_msp,
    creatorSubject: fromDbText(row.creator_subject),
    blockTime: row.block_time,
    txTime: row.tx_time,
    value: row.value,
  };
}

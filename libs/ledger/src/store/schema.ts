/**
 * Schema migrations, applied in order on open; `schema_migrations` records which ran. A
 * migration is never edited once released: a change is a new entry.
 *
 * Values and envelopes are stored as canonical JSON text, not JSONB: JSONB refuses U+0000 in
 * strings (a valid JSON value that a transaction may carry, and a peer must never halt on) and
 * normalises numbers; the text is exactly the bytes the hashes were computed over, which the
 * audit recomputes.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger tables',
    sql: `
CREATE TABLE meta (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  channel text NOT NULL,
  -- number of the last committed block, -1 before genesis
  height bigint NOT NULL,
  block_hash text NOT NULL,
  block_time text NOT NULL,
  commit_hash text NOT NULL,
  -- number of the config block in force for the next block
  config_block bigint NOT NULL,
  -- VALID transactions in blocks 0..height: the ordinal of the next domain event
  valid_txs bigint NOT NULL,
  -- last block whose events and commit receipt were acknowledged by JetStream
  published_height bigint NOT NULL
);
CREATE TABLE blocks (
  number bigint PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  previous_hash text NOT NULL,
  header text NOT NULL,
  metadata text NOT NULL,
  time text NOT NULL,
  codes text[] NOT NULL,
  commit_hash text NOT NULL,
  -- VALID transactions in the blocks before this one (ordinal of its first event)
  valid_before bigint NOT NULL
);
CREATE TABLE txs (
  block bigint NOT NULL,
  idx integer NOT NULL,
  tx_id text NOT NULL,
  code text NOT NULL,
  reason text,
  envelope text NOT NULL,
  namespace text,
  action text,
  creator_msp text,
  creator_subject text,
  tx_time text,
  PRIMARY KEY (block, idx)
);
CREATE INDEX txs_tx_id ON txs (tx_id);
CREATE TABLE state (
  namespace text NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  version text NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE TABLE history (
  namespace text NOT NULL,
  key text NOT NULL,
  block bigint NOT NULL,
  idx integer NOT NULL,
  tx_id text NOT NULL,
  creator_msp text NOT NULL,
  creator_subject text NOT NULL,
  block_time text NOT NULL,
  tx_time text NOT NULL,
  -- canonical JSON of the value written, NULL for a delete
  value text,
  PRIMARY KEY (namespace, key, block, idx)
);
CREATE INDEX history_block ON history (block, idx);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export * from './errors.js';
export * from './store/port.js';
export * from './store/sql.js';
export { SCHEMA_VERSION } from './store/schema.js';
export { SqlLedgerStore } from './store/sql-store.js';
export { PgDatabase, type PgDatabaseOptions } from './store/pg-database.js';
export { PgliteDatabase } from './store/pglite-database.js';
export { openLedgerStore, type OpenStoreOptions } from './store/open-store.js';

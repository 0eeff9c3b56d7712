/**
 * One error class per condition (nats.js style): `name` says which, the message says what and
 * where, `cause` keeps what was wrapped.
 */

/** The database does not belong to this channel, or its schema is newer than this code. */
export class StoreMismatchError extends Error {
  override readonly name = 'StoreMismatchError';
}

/**
 * A commit was asked for a block that does not follow the stored head (another writer, or a
 * caller bug). Nothing was written.
 */
export class HeightMismatchError extends Error {
  override readonly name = 'HeightMismatchError';
  constructor(
    readonly expectedNumber: number,
    readonly gotNumber: number,
  ) {
    super(`commit of block ${gotNumber} refused: the store expects block ${expectedNumber} next`);
  }
}

/** A block failed verification: the peer stops on it and commits none of it. */
export class BlockRejectedError extends Error {
  override readonly name = 'BlockRejectedError';
  constructor(
    readonly blockNumber: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`block ${blockNumber} rejected: ${reason}`, options);
  }
}

/** A query named something invalid (bad key, bad hash…): the reply is a 400 with this reason. */
export class BadQueryError extends Error {
  override readonly name = 'BadQueryError';
}

/** A query named something that is not there (key, block, transaction): a 404. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The ledger was used in a way its invariants forbid (a bug in the caller, not bad input). */
export class LedgerInvariantError extends Error {
  override readonly name = 'LedgerInvariantError';
}

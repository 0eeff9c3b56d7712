/**
 * The orderer's errors: one class per condition, each with a `name`, a message that says what
 * and where, and `cause` when it wraps another error. All extend {@link OrdererError}.
 */
export class OrdererError extends Error {
  override readonly name: string = 'OrdererError';
}

/** A start-up option (environment variable or flag) is missing or malformed. */
export class OrdererOptionsError extends OrdererError {
  override readonly name = 'OrdererOptionsError';
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`orderer option ${option}: ${detail}`);
  }
}

/** A write-ahead-log record before the tail is unreadable: the log cannot be trusted. */
export class WalCorruptError extends OrdererError {
  override readonly name = 'WalCorruptError';
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`write-ahead log ${file} is corrupt at byte ${offset}: ${detail}`);
  }
}

/** A block-store record before the tail is unreadable, or the store is not a contiguous chain. */
export class BlockStoreCorruptError extends OrdererError {
  override readonly name = 'BlockStoreCorruptError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`block store ${file} is corrupt: ${detail}`);
  }
}

/** A block was asked for that the store does not hold (yet). */
export class BlockNotFoundError extends OrdererError {
  override readonly name = 'BlockNotFoundError';
  constructor(
    readonly number: number,
    readonly height: number,
  ) {
    super(`block ${number} is not stored (height ${height})`);
  }
}

/** Appending would not extend the stored chain contiguously. */
export class BlockStoreAppendError extends OrdererError {
  override readonly name = 'BlockStoreAppendError';
}

/** The genesis block holds no valid genesis transaction (by the peers' rule): the network cannot start. */
export class InvalidGenesisError extends OrdererError {
  override readonly name = 'InvalidGenesisError';
  constructor(detail: string) {
    super(`the genesis block is not valid: ${detail}`);
  }
}

/** Blocks fetched from other orderers do not chain to what this node already has. */
export class ChainMismatchError extends OrdererError {
  override readonly name = 'ChainMismatchError';
}

/** The node was stopped while an operation waited. */
export class StoppedError extends OrdererError {
  override readonly name = 'StoppedError';
}

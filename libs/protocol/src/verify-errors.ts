/**
 * Why a block fails verification. One class per condition, each with the block number and
 * the reason; all are BlockVerificationError. A bad creator or endorser signature is NOT a
 * block failure (the transaction stays in the block with a code): see verifyEnvelopes.
 */
export abstract class BlockVerificationError extends Error {
  constructor(
    readonly blockNumber: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`block ${blockNumber}: ${reason}`, options);
  }
}

/** The block's channel differs from the chain's. */
export class BlockChannelError extends BlockVerificationError {
  override readonly name = 'BlockChannelError';
}

/** The number is not the previous number + 1 (or 0 for a chain's first block). */
export class BlockNumberError extends BlockVerificationError {
  override readonly name = 'BlockNumberError';
}

/** previousHash is not the previous header's hash (or not 64 zeros for block 0). */
export class PreviousHashError extends BlockVerificationError {
  override readonly name = 'PreviousHashError';
}

/** The time is before the previous block's. */
export class BlockTimeError extends BlockVerificationError {
  override readonly name = 'BlockTimeError';
}

/** The header hash differs from the hash the caller expected (a checkpoint, a receipt). */
export class BlockHashError extends BlockVerificationError {
  override readonly name = 'BlockHashError';
}

/** txCount is not the number of envelopes. */
export class TxCountError extends BlockVerificationError {
  override readonly name = 'TxCountError';
}

/** dataHash is not the Merkle root over the envelopes. */
export class DataHashError extends BlockVerificationError {
  override readonly name = 'DataHashError';
}

/** configNumber is impossible or not the config the caller knows to be in force. */
export class ConfigNumberError extends BlockVerificationError {
  override readonly name = 'ConfigNumberError';
}

/**
 * The Raft position goes backwards: a block's entry index must be above the previous block's and
 * its term not below. The metadata is not signed (the contract signs the blockHash), so this is
 * the check that catches most tampering with it; a raised index or term remains undetectable.
 */
export class RaftPositionError extends BlockVerificationError {
  override readonly name = 'RaftPositionError';
}

/** Block 0 breaks a genesis rule (one config transaction, raft {0, 0}). */
export class GenesisBlockError extends BlockVerificationError {
  override readonly name = 'GenesisBlockError';
}

/** No signature, a signer that is not a consenter of the config in force, or a signature that does not verify. */
export class BlockSignatureError extends BlockVerificationError {
  override readonly name = 'BlockSignatureError';
}

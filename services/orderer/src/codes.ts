import { ValidationCode, type Hex, type SubmitReply } from '@civic/protocol';

/**
 * Why `civic.<channel>.tx.submit` refused an envelope (docs/protocol.md, "Submitting"). The
 * contract's validation codes where one applies, plus the orderer's own. Retryable codes say
 * "not now": the same envelope may be submitted again after a short wait. The others say the
 * envelope will never be ordered as it is.
 */
export const SubmitCode = {
  /** Not JSON, not an envelope of the contract, or a field out of its grammar. */
  MALFORMED: ValidationCode.MALFORMED,
  /** The creator's signature over the txId does not verify. */
  BAD_SIGNATURE: ValidationCode.BAD_SIGNATURE,
  /** The creator's organisation is not in the config, or its certificate does not chain to it. */
  UNKNOWN_IDENTITY: ValidationCode.UNKNOWN_IDENTITY,
  /** The creator's certificate is not yet valid, expired, or revoked (the reason says which). */
  EXPIRED_IDENTITY: ValidationCode.EXPIRED_IDENTITY,
  /** The namespace is not in the config, or its writers policy does not admit the creator. */
  WRITER_NOT_ALLOWED: ValidationCode.WRITER_NOT_ALLOWED,
  /** The txId is in the chain or already accepted (within the duplicate window). */
  DUPLICATE_TXID: ValidationCode.DUPLICATE_TXID,
  /** A config transaction whose new config may not follow the one in force. */
  INVALID_CONFIG: ValidationCode.INVALID_CONFIG,
  /** The envelope is larger than the config's `batch.absoluteMaxBytes`. */
  TOO_LARGE: 'TOO_LARGE',
  /** The payload names another channel than the one it was submitted on. */
  WRONG_CHANNEL: 'WRONG_CHANNEL',
  /** `txTime` is further from the orderer's clock than the duplicate window allows. */
  TX_TIME_OUT_OF_WINDOW: 'TX_TIME_OUT_OF_WINDOW',
  /** A config transaction the admins policy does not allow, or that would cost the cluster its quorum. */
  CONFIG_NOT_ALLOWED: 'CONFIG_NOT_ALLOWED',
  /** Retryable: another config transaction or membership change is still being ordered. */
  CONFIG_PENDING: 'CONFIG_PENDING',
  /** Retryable: this orderer is starting, or a new leader is still applying its log. */
  NOT_READY: 'NOT_READY',
  /** Retryable: no leader is known right now (an election is running). */
  NO_LEADER: 'NO_LEADER',
  /** Retryable: a forwarded envelope reached an orderer that is no longer the leader. */
  NOT_LEADER: 'NOT_LEADER',
  /** Retryable: the leader's queues are full (back-pressure). */
  OVERLOADED: 'OVERLOADED',
} as const;
export type SubmitCode = (typeof SubmitCode)[keyof typeof SubmitCode];

export const RETRYABLE_SUBMIT_CODES: ReadonlySet<SubmitCode> = new Set([
  SubmitCode.CONFIG_PENDING,
  SubmitCode.NOT_READY,
  SubmitCode.NO_LEADER,
  SubmitCode.NOT_LEADER,
  SubmitCode.OVERLOADED,
]);

export function isRetryableSubmitCode(code: string): boolean {
  return RETRYABLE_SUBMIT_CODES.has(code as SubmitCode);
}

export type Rejection = { readonly code: SubmitCode; readonly reason: string; readonly txId?: Hex };

export function accepted(txId: Hex): SubmitReply {
  return { status: 'ACCEPTED', txId };
}

export function rejected(rejection: Rejection): SubmitReply {
  return rejection.txId === undefined
    ? { status: 'REJECTED', code: rejection.code, reason: rejection.reason }
    : { status: 'REJECTED', code: rejection.code, reason: rejection.reason, txId: rejection.txId };
}

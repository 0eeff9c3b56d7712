import type { Hex, SubmitCode, SubmitReply } from '@civic/protocol';

/**
 * The orderer's replies on `civic.<channel>.tx.submit`. The codes (`SubmitCode`,
 * `isRetryableSubmitCode`) are the contract's and live in @civic/protocol, next to `SubmitReply`.
 */
export type Rejection = { readonly code: SubmitCode; readonly reason: string; readonly txId?: Hex };

export function accepted(txId: Hex): SubmitReply {
  return { status: 'ACCEPTED', txId };
}

export function rejected(rejection: Rejection): SubmitReply {
  return rejection.txId === undefined
    ? { status: 'REJECTED', code: rejection.code, reason: rejection.reason }
    : { status: 'REJECTED', code: rejection.code, reason: rejection.reason, txId: rejection.txId };
}

/**
 * The client's errors: one class per condition, each with a `name`, a message that says what
 * and where, and `cause` when it wraps another error. All extend ClientError.
 */

export abstract class ClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A bad argument to a client function (a programming error, not bad data from a peer). */
export class ClientArgumentError extends ClientError {
  override readonly name = 'ClientArgumentError';
}

/**
 * A block that does not verify against the chain the verifier holds. `check` names the failed
 * check (the protocol error class, e.g. `DataHashError`, or `ParseError` subclasses, or
 * `ConfigNumberError` for a config the chain does not follow); `cause` is that error.
 */
export class BlockRejectedError extends ClientError {
  override readonly name = 'BlockRejectedError';
  constructor(
    readonly blockNumber: number | null,
    readonly check: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`block ${blockNumber ?? '?'} does not verify (${check}): ${reason}`, options);
  }
}

/** A trust anchor (genesis block, saved verifier state, checkpoint) that cannot be used. */
export class TrustAnchorError extends ClientError {
  override readonly name = 'TrustAnchorError';
}

/** A JSON document (proof, checkpoint) that is not in its documented format; `path` names the member. */
export abstract class DocumentFormatError extends ClientError {
  constructor(
    readonly document: string,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${document}${path ? `.${path}` : ''}: ${reason}`, options);
  }
}

/** An exported inclusion proof that is not in the documented format. */
export class ProofFormatError extends DocumentFormatError {
  override readonly name = 'ProofFormatError';
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super('proof', path, reason, options);
  }
}

/** A checkpoint that is not in the documented format. */
export class CheckpointFormatError extends DocumentFormatError {
  override readonly name = 'CheckpointFormatError';
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super('checkpoint', path, reason, options);
  }
}

/** A checkpoint whose signature does not verify with the peer key it is checked against. */
export class CheckpointSignatureError extends ClientError {
  override readonly name = 'CheckpointSignatureError';
}

/** A peer's chain that disagrees with a checkpoint kept earlier (a rewritten history or a fork). */
export class CheckpointMismatchError extends ClientError {
  override readonly name = 'CheckpointMismatchError';
  constructor(
    readonly number: number,
    readonly field: 'blockHash' | 'commitHash' | 'channel',
    readonly kept: string,
    readonly found: string,
  ) {
    super(`at block ${number} the kept checkpoint has ${field} ${kept} but the peer now says ${found}`);
  }
}

/** The peer answered with an HTTP 4xx (other than 404) or a NATS refusal: the request is wrong. */
export class PeerRequestError extends ClientError {
  override readonly name = 'PeerRequestError';
  constructor(
    readonly target: string,
    readonly status: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${target}: refused with ${status}: ${detail}`, options);
  }
}

/** The peer does not have what was asked (HTTP 404, or `found: false`). */
export class PeerNotFoundError extends ClientError {
  override readonly name = 'PeerNotFoundError';
  constructor(
    readonly target: string,
    readonly detail: string,
  ) {
    super(`${target}: not found: ${detail}`);
  }
}

/** The peer failed (HTTP 5xx), cannot be reached, or timed out; trying later may help. */
export class PeerUnavailableError extends ClientError {
  override readonly name = 'PeerUnavailableError';
  constructor(
    readonly target: string,
    readonly status: number | null,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${target}: unavailable${status === null ? '' : ` (${status})`}: ${detail}`, options);
  }
}

/** The peer answered something that is not the documented shape. */
export class PeerResponseError extends ClientError {
  override readonly name = 'PeerResponseError';
  constructor(
    readonly target: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${target}: unexpected answer: ${detail}`, options);
  }
}

/** A block subscription gave up (the stream or delivery failed more often than allowed). */
export class SubscriptionError extends ClientError {
  override readonly name = 'SubscriptionError';
}

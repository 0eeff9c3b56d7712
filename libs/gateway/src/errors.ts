/**
 * One error class per condition (as nats.js does). Every gateway error extends GatewayError, has
 * a `name`, a message that says what failed and where, and `cause` when it wraps another error.
 * A refusal by the transaction logic itself (a business rule) is NOT an error: `submit` returns it.
 */
export class GatewayError extends Error {
  override readonly name: string = 'GatewayError';
}

/** An argument or option that is not what the gateway needs. Nothing was sent. */
export class GatewayArgumentError extends GatewayError {
  override readonly name = 'GatewayArgumentError';
}

/** The own peer did not answer a query, or answered with an error. */
export class PeerQueryError extends GatewayError {
  override readonly name = 'PeerQueryError';
  constructor(
    readonly peerId: string,
    readonly query: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`peer ${peerId}, query ${query}: ${message}`, options);
  }
}

/** The channel config could not be read from the peer (not yet committed, or not valid). */
export class ConfigUnavailableError extends GatewayError {
  override readonly name = 'ConfigUnavailableError';
}

/**
 * The creator cannot write the namespace, or no set of the channel's organisations can satisfy
 * the action's endorsement policy together with the creator (a config problem, not a retry).
 */
export class PolicyUnsatisfiableError extends GatewayError {
  override readonly name = 'PolicyUnsatisfiableError';
  constructor(
    readonly namespace: string,
    readonly action: string,
    readonly policy: string,
    message: string,
  ) {
    super(`${namespace}/${action}: ${message}`);
  }
}

/**
 * An endorser refused to sign. `code` is its refusal code (a rule code such as
 * DE_MINIMIS_CEILING, or STATE_DIFFERS, NOT_READY, BAD_REQUEST…), `reason` its own words, and
 * `violation` the domain's refusal with its figures when a rule failed on its state.
 */
export class EndorsementRefusedError extends GatewayError {
  override readonly name = 'EndorsementRefusedError';
  constructor(
    readonly mspId: string,
    readonly code: string,
    readonly reason: string,
    readonly violation: unknown = null,
    /** The endorser's peer height when it refused, when it said. */
    readonly height: number | null = null,
  ) {
    super(`endorser of ${mspId} refused (${code}): ${reason}`);
  }
}

/** No endorser of an organisation answered in time, or none listens. */
export class EndorserUnavailableError extends GatewayError {
  override readonly name = 'EndorserUnavailableError';
  constructor(
    readonly mspId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`endorser of ${mspId}: ${message}`, options);
  }
}

/** An endorsement came back that does not verify: wrong organisation, unknown cert, bad signature. */
export class BadEndorsementError extends GatewayError {
  override readonly name = 'BadEndorsementError';
  constructor(
    readonly mspId: string,
    message: string,
  ) {
    super(`endorsement from ${mspId}: ${message}`);
  }
}

/** The orderers refused the envelope with a code that a retry cannot fix (e.g. BAD_SIGNATURE). */
export class SubmitRejectedError extends GatewayError {
  override readonly name = 'SubmitRejectedError';
  constructor(
    readonly txId: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`orderers rejected ${txId} (${code}): ${reason}`);
  }
}

/** The envelope was not accepted after every allowed attempt (timeouts, no leader, no orderer). */
export class SubmitUnavailableError extends GatewayError {
  override readonly name = 'SubmitUnavailableError';
  constructor(
    readonly txId: string,
    readonly attempts: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`submitting ${txId}: ${message} after ${attempts} attempt(s)`, options);
  }
}

/** The transaction is in a block but not valid: `code` is its validation code. */
export class CommitFailedError extends GatewayError {
  override readonly name = 'CommitFailedError';
  constructor(
    readonly txId: string,
    readonly code: string,
    readonly block: number | null,
    /** How many times the transaction was built (MVCC retries re-build it). */
    readonly attempts: number,
  ) {
    super(
      `transaction ${txId} committed as ${code}${block === null ? '' : ` in block ${block}`}` +
        (attempts > 1 ? ` (attempt ${attempts})` : ''),
    );
  }
}

/** No commit code arrived in time. The transaction may still commit later: query it by txId. */
export class CommitTimeoutError extends GatewayError {
  override readonly name = 'CommitTimeoutError';
  constructor(
    readonly txId: string,
    readonly timeoutMs: number,
  ) {
    super(`no commit code for ${txId} from the peer within ${timeoutMs} ms; it may still commit`);
  }
}

/** The own peer did not reach a height in time (an endorser waiting for the creator's state). */
export class PeerBehindError extends GatewayError {
  override readonly name = 'PeerBehindError';
  constructor(
    readonly peerId: string,
    readonly height: number,
    readonly wantedHeight: number,
    readonly timeoutMs: number,
  ) {
    super(`peer ${peerId} is at block ${height}, not ${wantedHeight}, after ${timeoutMs} ms`);
  }
}

/** The gateway was closed while a submission was in flight. */
export class GatewayClosedError extends GatewayError {
  override readonly name = 'GatewayClosedError';
}

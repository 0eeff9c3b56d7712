/** Failures of sharing records between a company's and an inspector's service, one class per condition. */

/** A company's records do not match the hash the chain holds for them. */
export class RecordsMismatchError extends Error {
  override readonly name = 'RecordsMismatchError';
  constructor(
    readonly company: string,
    readonly uploadId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The company's service refused the request (bad ticket, log full) or withheld an upload. */
export class ShareRefusedError extends Error {
  override readonly name = 'ShareRefusedError';
  constructor(
    readonly company: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The company's service did not answer (not running, no responders, timeout). */
export class ShareUnavailableError extends Error {
  override readonly name = 'ShareUnavailableError';
  constructor(
    readonly company: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

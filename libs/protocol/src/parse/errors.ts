/**
 * Why a payload, envelope or block was refused by the strict parsers. One class per condition,
 * all subclasses of ParseError, each naming the field path where the problem is, e.g.
 * `envelopes[3].payload.writes[0].key` (the empty path is the value itself).
 */
export abstract class ParseError extends Error {
  constructor(
    /** Where: a field path like `envelopes[3].payload.writes[0].key`; `` for the whole value. */
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path || '(value)'}: ${detail}`, options);
  }
}

/** The bytes or text are not JSON (or not UTF-8). */
export class NotJsonError extends ParseError {
  override readonly name = 'NotJsonError';
}

/** The bytes are JSON but not their RFC 8785 canonical form (whitespace, key order, duplicate keys, escapes). */
export class NotCanonicalError extends ParseError {
  override readonly name = 'NotCanonicalError';
}

/** An object member the contract does not define. */
export class UnknownFieldError extends ParseError {
  override readonly name = 'UnknownFieldError';
}

/** A required member is absent. */
export class MissingFieldError extends ParseError {
  override readonly name = 'MissingFieldError';
}

/** A value of the wrong JSON type (string where a number is due, …). */
export class WrongTypeError extends ParseError {
  override readonly name = 'WrongTypeError';
}

/** Over a byte, length or count limit. */
export class TooLargeError extends ParseError {
  override readonly name = 'TooLargeError';
}

/** Not lowercase hex of the right length. */
export class BadHexError extends ParseError {
  override readonly name = 'BadHexError';
}

/** Not an RFC 3339 UTC time with exactly three fraction digits, or a time that does not exist. */
export class BadTimeError extends ParseError {
  override readonly name = 'BadTimeError';
}

/** A channel, mspId, namespace, nodeId, action, event type or collection outside its grammar. */
export class BadNameError extends ParseError {
  override readonly name = 'BadNameError';
}

/** Any other refused value: duplicates, a malformed config transaction, an unencodable value, … */
export class BadValueError extends ParseError {
  override readonly name = 'BadValueError';
}

import { canonicalize } from '@civic/protocol';
import { DecodeError, EncodeError } from './errors.js';

/**
 * How a value is written on the wire. Contract subjects carry the contract's JSON as is (no
 * framework envelope). `canonical` (RFC 8785, the contract's encoding) gives the same bytes
 * for the same value on every node: blocks, receipts and events use it so that what a stream
 * stores is byte-identical whoever published it. `plain` is JSON.stringify, for requests.
 */
export const JsonEncoding = { PLAIN: 'plain', CANONICAL: 'canonical' } as const;
export type JsonEncoding = (typeof JsonEncoding)[keyof typeof JsonEncoding];

const encoder = new TextEncoder();
/** `fatal`: invalid UTF-8 is an error, never silently replaced by U+FFFD. */
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes one JSON value; throws {@link EncodeError} for what JSON cannot carry. */
export function encodeJson(
  value: unknown,
  encoding: JsonEncoding = JsonEncoding.PLAIN,
  subject = '',
): Uint8Array {
  let text: string | undefined;
  try {
    text = encoding === JsonEncoding.CANONICAL ? canonicalize(value) : JSON.stringify(value);
  } catch (err) {
    throw new EncodeError(subject, { cause: err });
  }
  if (text === undefined) {
    throw new EncodeError(subject, { cause: new TypeError(`${typeof value} is not a JSON value`) });
  }
  return encoder.encode(text);
}

/**
 * Decodes bytes that must hold exactly one JSON value in UTF-8. Empty payloads, invalid UTF-8
 * and malformed JSON become {@link DecodeError} naming the subject; the caller checks the
 * value's shape (the contract's validators do).
 */
export function decodeJson<T = unknown>(data: Uint8Array, subject = ''): T {
  if (data.length === 0) throw new DecodeError(subject, 'empty payload, expected JSON');
  let text: string;
  try {
    text = decoder.decode(data);
  } catch (err) {
    throw new DecodeError(subject, 'payload is not valid UTF-8', { cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DecodeError(subject, `payload is not valid JSON (${why})`, { cause: err });
  }
}

/**
 * Public face of the strict parsers: from a JSON value (already parsed) or from bytes/text
 * (UTF-8 JSON that must be in its canonical RFC 8785 form, the wire form of the contract), to
 * a new, frozen object with only the contract's fields. Errors are ParseError subclasses that
 * name the field path.
 */
import { utf8Text } from '../bytes.js';
import { canonicalBytes } from '../canonical-json.js';
import type { Block, Envelope, TxPayload } from '../types.js';
import { readBlock } from './block.js';
import { readEnvelope } from './envelope.js';
import { NotCanonicalError, NotJsonError, TooLargeError } from './errors.js';
import { resolveLimits, type ProtocolLimits } from './limits.js';
import { readPayload, type Read } from './payload.js';

export interface ParseOptions {
  /** Overrides of DEFAULT_LIMITS. */
  readonly limits?: Partial<ProtocolLimits>;
  /**
   * For bytes/text input: refuse JSON that is not exactly its canonical form (default true).
   * This also refuses duplicate object keys, which JSON.parse would silently collapse.
   */
  readonly requireCanonical?: boolean;
}

type Reader<T> = (value: unknown, path: string, limits: ProtocolLimits) => Read<T>;

function parseWith<T>(
  reader: Reader<T>,
  input: unknown,
  options: ParseOptions,
  bytesMax: (l: ProtocolLimits) => number,
): T {
  if (options === null || typeof options !== 'object') throw new TypeError('parse options must be an object');
  const limits = resolveLimits(options.limits);
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return reader(input, '', limits).value;
  const max = bytesMax(limits);
  // A cheap bound before JSON.parse: a string of n UTF-16 units is at least n UTF-8 bytes. The
  // reader then measures the canonical bytes exactly.
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > max)
    throw new TooLargeError(
      '',
      `${size} ${typeof input === 'string' ? 'characters' : 'bytes'}, at most ${max}`,
    );
  let text: string;
  let value: unknown;
  try {
    text = typeof input === 'string' ? input : utf8Text(input);
    value = JSON.parse(text);
  } catch (cause) {
    throw new NotJsonError('', cause instanceof Error ? cause.message : 'not JSON', { cause });
  }
  const parsed = reader(value, '', limits);
  if (options.requireCanonical !== false && parsed.text !== text) {
    throw new NotCanonicalError(
      '',
      'not the canonical (RFC 8785) form: whitespace, member order, escapes or duplicate keys',
    );
  }
  return parsed.value;
}

/** Parses a transaction payload from a JSON value, or from canonical JSON bytes/text. */
export function parsePayload(input: unknown, options: ParseOptions = {}): TxPayload {
  return parseWith(readPayload, input, options, (l) => l.payloadBytesMax);
}

/** Parses an envelope from a JSON value, or from canonical JSON bytes/text. */
export function parseEnvelope(input: unknown, options: ParseOptions = {}): Envelope {
  return parseWith(readEnvelope, input, options, (l) => l.envelopeBytesMax);
}

/** Parses a block from a JSON value, or from canonical JSON bytes/text. */
export function parseBlock(input: unknown, options: ParseOptions = {}): Block {
  return parseWith(readBlock, input, options, (l) => l.blockBytesMax);
}

/** The wire form of a payload, envelope or block: its canonical JSON bytes. */
export function serializePayload(payload: TxPayload): Uint8Array {
  return canonicalBytes(payload);
}

export function serializeEnvelope(envelope: Envelope): Uint8Array {
  return canonicalBytes(envelope);
}

export function serializeBlock(block: Block): Uint8Array {
  return canonicalBytes(block);
}

export { canonicalBlockText } from './block.js';
export * from './errors.js';
export {
  DEFAULT_LIMITS,
  KEY_CHARS_MAX,
  KEY_CHARS_MIN,
  NONCE_BYTES_MAX,
  NONCE_BYTES_MIN,
  resolveLimits,
} from './limits.js';
export type { ProtocolLimits } from './limits.js';
export { CONFIG_ACTION, CONFIG_EVENT_TYPE, CONFIG_KEY, CONFIG_NAMESPACE, isVersion } from './payload.js';

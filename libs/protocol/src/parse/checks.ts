/**
 * Field checks shared by the payload, envelope and block parsers. Each takes the value and its
 * path and either returns the value typed or throws the ParseError subclass for the condition.
 */
import { isBase64 } from '../base64.js';
import { CanonicalJsonError, canonicalize } from '../canonical-json.js';
import { isHex } from '../hex.js';
import { BoundedCache } from '../lru.js';
import { isName, NamePattern, type NameKind } from '../names.js';
import { isRfc3339Ms } from '../time.js';
import { CERTIFICATE_BYTES_MAX } from '../x509.js';
import {
  BadHexError,
  BadNameError,
  BadTimeError,
  BadValueError,
  MissingFieldError,
  TooLargeError,
  UnknownFieldError,
  WrongTypeError,
} from './errors.js';

export type JsonObject = Record<string, unknown>;

export function fieldPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A plain object with exactly the `required` members, plus any of `optional`. Undefined members count as absent. */
export function expectObject(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WrongTypeError(path, `expected an object, found ${describe(value)}`);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new WrongTypeError(path, 'expected a plain object');
  const object = value as JsonObject;
  for (const key of Object.keys(object)) {
    if (object[key] === undefined) continue;
    if (!required.includes(key) && !optional.includes(key)) {
      throw new UnknownFieldError(fieldPath(path, key), 'unknown field');
    }
  }
  for (const key of required) {
    if (object[key] === undefined)
      throw new MissingFieldError(fieldPath(path, key), 'required field is missing');
  }
  return object;
}

export function expectArray(value: unknown, path: string, itemsMax: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new WrongTypeError(path, `expected an array, found ${describe(value)}`);
  if (value.length > itemsMax) throw new TooLargeError(path, `${value.length} entries, at most ${itemsMax}`);
  return value;
}

export function expectString(value: unknown, path: string, charsMin: number, charsMax: number): string {
  if (typeof value !== 'string')
    throw new WrongTypeError(path, `expected a string, found ${describe(value)}`);
  if (value.length > charsMax)
    throw new TooLargeError(path, `${value.length} characters, at most ${charsMax}`);
  if (value.length < charsMin) throw new BadValueError(path, `at least ${charsMin} characters`);
  if (!value.isWellFormed()) throw new BadValueError(path, 'holds a lone surrogate');
  return value;
}

export function expectLiteral<T extends string | boolean>(
  value: unknown,
  path: string,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    throw new BadValueError(
      path,
      `expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, found ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

export function expectName(kind: NameKind, value: unknown, path: string): string {
  if (typeof value !== 'string')
    throw new WrongTypeError(path, `expected a string, found ${describe(value)}`);
  if (!isName(kind, value)) {
    throw new BadNameError(
      path,
      `${JSON.stringify((value as string).slice(0, 80))} does not match ${NamePattern[kind].source}`,
    );
  }
  return value;
}

/** Lowercase hex of exactly `bytes` bytes, or of `[bytesMin, bytesMax]` bytes. */
export function expectHex(value: unknown, path: string, bytesMin: number, bytesMax = bytesMin): string {
  if (typeof value !== 'string')
    throw new WrongTypeError(path, `expected a hex string, found ${describe(value)}`);
  const bytes = value.length / 2;
  if (value.length > bytesMax * 2)
    throw new TooLargeError(path, `${value.length} hex digits, at most ${bytesMax * 2}`);
  if (!isHex(value) || bytes < bytesMin) {
    const size = bytesMin === bytesMax ? `${bytesMin}` : `${bytesMin} to ${bytesMax}`;
    throw new BadHexError(path, `expected lowercase hex of ${size} bytes`);
  }
  return value;
}

export function expectTime(value: unknown, path: string): string {
  if (typeof value !== 'string')
    throw new WrongTypeError(path, `expected a time string, found ${describe(value)}`);
  if (!isRfc3339Ms(value)) {
    throw new BadTimeError(
      path,
      `${JSON.stringify((value as string).slice(0, 40))} is not RFC 3339 UTC with 3 fraction digits`,
    );
  }
  return value;
}

/** A non-negative safe integer (block numbers, counts, Raft terms and indexes). */
export function expectCount(value: unknown, path: string): number {
  if (typeof value !== 'number')
    throw new WrongTypeError(path, `expected a number, found ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new BadValueError(path, `expected a non-negative integer, found ${value}`);
  return value;
}

const CERT_BASE64_CHARS_MAX = Math.ceil(CERTIFICATE_BYTES_MAX / 3) * 4;

/** The same few hundred certificates recur in every block: remember the texts already checked. */
const checkedCertificates = new BoundedCache<string, true>(4096);

/** A base64 DER certificate: syntax and size only; its content is checked where signatures are. */
export function expectCertificate(value: unknown, path: string): string {
  if (typeof value !== 'string')
    throw new WrongTypeError(path, `expected a base64 certificate, found ${describe(value)}`);
  if (checkedCertificates.get(value)) return value;
  if (value.length > CERT_BASE64_CHARS_MAX)
    throw new TooLargeError(path, `certificate over ${CERTIFICATE_BYTES_MAX} bytes`);
  if (value.length === 0 || !isBase64(value)) throw new BadValueError(path, 'not canonical padded base64');
  checkedCertificates.set(value, true);
  return value;
}

/**
 * A JSON value nested at most `depthMax` deep (arrays and objects; the value itself is depth
 * 0). Everything else about it (types, numbers, surrogates) is checked when the enclosing
 * payload is canonicalised: see canonicalText.
 */
export function expectJsonValue(value: unknown, path: string, depthMax: number): unknown {
  if (!depthWithin(value, depthMax)) throw new BadValueError(path, `nested deeper than ${depthMax}`);
  return value;
}

function depthWithin(value: unknown, depthLeft: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depthLeft === 0) return false;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) if (!depthWithin(child, depthLeft - 1)) return false;
  return true;
}

/** The canonical text of a parsed value; an unencodable member is a BadValueError at its field path. */
export function canonicalText(value: unknown, path: string): string {
  try {
    return canonicalize(value);
  } catch (error) {
    if (error instanceof CanonicalJsonError) {
      const inner = error.path.replace(/^\$\.?/, '');
      const at = path && inner && !inner.startsWith('[') ? `${path}.${inner}` : `${path}${inner}`;
      throw new BadValueError(at, error.detail, { cause: error });
    }
    throw error;
  }
}

/** Refuses a canonical text over `bytesMax` UTF-8 bytes (counted only when it could be). */
export function checkSize(text: string, bytesMax: number, path: string, what: string): void {
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2), so short texts pass at once.
  if (text.length * 3 <= bytesMax) return;
  const bytes = utf8Length(text);
  if (bytes > bytesMax) throw new TooLargeError(path, `${what} is ${bytes} bytes, at most ${bytesMax}`);
}

/** UTF-8 length of a well-formed string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair: one 4-byte sequence for two UTF-16 units
      i++;
    } else bytes += 3;
  }
  return bytes;
}

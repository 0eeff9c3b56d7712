/**
 * The DER writer (X.690): minimal lengths, minimal INTEGERs, sorted SET OF members, whole-second
 * times as RFC 5280 asks. What it writes, the strict reader in der.ts reads back unchanged;
 * libs/identity issues certificates with it.
 */
import { compareBytes, concatBytes, utf8Bytes } from './bytes.js';
import { DerTag, contextTag, IA5_PATTERN, PRINTABLE_PATTERN } from './der.js';
import { toHex } from './hex.js';

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** One TLV with a minimal length. */
export function derEncode(tag: number, content: Uint8Array): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`derEncode: tag must be a single identifier octet, got ${tag}`);
  }
  if (!(content instanceof Uint8Array)) throw new TypeError('derEncode: content must be a Uint8Array');
  if (content.byteLength >= 2 ** 32) throw new RangeError('derEncode: content too large');
  return concatBytes(Uint8Array.of(tag), encodeLength(content.byteLength), content);
}

export function derSequence(...children: readonly Uint8Array[]): Uint8Array {
  return derEncode(DerTag.SEQUENCE, concatBytes(...children));
}

/** SET OF: DER orders the members by their encodings (X.690 §11.6). */
export function derSet(...children: readonly Uint8Array[]): Uint8Array {
  return derEncode(DerTag.SET, concatBytes(...[...children].sort(compareBytes)));
}

/** EXPLICIT `[n]`: a constructed context tag around one complete element. */
export function derExplicit(tagNumber: number, inner: Uint8Array): Uint8Array {
  return derEncode(contextTag(tagNumber, true), inner);
}

/** IMPLICIT `[n]`: the context tag replaces the element's own tag over the same content. */
export function derImplicit(tagNumber: number, content: Uint8Array, constructed = false): Uint8Array {
  return derEncode(contextTag(tagNumber, constructed), content);
}

/** INTEGER in minimal two's complement. */
export function derInteger(value: bigint | number): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`derInteger: ${value} is not a safe integer (pass a bigint)`);
  }
  let n = BigInt(value);
  const octets: number[] = [];
  // Emit low octets until the rest is pure sign extension of the last octet's top bit.
  for (;;) {
    const octet = Number(n & 0xffn);
    octets.unshift(octet);
    n >>= 8n;
    if ((n === 0n && (octet & 0x80) === 0) || (n === -1n && (octet & 0x80) !== 0)) break;
  }
  return derEncode(DerTag.INTEGER, Uint8Array.from(octets));
}

/** A non-negative INTEGER from big-endian unsigned bytes (e.g. a random serial number). */
export function derUnsignedInteger(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('derUnsignedInteger: Uint8Array expected');
  return derInteger(bytes.byteLength === 0 ? 0n : BigInt(`0x${toHex(bytes)}`));
}

export function derBoolean(value: boolean): Uint8Array {
  if (typeof value !== 'boolean') throw new TypeError('derBoolean: boolean expected');
  return derEncode(DerTag.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00));
}

export function derNull(): Uint8Array {
  return derEncode(DerTag.NULL, new Uint8Array(0));
}

const OID_PATTERN = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;

/** OBJECT IDENTIFIER from its dotted form. */
export function derOid(dotted: string): Uint8Array {
  if (typeof dotted !== 'string' || !OID_PATTERN.test(dotted)) {
    throw new TypeError(`derOid: not a dotted OID: ${JSON.stringify(dotted)}`);
  }
  const arcs = dotted.split('.').map(BigInt);
  const [first, second] = arcs as [bigint, bigint];
  if (first > 2n || (first < 2n && second > 39n))
    throw new RangeError(`derOid: invalid first arcs in ${dotted}`);
  const octets: number[] = [];
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) group.unshift(Number(n & 0x7fn) | 0x80);
    octets.push(...group);
  }
  return derEncode(DerTag.OID, Uint8Array.from(octets));
}

export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('derBitString: Uint8Array expected');
  if (
    !Number.isInteger(unusedBits) ||
    unusedBits < 0 ||
    unusedBits > 7 ||
    (bytes.byteLength === 0 && unusedBits > 0)
  ) {
    throw new RangeError(`derBitString: bad unused bit count ${unusedBits}`);
  }
  if (unusedBits > 0 && ((bytes[bytes.byteLength - 1] as number) & ((1 << unusedBits) - 1)) !== 0) {
    throw new RangeError('derBitString: padding bits must be zero');
  }
  return derEncode(DerTag.BIT_STRING, concatBytes(Uint8Array.of(unusedBits), bytes));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derEncode(DerTag.OCTET_STRING, bytes);
}

export function derUtf8String(text: string): Uint8Array {
  return derEncode(DerTag.UTF8_STRING, utf8Bytes(text));
}

export function derPrintableString(text: string): Uint8Array {
  if (typeof text !== 'string' || !PRINTABLE_PATTERN.test(text)) {
    throw new TypeError(`derPrintableString: ${JSON.stringify(text)} has characters outside PrintableString`);
  }
  return derEncode(DerTag.PRINTABLE_STRING, utf8Bytes(text));
}

export function derIa5String(text: string): Uint8Array {
  if (typeof text !== 'string' || !IA5_PATTERN.test(text))
    throw new TypeError('derIa5String: ASCII expected');
  return derEncode(DerTag.IA5_STRING, utf8Bytes(text));
}

function timeDigits(epochMs: number, what: string): string {
  if (!Number.isSafeInteger(epochMs))
    throw new RangeError(`${what}: time must be an integer of milliseconds`);
  if (epochMs % 1000 !== 0) throw new RangeError(`${what}: X.509 times are whole seconds, got ${epochMs} ms`);
  const iso = new Date(epochMs).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`${what}: year outside 0000..9999`);
  return iso.slice(0, 19).replace(/[-T:]/g, '');
}

function epochMsOf(time: Date | number, what: string): number {
  const ms = time instanceof Date ? time.getTime() : time;
  if (typeof ms !== 'number' || Number.isNaN(ms))
    throw new TypeError(`${what}: Date or epoch milliseconds expected`);
  return ms;
}

/** UTCTime (years 1950..2049 only). */
export function derUtcTime(time: Date | number): Uint8Array {
  const digits = timeDigits(epochMsOf(time, 'derUtcTime'), 'derUtcTime');
  const year = Number(digits.slice(0, 4));
  if (year < 1950 || year > 2049) throw new RangeError(`derUtcTime: year ${year} outside 1950..2049`);
  return derEncode(DerTag.UTC_TIME, utf8Bytes(`${digits.slice(2)}Z`));
}

export function derGeneralizedTime(time: Date | number): Uint8Array {
  const digits = timeDigits(epochMsOf(time, 'derGeneralizedTime'), 'derGeneralizedTime');
  return derEncode(DerTag.GENERALIZED_TIME, utf8Bytes(`${digits}Z`));
}

/** X.509 `Time` as RFC 5280 §4.1.2.5 asks: UTCTime through 2049, GeneralizedTime from 2050. */
export function derTime(time: Date | number): Uint8Array {
  const ms = epochMsOf(time, 'derTime');
  const year = new Date(ms).getUTCFullYear();
  return year >= 1950 && year <= 2049 ? derUtcTime(ms) : derGeneralizedTime(ms);
}

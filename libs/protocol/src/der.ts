/**
 * DER (ITU-T X.690 distinguished encoding rules): a strict TLV reader (the writer is
 * der-writer.ts), enough for X.509 certificates (parsing here, issuance in libs/identity). The reader refuses everything
 * DER forbids that matters for signed data having one encoding: indefinite and non-minimal
 * lengths, high tag numbers, non-minimal INTEGERs and OIDs, BOOLEANs other than 00/ff, BIT
 * STRINGs with non-zero padding bits, times without seconds or with fractions. The writer only
 * produces minimal encodings and sorts SET OF members, so write-then-read round-trips.
 */
import { utf8Text } from './bytes.js';
import { toHex } from './hex.js';

/** Universal tags used by X.509 (identifier octets, constructed bit included for SEQUENCE/SET). */
export const DerTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;
export type DerTag = (typeof DerTag)[keyof typeof DerTag];

const CONSTRUCTED = 0x20;
const CONTEXT = 0x80;
/** Tag numbers 0..30 fit in one identifier octet; 31 announces the multi-octet form, refused. */
const TAG_NUMBER_MAX = 30;
/** Lengths are at most 4 octets: 4 GiB is far beyond anything a certificate holds. */
const LENGTH_OCTETS_MAX = 4;
/** Bound on nesting, so that hostile input cannot exhaust the stack of a recursive caller. */
export const DER_DEPTH_MAX = 32;

/** Identifier octet of a context-specific tag `[n]` (constructed for EXPLICIT tagging). */
export function contextTag(tagNumber: number, constructed: boolean): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > TAG_NUMBER_MAX) {
    throw new RangeError(`contextTag: tag number must be 0..${TAG_NUMBER_MAX}, got ${tagNumber}`);
  }
  return CONTEXT | (constructed ? CONSTRUCTED : 0) | tagNumber;
}

export const DerErrorReason = {
  TRUNCATED: 'TRUNCATED',
  INDEFINITE_LENGTH: 'INDEFINITE_LENGTH',
  NON_MINIMAL_LENGTH: 'NON_MINIMAL_LENGTH',
  LENGTH_TOO_LARGE: 'LENGTH_TOO_LARGE',
  HIGH_TAG_NUMBER: 'HIGH_TAG_NUMBER',
  UNEXPECTED_TAG: 'UNEXPECTED_TAG',
  TRAILING_BYTES: 'TRAILING_BYTES',
  NOT_CONSTRUCTED: 'NOT_CONSTRUCTED',
  TOO_DEEP: 'TOO_DEEP',
  BAD_VALUE: 'BAD_VALUE',
} as const;
export type DerErrorReason = (typeof DerErrorReason)[keyof typeof DerErrorReason];

/** Malformed or non-DER input; `offset` is where in the outermost input the problem starts. */
export class DerError extends Error {
  override readonly name = 'DerError';
  constructor(
    readonly reason: DerErrorReason,
    readonly offset: number,
    detail: string,
  ) {
    super(`DER ${reason} at offset ${offset}: ${detail}`);
  }
}

/** One TLV. `value` and `raw` are views into the input, not copies. */
export interface DerElement {
  /** The identifier octet. */
  readonly tag: number;
  /** Content octets. */
  readonly value: Uint8Array;
  /** The whole TLV (identifier, length, content): what a signature covers for `tbsCertificate`. */
  readonly raw: Uint8Array;
  /** Offset of the TLV in the outermost input given to a DerReader. */
  readonly offset: number;
  /** Nesting depth (0 for top-level elements). */
  readonly depth: number;
}

function tagName(tag: number): string {
  return `0x${tag.toString(16).padStart(2, '0')}`;
}

/** A cursor over a sequence of TLVs (the top level of an input, or an element's children). */
export class DerReader {
  #position = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly baseOffset: number,
    private readonly depth: number,
  ) {}

  /** A reader over the top level of `bytes`. */
  static of(bytes: Uint8Array): DerReader {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('DerReader.of: Uint8Array expected');
    return new DerReader(bytes, 0, 0);
  }

  /** A reader over the children of a constructed element (SEQUENCE, SET, EXPLICIT [n]). */
  static children(element: DerElement): DerReader {
    assertElement(element, 'DerReader.children');
    if ((element.tag & CONSTRUCTED) === 0) {
      throw new DerError(
        DerErrorReason.NOT_CONSTRUCTED,
        element.offset,
        `tag ${tagName(element.tag)} is primitive`,
      );
    }
    if (element.depth + 1 > DER_DEPTH_MAX) {
      throw new DerError(DerErrorReason.TOO_DEEP, element.offset, `nesting deeper than ${DER_DEPTH_MAX}`);
    }
    const headerBytes = element.raw.byteLength - element.value.byteLength;
    return new DerReader(element.value, element.offset + headerBytes, element.depth + 1);
  }

  get done(): boolean {
    return this.#position >= this.bytes.byteLength;
  }

  /** Offset of the next element in the outermost input. */
  get offset(): number {
    return this.baseOffset + this.#position;
  }

  /** The identifier octet of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.#position];
  }

  /** Reads the next TLV. */
  next(): DerElement {
    const start = this.#position;
    const at = this.baseOffset + start;
    if (this.done) throw new DerError(DerErrorReason.TRUNCATED, at, 'expected an element, found the end');
    const tag = this.bytes[start] as number;
    if ((tag & 0x1f) === 0x1f)
      throw new DerError(DerErrorReason.HIGH_TAG_NUMBER, at, 'multi-octet tags are refused');
    const { length, headerBytes } = this.readLength(start + 1, at);
    const end = start + headerBytes + length;
    if (end > this.bytes.byteLength) {
      throw new DerError(DerErrorReason.TRUNCATED, at, `length ${length} runs past the end of the input`);
    }
    this.#position = end;
    return {
      tag,
      value: this.bytes.subarray(start + headerBytes, end),
      raw: this.bytes.subarray(start, end),
      offset: at,
      depth: this.depth,
    };
  }

  private readLength(index: number, at: number): { length: number; headerBytes: number } {
    if (index >= this.bytes.byteLength) throw new DerError(DerErrorReason.TRUNCATED, at, 'missing length');
    const first = this.bytes[index] as number;
    if (first < 0x80) return { length: first, headerBytes: 2 };
    if (first === 0x80) throw new DerError(DerErrorReason.INDEFINITE_LENGTH, at, 'indefinite length');
    const octets = first & 0x7f;
    if (octets > LENGTH_OCTETS_MAX) {
      throw new DerError(
        DerErrorReason.LENGTH_TOO_LARGE,
        at,
        `${octets} length octets (max ${LENGTH_OCTETS_MAX})`,
      );
    }
    if (index + octets >= this.bytes.byteLength)
      throw new DerError(DerErrorReason.TRUNCATED, at, 'truncated length');
    if (this.bytes[index + 1] === 0)
      throw new DerError(DerErrorReason.NON_MINIMAL_LENGTH, at, 'length has a leading zero');
    let length = 0;
    for (let i = 1; i <= octets; i++) length = length * 256 + (this.bytes[index + i] as number);
    if (length < 0x80)
      throw new DerError(DerErrorReason.NON_MINIMAL_LENGTH, at, `length ${length} needs the short form`);
    return { length, headerBytes: 2 + octets };
  }

  /** Reads the next element and checks its tag; `what` names it in the error. */
  expect(tag: number, what: string): DerElement {
    const found = this.peekTag();
    if (found !== tag) {
      const seen = found === undefined ? 'the end' : `tag ${tagName(found)}`;
      throw new DerError(
        DerErrorReason.UNEXPECTED_TAG,
        this.offset,
        `${what}: expected tag ${tagName(tag)}, found ${seen}`,
      );
    }
    return this.next();
  }

  /** Reads the next element when it has this tag (OPTIONAL and DEFAULT fields). */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.next() : undefined;
  }

  /** Asserts that nothing follows; `what` names the enclosing structure in the error. */
  end(what: string): void {
    if (!this.done)
      throw new DerError(DerErrorReason.TRAILING_BYTES, this.offset, `unexpected data after ${what}`);
  }
}

/** Reads exactly one TLV that spans the whole input. */
export function readDer(bytes: Uint8Array): DerElement {
  const reader = DerReader.of(bytes);
  const element = reader.next();
  reader.end('the top-level element');
  return element;
}

function assertElement(element: DerElement, what: string): void {
  if (element === null || typeof element !== 'object' || !(element.value instanceof Uint8Array)) {
    throw new TypeError(`${what}: a DerElement (from DerReader) expected`);
  }
}

function badValue(element: DerElement, detail: string): DerError {
  return new DerError(DerErrorReason.BAD_VALUE, element.offset, detail);
}

function checkTag(element: DerElement, tag: number, what: string): void {
  assertElement(element, what);
  if (element.tag !== tag) {
    throw new DerError(
      DerErrorReason.UNEXPECTED_TAG,
      element.offset,
      `${what}: expected tag ${tagName(tag)}, found ${tagName(element.tag)}`,
    );
  }
}

// ---- decoders -----------------------------------------------------------------------------

/** INTEGER (or an IMPLICIT-tagged one: pass its tag) as a bigint; refuses non-minimal forms. */
export function decodeInteger(element: DerElement, tag: number = DerTag.INTEGER): bigint {
  checkTag(element, tag, 'INTEGER');
  const v = element.value;
  if (v.byteLength === 0) throw badValue(element, 'empty INTEGER');
  if (v.byteLength > 1) {
    const redundantZero = v[0] === 0x00 && ((v[1] as number) & 0x80) === 0;
    const redundantOnes = v[0] === 0xff && ((v[1] as number) & 0x80) !== 0;
    if (redundantZero || redundantOnes) throw badValue(element, 'INTEGER is not minimally encoded');
  }
  let n = BigInt.asUintN(v.byteLength * 8, BigInt(`0x${toHex(v)}`));
  if (((v[0] as number) & 0x80) !== 0) n -= 1n << BigInt(v.byteLength * 8);
  return n;
}

export function decodeBoolean(element: DerElement): boolean {
  checkTag(element, DerTag.BOOLEAN, 'BOOLEAN');
  if (element.value.byteLength !== 1) throw badValue(element, 'BOOLEAN must be one octet');
  if (element.value[0] === 0xff) return true;
  if (element.value[0] === 0x00) return false;
  throw badValue(element, 'DER BOOLEAN must be 0x00 or 0xff');
}

export function decodeNull(element: DerElement): null {
  checkTag(element, DerTag.NULL, 'NULL');
  if (element.value.byteLength !== 0) throw badValue(element, 'NULL must be empty');
  return null;
}

/** OBJECT IDENTIFIER in dotted form (`1.3.101.112`). */
export function decodeOid(element: DerElement): string {
  checkTag(element, DerTag.OID, 'OBJECT IDENTIFIER');
  const v = element.value;
  if (v.byteLength === 0) throw badValue(element, 'empty OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let arc = 0n;
  let started = false;
  for (let i = 0; i < v.byteLength; i++) {
    const octet = v[i] as number;
    if (!started && octet === 0x80) throw badValue(element, 'OID sub-identifier has a leading 0x80');
    started = true;
    arc = (arc << 7n) | BigInt(octet & 0x7f);
    if ((octet & 0x80) === 0) {
      arcs.push(arc);
      arc = 0n;
      started = false;
    }
  }
  if (started) throw badValue(element, 'OID ends inside a sub-identifier');
  const first = arcs[0] as bigint;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

export interface BitString {
  /** Number of unused bits in the last octet (0..7); they are zero. */
  readonly unusedBits: number;
  readonly bytes: Uint8Array;
}

export function decodeBitString(element: DerElement): BitString {
  checkTag(element, DerTag.BIT_STRING, 'BIT STRING');
  const v = element.value;
  if (v.byteLength === 0) throw badValue(element, 'BIT STRING lacks its unused-bits octet');
  const unusedBits = v[0] as number;
  if (unusedBits > 7) throw badValue(element, `BIT STRING unused bits ${unusedBits} > 7`);
  if (v.byteLength === 1 && unusedBits !== 0) throw badValue(element, 'empty BIT STRING with unused bits');
  const bytes = v.subarray(1);
  if (unusedBits > 0 && ((bytes[bytes.byteLength - 1] as number) & ((1 << unusedBits) - 1)) !== 0) {
    throw badValue(element, 'BIT STRING padding bits are not zero');
  }
  return { unusedBits, bytes };
}

export function decodeOctetString(element: DerElement, tag: number = DerTag.OCTET_STRING): Uint8Array {
  checkTag(element, tag, 'OCTET STRING');
  return element.value;
}

/** The PrintableString character set (X.680 §41.4). */
export const PRINTABLE_PATTERN = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
// eslint-disable-next-line no-control-regex
export const IA5_PATTERN = /^[\x00-\x7f]*$/;

/** UTF8String, PrintableString or IA5String as a JS string. */
export function decodeString(element: DerElement): string {
  assertElement(element, 'decodeString');
  switch (element.tag) {
    case DerTag.UTF8_STRING:
      try {
        return utf8Text(element.value);
      } catch (cause) {
        throw Object.assign(badValue(element, 'UTF8String is not valid UTF-8'), { cause });
      }
    case DerTag.PRINTABLE_STRING: {
      const text = String.fromCharCode(...element.value);
      if (!PRINTABLE_PATTERN.test(text))
        throw badValue(element, 'PrintableString holds a character outside its set');
      return text;
    }
    case DerTag.IA5_STRING: {
      const text = String.fromCharCode(...element.value);
      if (!IA5_PATTERN.test(text)) throw badValue(element, 'IA5String holds a non-ASCII octet');
      return text;
    }
    default:
      throw new DerError(
        DerErrorReason.UNEXPECTED_TAG,
        element.offset,
        `expected a string, found tag ${tagName(element.tag)}`,
      );
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/**
 * UTCTime (`YYMMDDHHMMSSZ`, years 50..99 are 19xx as RFC 5280 says) or GeneralizedTime
 * (`YYYYMMDDHHMMSSZ`, no fraction as RFC 5280 asks), as milliseconds since the epoch.
 */
export function decodeTime(element: DerElement): number {
  assertElement(element, 'decodeTime');
  const text = String.fromCharCode(...element.value);
  let match: RegExpExecArray | null;
  let year: number;
  if (element.tag === DerTag.UTC_TIME) {
    match = UTC_TIME.exec(text);
    if (!match) throw badValue(element, `UTCTime ${JSON.stringify(text)} is not YYMMDDHHMMSSZ`);
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (element.tag === DerTag.GENERALIZED_TIME) {
    match = GENERALIZED_TIME.exec(text);
    if (!match) throw badValue(element, `GeneralizedTime ${JSON.stringify(text)} is not YYYYMMDDHHMMSSZ`);
    year = Number(match[1]);
  } else {
    throw new DerError(
      DerErrorReason.UNEXPECTED_TAG,
      element.offset,
      `expected a time, found tag ${tagName(element.tag)}`,
    );
  }
  const [month, day, hour, minute, second] = match.slice(2).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  // Date.UTC silently rolls over (Feb 30 → Mar 2): refuse dates that do not exist.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw badValue(element, `time ${JSON.stringify(text)} does not exist`);
  }
  return ms;
}

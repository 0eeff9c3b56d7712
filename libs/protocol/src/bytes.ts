/**
 * Small byte-array helpers that run in Node and in the browser (no Buffer).
 */

/** Concatenates byte strings into a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) {
    if (!(part instanceof Uint8Array)) throw new TypeError('concatBytes: every part must be a Uint8Array');
    length += part.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** True when both arrays hold the same bytes. Not constant-time: for public data only. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array))
    throw new TypeError('bytesEqual: Uint8Array expected');
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic order of byte strings (a shorter prefix sorts first): -1, 0 or 1. */
export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array))
    throw new TypeError('compareBytes: Uint8Array expected');
  const n = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.byteLength === b.byteLength) return 0;
  return a.byteLength < b.byteLength ? -1 : 1;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('utf8Bytes: string expected');
  return utf8Encoder.encode(text);
}

/** Decodes UTF-8, refusing malformed sequences (throws TypeError). A leading BOM is kept as U+FEFF. */
export function utf8Text(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('utf8Text: Uint8Array expected');
  return utf8Decoder.decode(bytes);
}

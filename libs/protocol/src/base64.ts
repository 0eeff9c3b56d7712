/**
 * Base64 (RFC 4648 §4, standard alphabet, with padding), how the wire contract carries X.509
 * certificates. Pure JavaScript for the browser. Decoding is strict: wrong alphabet, missing
 * padding, whitespace and non-zero trailing bits are refused, so that a certificate has exactly
 * one spelling and its string can serve as a cache key and be compared as is.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export class Base64Error extends Error {
  override readonly name = 'Base64Error';
}

export function toBase64(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('toBase64: Uint8Array expected');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.byteLength; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.byteLength - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** True when `value` is canonical padded base64 (see fromBase64). */
export function isBase64(value: unknown): value is string {
  if (typeof value !== 'string' || !BASE64_PATTERN.test(value)) return false;
  return trailingBitsZero(value);
}

function trailingBitsZero(text: string): boolean {
  if (text.endsWith('==')) return (DECODE[text.charCodeAt(text.length - 3)]! & 0x0f) === 0;
  if (text.endsWith('=')) return (DECODE[text.charCodeAt(text.length - 2)]! & 0x03) === 0;
  return true;
}

/** Decodes canonical padded base64; throws Base64Error otherwise. */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new Base64Error('base64 must be a string');
  if (!BASE64_PATTERN.test(text)) throw new Base64Error('not padded standard base64');
  if (!trailingBitsZero(text)) throw new Base64Error('base64 has non-zero trailing bits (not canonical)');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = DECODE[text.charCodeAt(i)]!;
    const b = DECODE[text.charCodeAt(i + 1)]!;
    const c = text[i + 2] === '=' ? 0 : DECODE[text.charCodeAt(i + 2)]!;
    const d = text[i + 3] === '=' ? 0 : DECODE[text.charCodeAt(i + 3)]!;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

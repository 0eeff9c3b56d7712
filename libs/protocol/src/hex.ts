/**
 * Lowercase hex, the wire contract's representation of hashes, signatures, nonces and public
 * keys. Pure JavaScript so that it runs in the browser too; decoding is strict (lowercase, even
 * length) because the same bytes must have exactly one spelling on the wire.
 */
const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;
const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('toHex: Uint8Array expected');
  let out = '';
  for (let i = 0; i < bytes.byteLength; i++) out += BYTE_TO_HEX[bytes[i] as number];
  return out;
}

/** True when `value` is lowercase hex of an even length (optionally of exactly `bytes` bytes). */
export function isHex(value: unknown, bytes?: number): value is string {
  if (typeof value !== 'string') return false;
  if (bytes !== undefined && value.length !== bytes * 2) return false;
  return HEX_PATTERN.test(value);
}

function nibble(code: number): number {
  // '0'..'9' = 48..57, 'a'..'f' = 97..102; isHex has already refused anything else.
  return code <= 57 ? code - 48 : code - 87;
}

/** Decodes lowercase hex of even length; throws TypeError otherwise. */
export function fromHex(hex: string): Uint8Array {
  if (!isHex(hex))
    throw new TypeError(`not lowercase hex of even length: ${JSON.stringify(String(hex).slice(0, 80))}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }
  return out;
}

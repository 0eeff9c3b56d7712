/** Lowercase hex encoding of bytes, the wire contract's representation of hashes, signatures and nonces. */
const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** True when `value` is lowercase hex of an even length (optionally of exactly `bytes` bytes). */
export function isHex(value: unknown, bytes?: number): value is string {
  if (typeof value !== 'string' || !HEX_PATTERN.test(value)) return false;
  return bytes === undefined || value.length === bytes * 2;
}

export function fromHex(hex: string): Uint8Array {
  if (!isHex(hex)) throw new TypeError(`not lowercase hex of even length: ${JSON.stringify(String(hex).slice(0, 80))}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

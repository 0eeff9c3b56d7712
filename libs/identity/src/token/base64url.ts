/** RFC 4648 §5 base64url without padding, as JWS uses it. */
import { fromBase64, toBase64 } from '@civic/protocol';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Decodes base64url without padding; throws TypeError on any other character or a bad length. */
export function fromBase64Url(text: string): Uint8Array {
  if (typeof text !== 'string' || !BASE64URL.test(text) || text.length % 4 === 1) {
    throw new TypeError('not base64url');
  }
  const padded = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return fromBase64(padded);
}

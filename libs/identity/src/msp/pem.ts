import { createPrivateKey } from 'node:crypto';
import {
  derInteger,
  derOctetString,
  derSequence,
  encodeEd25519Algorithm,
  fromBase64,
  isBase64,
  keyPairFromSeed,
  toBase64,
  type CertBase64,
  type Ed25519KeyPair,
} from '@civic/protocol';

/**
 * PEM files for humans and tools (openssl, node:crypto): certificates as `CERTIFICATE`,
 * private keys as PKCS#8 `PRIVATE KEY` (RFC 8410 §7). The wire and configs carry base64 DER.
 */

export class PemError extends Error {
  override readonly name = 'PemError';
}

const PEM_LINE_CHARS = 64;
/** Bound on a PEM text we read: ours are under 1 KiB. */
export const PEM_CHARS_MAX = 64 * 1024;

function toPem(label: string, base64: string): string {
  const lines = base64.match(new RegExp(`.{1,${PEM_LINE_CHARS}}`, 'g')) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside the first `label` block of a PEM text. */
function fromPem(label: string, pem: string): Uint8Array {
  if (typeof pem !== 'string' || pem.length > PEM_CHARS_MAX) {
    throw new PemError(`PEM must be a string of at most ${PEM_CHARS_MAX} characters`);
  }
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new PemError(`no -----BEGIN ${label}----- block`);
  const body = match[1]!.replace(/\s+/g, '');
  if (!isBase64(body)) throw new PemError(`${label} PEM body is not base64`);
  return fromBase64(body);
}

/** PEM text of a base64 DER certificate. */
export function certificateToPem(cert: CertBase64): string {
  if (!isBase64(cert)) throw new PemError('certificate must be canonical base64 DER');
  return toPem('CERTIFICATE', cert);
}

/** The canonical base64 DER of the first certificate in a PEM text. */
export function certificateFromPem(pem: string): CertBase64 {
  return toBase64(fromPem('CERTIFICATE', pem));
}

/** PKCS#8 PEM of an Ed25519 private key: SEQUENCE { 0, id-Ed25519, OCTET STRING { seed } }. */
export function privateKeyToPem(keyPair: Ed25519KeyPair): string {
  const der = derSequence(
    derInteger(0),
    encodeEd25519Algorithm(),
    derOctetString(derOctetString(keyPair.seed)),
  );
  return toPem('PRIVATE KEY', toBase64(der));
}

/** An Ed25519 key pair from PKCS#8 PEM (as written by privateKeyToPem or openssl). */
export function privateKeyFromPem(pem: string): Ed25519KeyPair {
  const der = fromPem('PRIVATE KEY', pem);
  let pkcs8: Buffer;
  try {
    const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'ed25519')
      throw new PemError(`private key is ${key.asymmetricKeyType}, Ed25519 expected`);
    // Re-exported without optional attributes: it then ends with the 32-byte seed.
    pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  } catch (cause) {
    if (cause instanceof PemError) throw cause;
    throw new PemError('not a PKCS#8 private key', { cause });
  }
  return keyPairFromSeed(new Uint8Array(pkcs8.subarray(pkcs8.byteLength - 32)));
}

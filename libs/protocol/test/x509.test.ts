import { describe, expect, it } from 'vitest';
import {
  CertificateError,
  certificatePublicKey,
  certificateSignedBy,
  derBitString,
  derExplicit,
  derInteger,
  derSequence,
  encodeEd25519Algorithm,
  formatName,
  fromBase64,
  parseCertificate,
  parseCertificateDer,
  readDer,
  DerReader,
  toBase64,
  toHex,
} from '../src/index.js';
import openssl from './fixtures/openssl-certificates.json' with { type: 'json' };
import { issueTestCertificate, testKey } from './helpers/certificates.js';

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CertificateError) return error.reason;
    throw error;
  }
  throw new Error('expected a CertificateError');
}

describe('X.509 against OpenSSL-made certificates', () => {
  it('parses the self-signed CA', () => {
    const ca = parseCertificate(openssl.ca.base64);
    expect(ca.serialHex).toBe(openssl.ca.serialHex);
    expect(toHex(ca.publicKey)).toBe(openssl.ca.publicKeyHex);
    expect(ca.notBefore).toBe(openssl.ca.notBefore);
    expect(ca.notAfter).toBe(openssl.ca.notAfter);
    expect(ca.isCa).toBe(true);
    expect(ca.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(formatName(ca.subject)).toBe('C=NL, O=Gemeente Utrecht, OU=admin, CN=Root CA');
    expect(ca.issuer).toEqual(ca.subject);
    expect(ca.subjectKeyIdHex).toBe('ce7a05f8c42e127acc2749761b274975dab9fbff');
    expect(ca.authorityKeyIdHex).toBe(ca.subjectKeyIdHex);
    expect(certificateSignedBy(ca, ca.publicKey)).toBe(true);
    expect(toBase64(ca.raw)).toBe(openssl.ca.base64);
  });

  it('parses the leaf with a UTF-8 name, a 9-octet serial and checks the CA signature', () => {
    const leaf = parseCertificate(openssl.leaf.base64);
    const ca = parseCertificate(openssl.ca.base64);
    expect(leaf.serialHex).toBe(openssl.leaf.serialHex);
    expect(leaf.subject.map((a) => [a.type, a.value])).toEqual([
      ['C', 'NL'],
      ['O', 'Gemeente Utrecht'],
      ['OU', 'client'],
      ['CN', 'André de Vries'],
    ]);
    expect(leaf.subject[1]?.oid).toBe('2.5.4.10');
    expect(leaf.isCa).toBe(false);
    expect(leaf.keyUsage).toEqual(['digitalSignature']);
    expect(leaf.authorityKeyIdHex).toBe(ca.subjectKeyIdHex);
    expect(certificateSignedBy(leaf, ca.publicKey)).toBe(true);
    expect(certificateSignedBy(leaf, leaf.publicKey)).toBe(false);
    expect(toHex(certificatePublicKey(openssl.leaf.base64))).toBe(openssl.leaf.publicKeyHex);
  });

  it('caches: the same text gives the same frozen object', () => {
    const a = parseCertificate(openssl.leaf.base64);
    expect(parseCertificate(openssl.leaf.base64)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe('X.509 issued with the DER writer', () => {
  const rootKey = testKey(1);
  const rootName = [
    { type: 'O', value: 'Org1' },
    { type: 'CN', value: 'ca.org1' },
  ];

  it('round-trips the fields of a chain', () => {
    const root = issueTestCertificate({ subject: rootName, subjectKey: rootKey, isCa: true, serial: 7n });
    const userKey = testKey(2);
    const user = issueTestCertificate({
      subject: [
        { type: 'O', value: 'Org1' },
        { type: 'OU', value: 'client' },
        { type: 'CN', value: 'user1' },
      ],
      subjectKey: userKey,
      issuer: { name: rootName, key: rootKey },
      serial: (1n << 104n) - 1n,
      notBeforeMs: Date.UTC(2025, 5, 1),
      notAfterMs: Date.UTC(2060, 5, 1),
    });
    const r = parseCertificate(root);
    const u = parseCertificate(user);
    expect(r.isCa).toBe(true);
    expect(r.serialHex).toBe('07');
    expect(u.serialHex).toBe('ff'.repeat(13));
    expect(u.notBefore).toBe('2025-06-01T00:00:00.000Z');
    expect(u.notAfter).toBe('2060-06-01T00:00:00.000Z');
    expect(u.notAfterMs).toBe(Date.UTC(2060, 5, 1));
    expect(formatName(u.issuer)).toBe('O=Org1, CN=ca.org1');
    expect(u.publicKey).toEqual(userKey.publicKey);
    expect(certificateSignedBy(u, rootKey.publicKey)).toBe(true);
  });
});

describe('X.509 refusals', () => {
  const key = testKey(3);
  const good = issueTestCertificate({ subject: [{ type: 'CN', value: 'x' }], subjectKey: key });

  /** Rebuilds a certificate with one tbs field replaced (index in tbs children). */
  function withTbsField(index: number, replacement: Uint8Array | null): string {
    const outer = DerReader.children(readDer(fromBase64(good)));
    const tbs = DerReader.children(outer.next());
    const fields: Uint8Array[] = [];
    while (!tbs.done) fields.push(tbs.next().raw);
    if (replacement === null) fields.splice(index, 1);
    else fields[index] = replacement;
    const newTbs = derSequence(...fields);
    return toBase64(derSequence(newTbs, encodeEd25519Algorithm(), derBitString(new Uint8Array(64))));
  }

  it.each([
    ['not base64', 'MIIB*', 'NOT_BASE64'],
    ['non-canonical base64', 'AB==', 'NOT_BASE64'],
    ['garbage DER', 'AAAA', 'MALFORMED'],
    ['too large', 'A'.repeat(30000), 'TOO_LARGE'],
  ])('refuses %s', (_what, text, reason) => {
    expect(reasonOf(() => parseCertificate(text))).toBe(reason);
  });

  it('refuses v1, bad serials, non-Ed25519 keys, and trailing data', () => {
    expect(reasonOf(() => parseCertificate(withTbsField(0, null)))).toBe('MALFORMED');
    expect(reasonOf(() => parseCertificate(withTbsField(0, derExplicit(0, derInteger(1)))))).toBe(
      'UNSUPPORTED',
    );
    expect(reasonOf(() => parseCertificate(withTbsField(1, derInteger(0))))).toBe('MALFORMED');
    expect(reasonOf(() => parseCertificate(withTbsField(1, derInteger(-5))))).toBe('MALFORMED');
    expect(reasonOf(() => parseCertificate(withTbsField(1, derInteger(1n << 170n))))).toBe('MALFORMED');
    const rsaAlgorithm = derSequence(fromBase64('BgkqhkiG9w0BAQE='), fromBase64('BQA='));
    expect(reasonOf(() => parseCertificate(withTbsField(2, rsaAlgorithm)))).toBe('UNSUPPORTED');
    const shortKey = derSequence(encodeEd25519Algorithm(), derBitString(new Uint8Array(31)));
    expect(reasonOf(() => parseCertificate(withTbsField(6, shortKey)))).toBe('MALFORMED');
    const der = fromBase64(good);
    const trailing = new Uint8Array(der.byteLength + 1);
    trailing.set(der);
    expect(reasonOf(() => parseCertificateDer(trailing))).toBe('MALFORMED');
  });

  it('refuses an unknown critical extension but keeps an unknown non-critical one', () => {
    const ext = (critical: boolean) =>
      derExplicit(
        3,
        derSequence(
          derSequence(
            fromBase64('BgMqAwQ='), // OID 1.2.3.4
            ...(critical ? [fromBase64('AQH/')] : []),
            fromBase64('BAIFAA=='), // OCTET STRING { NULL }
          ),
        ),
      );
    expect(reasonOf(() => parseCertificate(withTbsField(7, ext(true))))).toBe('UNSUPPORTED');
    const cert = parseCertificate(withTbsField(7, ext(false)));
    expect(cert.extensions).toEqual([{ oid: '1.2.3.4', critical: false, value: Uint8Array.of(5, 0) }]);
    expect(cert.isCa).toBe(false);
    expect(cert.keyUsage).toBeUndefined();
  });

  it('never throws anything but CertificateError for corrupted certificates', () => {
    const der = fromBase64(good);
    for (let bit = 0; bit < der.byteLength * 8; bit++) {
      const copy = new Uint8Array(der);
      copy[bit >> 3]! ^= 0x80 >> (bit & 7);
      try {
        const parsed = parseCertificateDer(copy);
        // A flip that still parses must break the signature.
        expect(certificateSignedBy(parsed, key.publicKey)).toBe(false);
      } catch (error) {
        expect(error).toBeInstanceOf(CertificateError);
      }
    }
  });
});

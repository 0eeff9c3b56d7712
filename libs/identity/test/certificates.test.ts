import { X509Certificate, createPrivateKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, keyPairFromSeed, parseCertificate, sha256, toBase64, utf8Bytes } from '@civic/protocol';
import {
  certificateFromPem,
  certificateToPem,
  createRootCa,
  CertificateIssueError,
  issueIdentityCert,
  normalizeSerialHex,
  PemError,
  privateKeyFromPem,
  privateKeyToPem,
  randomSerialHex,
} from '../src/index.js';

const key = (name: string) => keyPairFromSeed(sha256(utf8Bytes(name)));
const validity = { notBeforeMs: Date.UTC(2026, 0, 1), notAfterMs: Date.UTC(2028, 0, 1) };
const ca = createRootCa({ mspId: 'RVO', keyPair: key('ca'), serialHex: '0a0b', ...validity });
const leafKey = key('leaf');
const leaf = issueIdentityCert(ca, {
  commonName: 'rvo-admin',
  role: 'admin',
  publicKey: leafKey.publicKey,
  serialHex: '7f01',
  ...validity,
});

/** node:crypto's view of a base64 DER certificate: proves the DER is standard X.509. */
const nodeCert = (b64: string) => new X509Certificate(Buffer.from(fromBase64(b64)));

describe('certificate issuance', () => {
  it('writes a self-signed root CA that node:crypto accepts', () => {
    const x = nodeCert(ca.cert);
    expect(x.ca).toBe(true);
    expect(x.subject).toBe('O=RVO\nCN=RVO Root CA');
    expect(x.issuer).toBe(x.subject);
    expect(x.serialNumber.toLowerCase()).toBe('0a0b');
    expect(x.verify(x.publicKey)).toBe(true);
    const parsed = parseCertificate(ca.cert);
    expect(parsed.isCa).toBe(true);
    expect(parsed.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('writes leaf certificates with the role in OU, verified by the root key', () => {
    const x = nodeCert(leaf);
    expect(x.ca).toBe(false);
    expect(x.subject).toBe('O=RVO\nOU=admin\nCN=rvo-admin');
    expect(x.issuer).toBe('O=RVO\nCN=RVO Root CA');
    expect(x.checkIssued(nodeCert(ca.cert))).toBe(true);
    expect(x.verify(nodeCert(ca.cert).publicKey)).toBe(true);
    expect(x.verify(x.publicKey)).toBe(false);
    expect(new Date(x.validFrom).getTime()).toBe(validity.notBeforeMs);
    expect(new Date(x.validTo).getTime()).toBe(validity.notAfterMs);
    expect(Buffer.from(x.publicKey.export({ format: 'der', type: 'spki' })).subarray(-32)).toEqual(
      Buffer.from(leafKey.publicKey),
    );
    const parsed = parseCertificate(leaf);
    expect(parsed.keyUsage).toEqual(['digitalSignature']);
    expect(parsed.authorityKeyIdHex).toBe(parseCertificate(ca.cert).subjectKeyIdHex);
  });

  it('is refused by node:crypto once a byte of the signed part changes', () => {
    const der = Buffer.from(fromBase64(leaf));
    const cn = der.indexOf('rvo-admin');
    der[cn] = 'x'.charCodeAt(0);
    const tampered = new X509Certificate(der);
    expect(tampered.subject).toContain('CN=xvo-admin');
    expect(tampered.verify(nodeCert(ca.cert).publicKey)).toBe(false);
  });

  it('uses UTCTime before 2050 and GeneralizedTime after', () => {
    const late = createRootCa({
      mspId: 'X',
      keyPair: key('x'),
      notBeforeMs: Date.UTC(2049, 0, 1),
      notAfterMs: Date.UTC(2060, 0, 1),
    });
    const x = nodeCert(late.cert);
    expect(new Date(x.validTo).getUTCFullYear()).toBe(2060);
    expect(parseCertificate(late.cert).notAfter).toBe('2060-01-01T00:00:00.000Z');
  });

  it('refuses bad requests with a typed error', () => {
    expect(() => createRootCa({ mspId: '1x', keyPair: key('a'), ...validity })).toThrow(
      CertificateIssueError,
    );
    expect(() =>
      createRootCa({ mspId: 'A', keyPair: key('a'), notBeforeMs: 1500, notAfterMs: 3000 }),
    ).toThrow(/whole seconds/);
    expect(() =>
      createRootCa({ mspId: 'A', keyPair: key('a'), notBeforeMs: 2000, notAfterMs: 1000 }),
    ).toThrow(/after/);
    expect(() =>
      issueIdentityCert(ca, {
        commonName: 'a',
        role: 'boss' as never,
        publicKey: leafKey.publicKey,
        ...validity,
      }),
    ).toThrow(/role/);
    expect(() =>
      issueIdentityCert(ca, { commonName: '', role: 'admin', publicKey: leafKey.publicKey, ...validity }),
    ).toThrow(/commonName/);
    expect(() => normalizeSerialHex('00')).toThrow(/positive/);
    expect(() => normalizeSerialHex('XY')).toThrow(/hex/);
    expect(normalizeSerialHex('0001ff')).toBe('01ff');
    expect(normalizeSerialHex('abc')).toBe('0abc');
  });

  it('draws random 16-byte positive serials', () => {
    const serials = new Set(Array.from({ length: 20 }, randomSerialHex));
    expect(serials.size).toBe(20);
    for (const serial of serials) expect(normalizeSerialHex(serial)).toBe(serial);
    const issued = createRootCa({ mspId: 'A', keyPair: key('a'), ...validity });
    expect(parseCertificate(issued.cert).serialHex).toHaveLength(32);
  });
});

describe('PEM', () => {
  it('round-trips certificates', () => {
    const pem = certificateToPem(leaf);
    expect(pem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(pem.split('\n').every((line) => line.length <= 64)).toBe(true);
    expect(certificateFromPem(pem)).toBe(leaf);
    expect(new X509Certificate(pem).subject).toContain('CN=rvo-admin');
    expect(() => certificateFromPem('nothing')).toThrow(PemError);
  });

  it('round-trips PKCS#8 private keys that node:crypto can sign with', () => {
    const pem = privateKeyToPem(leafKey);
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    const back = privateKeyFromPem(pem);
    expect(toBase64(back.publicKey)).toBe(toBase64(leafKey.publicKey));
    const message = utf8Bytes('hello');
    // node:crypto reads the PEM, and its signature verifies under the certificate's key.
    const signature = nodeSign(null, message, createPrivateKey(pem));
    expect(nodeVerify(null, message, nodeCert(leaf).publicKey, signature)).toBe(true);
    expect(() => privateKeyFromPem(certificateToPem(leaf))).toThrow(PemError);
    expect(() => privateKeyFromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(
      /PKCS#8/,
    );
  });
});

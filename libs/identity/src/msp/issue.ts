import { randomBytes } from 'node:crypto';
import {
  contextTag,
  DerReader,
  DerTag,
  readDer,
  derBitString,
  derBoolean,
  derEncode,
  derExplicit,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  derTime,
  derUnsignedInteger,
  encodeEd25519Algorithm,
  encodeEd25519PublicKeyInfo,
  encodeName,
  fromHex,
  NamePattern,
  OID,
  parseCertificateDer,
  sha256,
  signEd25519,
  toBase64,
  type Certificate,
  type CertBase64,
  type Ed25519KeyPair,
} from '@civic/protocol';
import { isRole, type Role } from '../roles.js';

/**
 * Certificate issuance: X.509 v3 with Ed25519 keys and signatures (RFC 8410). Each
 * organisation has a self-signed root CA (basicConstraints cA, keyUsage keyCertSign and
 * cRLSign); identities get leaf certificates issued directly by the root (basicConstraints
 * without cA, keyUsage digitalSignature) whose subject carries the role in OU and the mspId in
 * O. Names are written most significant first (O, OU, CN), as X.509 tools expect; in RFC 4514
 * string form that reads `CN=<name>, OU=<role>, O=<mspId>`.
 */

export class CertificateIssueError extends Error {
  override readonly name = 'CertificateIssueError';
}

/** Serial numbers are 16 random bytes unless injected (tests, test vectors). */
export const SERIAL_BYTES = 16;

export interface Validity {
  /** Epoch milliseconds, whole seconds (X.509 has no fractions). */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

/** An organisation's root CA: its certificate and signing key. */
export interface CertificateAuthority {
  readonly mspId: string;
  readonly cert: CertBase64;
  readonly certificate: Certificate;
  readonly keyPair: Ed25519KeyPair;
}

export interface RootCaRequest extends Validity {
  readonly mspId: string;
  readonly keyPair: Ed25519KeyPair;
  /** CN of the CA; default `<mspId> Root CA`. */
  readonly commonName?: string;
  /** Lowercase hex; default 16 random bytes. */
  readonly serialHex?: string;
}

export interface IdentityRequest extends Validity {
  /** The identity's name, e.g. `rvo-admin`, `orderer1`. */
  readonly commonName: string;
  readonly role: Role;
  readonly publicKey: Uint8Array;
  readonly serialHex?: string;
}

/** Serial as a positive INTEGER's canonical hex (even length, no redundant leading zeros). */
export function normalizeSerialHex(serialHex: string): string {
  if (typeof serialHex !== 'string' || !/^[0-9a-f]+$/.test(serialHex)) {
    throw new CertificateIssueError(`serial must be lowercase hex, got ${JSON.stringify(serialHex)}`);
  }
  const value = BigInt(`0x${serialHex}`);
  if (value <= 0n) throw new CertificateIssueError('serial must be positive');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (hex.length > 40) throw new CertificateIssueError('serial must fit in 20 bytes (RFC 5280)');
  return hex;
}

export function randomSerialHex(): string {
  const bytes = randomBytes(SERIAL_BYTES);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40; // positive and full length
  return bytes.toString('hex');
}

function checkValidity(request: Validity): void {
  const { notBeforeMs, notAfterMs } = request;
  for (const [what, ms] of [
    ['notBeforeMs', notBeforeMs],
    ['notAfterMs', notAfterMs],
  ] as const) {
    if (!Number.isSafeInteger(ms) || ms % 1000 !== 0) {
      throw new CertificateIssueError(`${what} must be whole seconds in epoch milliseconds, got ${ms}`);
    }
  }
  if (notAfterMs <= notBeforeMs) throw new CertificateIssueError('notAfterMs must be after notBeforeMs');
}

/** RFC 7093 §2 method 1: the leftmost 160 bits of SHA-256 of the public key. */
function keyIdentifier(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).subarray(0, 20);
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? derSequence(derOid(oid), derBoolean(true), derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

// KeyUsage named bits (RFC 5280 §4.2.1.3), DER with trailing zero bits dropped.
const KEY_USAGE_DIGITAL_SIGNATURE = derBitString(Uint8Array.of(0x80), 7);
const KEY_USAGE_CERT_SIGN_CRL_SIGN = derBitString(Uint8Array.of(0x06), 1);

interface TbsFields extends Validity {
  readonly serialHex: string;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly extensions: readonly Uint8Array[];
}

function signCertificate(
  fields: TbsFields,
  issuerKey: Ed25519KeyPair,
): { cert: CertBase64; certificate: Certificate } {
  const tbs = derSequence(
    derExplicit(0, derInteger(2)),
    derUnsignedInteger(fromHex(fields.serialHex)),
    encodeEd25519Algorithm(),
    fields.issuer,
    derSequence(derTime(fields.notBeforeMs), derTime(fields.notAfterMs)),
    fields.subject,
    encodeEd25519PublicKeyInfo(fields.publicKey),
    derEncode(contextTag(3, true), derSequence(...fields.extensions)),
  );
  const der = derSequence(tbs, encodeEd25519Algorithm(), derBitString(signEd25519(tbs, issuerKey)));
  return { cert: toBase64(der), certificate: parseCertificateDer(der) };
}

function caName(mspId: string, commonName: string): Uint8Array {
  return encodeName([
    { type: 'O', value: mspId },
    { type: 'CN', value: commonName },
  ]);
}

/** A self-signed root CA for an organisation. */
export function createRootCa(request: RootCaRequest): CertificateAuthority {
  if (!NamePattern.MSP_ID.test(request.mspId))
    throw new CertificateIssueError(`bad mspId ${JSON.stringify(request.mspId)}`);
  checkValidity(request);
  const name = caName(request.mspId, request.commonName ?? `${request.mspId} Root CA`);
  const keyId = keyIdentifier(request.keyPair.publicKey);
  const { cert, certificate } = signCertificate(
    {
      serialHex: normalizeSerialHex(request.serialHex ?? randomSerialHex()),
      issuer: name,
      subject: name,
      publicKey: request.keyPair.publicKey,
      notBeforeMs: request.notBeforeMs,
      notAfterMs: request.notAfterMs,
      extensions: [
        extension(OID.BASIC_CONSTRAINTS, true, derSequence(derBoolean(true))),
        extension(OID.KEY_USAGE, true, KEY_USAGE_CERT_SIGN_CRL_SIGN),
        extension(OID.SUBJECT_KEY_ID, false, derOctetString(keyId)),
      ],
    },
    request.keyPair,
  );
  return { mspId: request.mspId, cert, certificate, keyPair: request.keyPair };
}

/** A leaf certificate for an identity of the CA's organisation, role in OU. */
export function issueIdentityCert(ca: CertificateAuthority, request: IdentityRequest): CertBase64 {
  if (!isRole(request.role)) throw new CertificateIssueError(`unknown role ${JSON.stringify(request.role)}`);
  if (
    typeof request.commonName !== 'string' ||
    request.commonName.length === 0 ||
    request.commonName.length > 64
  ) {
    throw new CertificateIssueError('commonName must be 1 to 64 characters');
  }
  checkValidity(request);
  const { cert } = signCertificate(
    {
      serialHex: normalizeSerialHex(request.serialHex ?? randomSerialHex()),
      issuer: subjectDer(ca.certificate),
      subject: encodeName([
        { type: 'O', value: ca.mspId },
        { type: 'OU', value: request.role },
        { type: 'CN', value: request.commonName },
      ]),
      publicKey: request.publicKey,
      notBeforeMs: request.notBeforeMs,
      notAfterMs: request.notAfterMs,
      extensions: [
        extension(OID.BASIC_CONSTRAINTS, true, derSequence()),
        extension(OID.KEY_USAGE, true, KEY_USAGE_DIGITAL_SIGNATURE),
        extension(OID.SUBJECT_KEY_ID, false, derOctetString(keyIdentifier(request.publicKey))),
        extension(
          OID.AUTHORITY_KEY_ID,
          false,
          derSequence(derEncode(contextTag(0, false), keyIdentifier(ca.keyPair.publicKey))),
        ),
      ],
    },
    ca.keyPair,
  );
  return cert;
}

/**
 * The DER of a certificate's subject, byte for byte: a leaf's issuer must equal it exactly
 * (RFC 5280 name chaining), whatever string types the CA used.
 */
export function subjectDer(certificate: Certificate): Uint8Array {
  const tbs = DerReader.children(readDer(certificate.tbsBytes));
  tbs.next(); // [0] version
  tbs.next(); // serialNumber
  tbs.next(); // signature algorithm
  tbs.next(); // issuer
  tbs.next(); // validity
  return tbs.expect(DerTag.SEQUENCE, 'subject').raw;
}

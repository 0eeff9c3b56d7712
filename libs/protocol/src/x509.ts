/**
 * X.509 v3 certificates (RFC 5280) with Ed25519 keys and signatures (RFC 8410), the only kind
 * the ledger uses. Parsing is strict DER; anything else is refused with a CertificateError
 * that says what and where. Parsed certificates are cached by their base64 text in a bounded
 * LRU, because the same few hundred certificates come back in every envelope and block.
 *
 * The name and key encoders at the end are the building blocks libs/identity issues
 * certificates with; they are the exact inverse of what the parser reads.
 */
import { fromBase64, isBase64 } from './base64.js';
import {
  DerError,
  DerReader,
  DerTag,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeOctetString,
  decodeOid,
  decodeString,
  decodeTime,
  readDer,
  type DerElement,
} from './der.js';
import { derBitString, derOid, derSequence, derSet, derUtf8String } from './der-writer.js';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, verifyEd25519 } from './ed25519.js';
import { toHex } from './hex.js';
import { BoundedCache } from './lru.js';

export const OID = {
  ED25519: '1.3.101.112',
  COMMON_NAME: '2.5.4.3',
  SERIAL_NUMBER: '2.5.4.5',
  COUNTRY: '2.5.4.6',
  LOCALITY: '2.5.4.7',
  STATE: '2.5.4.8',
  ORGANIZATION: '2.5.4.10',
  ORGANIZATIONAL_UNIT: '2.5.4.11',
  EMAIL: '1.2.840.113549.1.9.1',
  DOMAIN_COMPONENT: '0.9.2342.19200300.100.1.25',
  SUBJECT_KEY_ID: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SUBJECT_ALT_NAME: '2.5.29.17',
  BASIC_CONSTRAINTS: '2.5.29.19',
  AUTHORITY_KEY_ID: '2.5.29.35',
  EXT_KEY_USAGE: '2.5.29.37',
} as const;

/** Short names of the name attributes the ledger uses; other types appear as their dotted OID. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  [OID.COMMON_NAME]: 'CN',
  [OID.SERIAL_NUMBER]: 'SERIALNUMBER',
  [OID.COUNTRY]: 'C',
  [OID.LOCALITY]: 'L',
  [OID.STATE]: 'ST',
  [OID.ORGANIZATION]: 'O',
  [OID.ORGANIZATIONAL_UNIT]: 'OU',
  [OID.EMAIL]: 'emailAddress',
  [OID.DOMAIN_COMPONENT]: 'DC',
};
const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ATTRIBUTE_NAMES).map(([oid, name]) => [name, oid]),
);

/** One attribute of a distinguished name, in the order the certificate lists them. */
export interface NameAttribute {
  /** `CN`, `O`, `OU`, `C`, `L`, `ST`, `SERIALNUMBER`, `emailAddress`, `DC`, or the dotted OID. */
  readonly type: string;
  readonly oid: string;
  readonly value: string;
}

/** KeyUsage bits (RFC 5280 §4.2.1.3), by name. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The content of extnValue (the DER the extension defines). */
  readonly value: Uint8Array;
}

/**
 * A parsed certificate. Cached and shared between callers: the object is frozen and its byte
 * arrays must not be modified.
 */
export interface Certificate {
  /** Serial number: lowercase hex of the positive integer, even length, no extra leading zeros. */
  readonly serialHex: string;
  readonly subject: readonly NameAttribute[];
  readonly issuer: readonly NameAttribute[];
  /** Validity start, RFC 3339 UTC with milliseconds (comparable as a string with block times). */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** The 32-byte raw Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** basicConstraints cA (false when the extension is absent). */
  readonly isCa: boolean;
  /** basicConstraints pathLenConstraint, when present. */
  readonly pathLength: number | undefined;
  /** keyUsage bits that are set, or undefined when the extension is absent. */
  readonly keyUsage: readonly KeyUsage[] | undefined;
  /** subjectKeyIdentifier as hex, when present. */
  readonly subjectKeyIdHex: string | undefined;
  /** authorityKeyIdentifier's keyIdentifier as hex, when present. */
  readonly authorityKeyIdHex: string | undefined;
  readonly extensions: readonly CertificateExtension[];
  /** The DER of tbsCertificate: what the issuer's signature covers. */
  readonly tbsBytes: Uint8Array;
  /** The issuer's 64-byte Ed25519 signature. */
  readonly signature: Uint8Array;
  /** The whole certificate's DER. */
  readonly raw: Uint8Array;
}

export const CertificateErrorReason = {
  NOT_BASE64: 'NOT_BASE64',
  TOO_LARGE: 'TOO_LARGE',
  MALFORMED: 'MALFORMED',
  UNSUPPORTED: 'UNSUPPORTED',
} as const;
export type CertificateErrorReason = (typeof CertificateErrorReason)[keyof typeof CertificateErrorReason];

export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  constructor(
    readonly reason: CertificateErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`certificate ${reason}: ${message}`, options);
  }
}

/** Bound on a certificate's DER: ours are ~400 bytes; 16 KiB leaves room and caps parsing work. */
export const CERTIFICATE_BYTES_MAX = 16 * 1024;
/** Bound on cached certificates: a channel has a few hundred identities. */
const CERTIFICATE_CACHE_MAX = 2048;
const certificateCache = new BoundedCache<string, Certificate>(CERTIFICATE_CACHE_MAX);

/** Parses a base64 DER certificate (cached by its text). Throws CertificateError. */
export function parseCertificate(base64: string): Certificate {
  if (typeof base64 !== 'string') throw new TypeError('parseCertificate: base64 string expected');
  const cached = certificateCache.get(base64);
  if (cached) return cached;
  if (base64.length > Math.ceil(CERTIFICATE_BYTES_MAX / 3) * 4) {
    throw new CertificateError(CertificateErrorReason.TOO_LARGE, `more than ${CERTIFICATE_BYTES_MAX} bytes`);
  }
  if (!isBase64(base64))
    throw new CertificateError(CertificateErrorReason.NOT_BASE64, 'not canonical padded base64');
  const certificate = parseCertificateDer(fromBase64(base64));
  certificateCache.set(base64, certificate);
  return certificate;
}

/** The 32-byte Ed25519 public key of a base64 certificate. Throws CertificateError. */
export function certificatePublicKey(base64: string): Uint8Array {
  return parseCertificate(base64).publicKey;
}

/** True when `certificate` is signed by the holder of `issuerPublicKey` (Ed25519 over tbsBytes). */
export function certificateSignedBy(certificate: Certificate, issuerPublicKey: Uint8Array): boolean {
  if (!certificate || !(certificate.tbsBytes instanceof Uint8Array)) {
    throw new TypeError('certificateSignedBy: parsed Certificate expected');
  }
  if (!(issuerPublicKey instanceof Uint8Array))
    throw new TypeError('certificateSignedBy: Uint8Array key expected');
  return verifyEd25519(certificate.tbsBytes, certificate.signature, issuerPublicKey);
}

/** Parses DER bytes (not cached). Throws CertificateError. */
export function parseCertificateDer(der: Uint8Array): Certificate {
  if (!(der instanceof Uint8Array)) throw new TypeError('parseCertificateDer: Uint8Array expected');
  if (der.byteLength > CERTIFICATE_BYTES_MAX) {
    throw new CertificateError(
      CertificateErrorReason.TOO_LARGE,
      `${der.byteLength} bytes > ${CERTIFICATE_BYTES_MAX}`,
    );
  }
  try {
    return readCertificate(new Uint8Array(der));
  } catch (error) {
    if (error instanceof DerError) {
      throw new CertificateError(CertificateErrorReason.MALFORMED, error.message, { cause: error });
    }
    throw error;
  }
}

function unsupported(message: string): CertificateError {
  return new CertificateError(CertificateErrorReason.UNSUPPORTED, message);
}

function malformed(message: string): CertificateError {
  return new CertificateError(CertificateErrorReason.MALFORMED, message);
}

function readCertificate(der: Uint8Array): Certificate {
  const certificate = readDer(der);
  const outer = DerReader.children(expectTag(certificate, DerTag.SEQUENCE, 'Certificate'));
  const tbs = outer.expect(DerTag.SEQUENCE, 'tbsCertificate');
  readEd25519Algorithm(outer.expect(DerTag.SEQUENCE, 'signatureAlgorithm'), 'signatureAlgorithm');
  const signature = readBitStringBytes(outer.expect(DerTag.BIT_STRING, 'signatureValue'), 'signatureValue');
  outer.end('Certificate');
  if (signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    throw malformed(`signature is ${signature.byteLength} bytes, Ed25519 needs ${ED25519_SIGNATURE_BYTES}`);
  }
  const body = readTbs(tbs);
  return Object.freeze({ ...body, tbsBytes: tbs.raw, signature, raw: der });
}

type TbsFields = Omit<Certificate, 'tbsBytes' | 'signature' | 'raw'>;

function readTbs(tbs: DerElement): TbsFields {
  const r = DerReader.children(tbs);
  const version = DerReader.children(r.expect(contextTag(0, true), 'version (only v3 is accepted)'));
  if (decodeInteger(version.expect(DerTag.INTEGER, 'version')) !== 2n)
    throw unsupported('only X.509 v3 is accepted');
  version.end('version');
  const serial = decodeInteger(r.expect(DerTag.INTEGER, 'serialNumber'));
  if (serial <= 0n) throw malformed('serialNumber must be positive (RFC 5280 §4.1.2.2)');
  let serialHex = serial.toString(16);
  if (serialHex.length % 2 === 1) serialHex = `0${serialHex}`;
  if (serialHex.length > 40) throw malformed('serialNumber longer than 20 octets (RFC 5280 §4.1.2.2)');
  readEd25519Algorithm(r.expect(DerTag.SEQUENCE, 'signature'), 'tbsCertificate.signature');
  const issuer = readName(r.expect(DerTag.SEQUENCE, 'issuer'));
  const validity = DerReader.children(r.expect(DerTag.SEQUENCE, 'validity'));
  const notBeforeMs = decodeTime(validity.next());
  const notAfterMs = decodeTime(validity.next());
  validity.end('validity');
  if (notAfterMs < notBeforeMs) throw malformed('notAfter is before notBefore');
  const subject = readName(r.expect(DerTag.SEQUENCE, 'subject'));
  const publicKey = readPublicKeyInfo(r.expect(DerTag.SEQUENCE, 'subjectPublicKeyInfo'));
  if (r.peekTag() === contextTag(1, false) || r.peekTag() === contextTag(2, false)) {
    throw unsupported('issuerUniqueID / subjectUniqueID are not accepted');
  }
  const extensionsElement = r.optional(contextTag(3, true));
  r.end('tbsCertificate');
  const extensions = extensionsElement ? readExtensions(extensionsElement) : [];
  return {
    serialHex,
    subject,
    issuer,
    notBefore: new Date(notBeforeMs).toISOString(),
    notAfter: new Date(notAfterMs).toISOString(),
    notBeforeMs,
    notAfterMs,
    publicKey,
    ...readKnownExtensions(extensions),
    extensions: Object.freeze(extensions),
  };
}

function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag)
    throw malformed(`${what}: expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  return element;
}

function readBitStringBytes(element: DerElement, what: string): Uint8Array {
  const bits = decodeBitString(element);
  if (bits.unusedBits !== 0) throw malformed(`${what} must be whole octets`);
  return bits.bytes;
}

/** AlgorithmIdentifier for Ed25519: the OID and no parameters (RFC 8410 §3). */
function readEd25519Algorithm(element: DerElement, what: string): void {
  const r = DerReader.children(element);
  const oid = decodeOid(r.expect(DerTag.OID, `${what}.algorithm`));
  if (oid !== OID.ED25519) throw unsupported(`${what} is ${oid}, only Ed25519 (${OID.ED25519}) is accepted`);
  r.end(`${what} (Ed25519 takes no parameters)`);
}

function readPublicKeyInfo(element: DerElement): Uint8Array {
  const r = DerReader.children(element);
  readEd25519Algorithm(
    r.expect(DerTag.SEQUENCE, 'subjectPublicKeyInfo.algorithm'),
    'subjectPublicKeyInfo.algorithm',
  );
  const key = readBitStringBytes(r.expect(DerTag.BIT_STRING, 'subjectPublicKey'), 'subjectPublicKey');
  r.end('subjectPublicKeyInfo');
  if (key.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw malformed(`public key is ${key.byteLength} bytes, Ed25519 needs ${ED25519_PUBLIC_KEY_BYTES}`);
  }
  return key;
}

/** Name: a SEQUENCE of RDNs, each a SET of one AttributeTypeAndValue (multi-valued RDNs are refused). */
function readName(element: DerElement): readonly NameAttribute[] {
  const rdns = DerReader.children(element);
  const attributes: NameAttribute[] = [];
  while (!rdns.done) {
    const rdn = DerReader.children(rdns.expect(DerTag.SET, 'RelativeDistinguishedName'));
    const pair = DerReader.children(rdn.expect(DerTag.SEQUENCE, 'AttributeTypeAndValue'));
    if (!rdn.done) throw unsupported('multi-valued RDNs are not accepted');
    const oid = decodeOid(pair.expect(DerTag.OID, 'attribute type'));
    const value = decodeString(pair.next());
    pair.end('AttributeTypeAndValue');
    attributes.push(Object.freeze({ type: ATTRIBUTE_NAMES[oid] ?? oid, oid, value }));
  }
  return Object.freeze(attributes);
}

function readExtensions(element: DerElement): CertificateExtension[] {
  const wrapper = DerReader.children(element);
  const list = DerReader.children(wrapper.expect(DerTag.SEQUENCE, 'extensions'));
  wrapper.end('[3] extensions');
  const extensions: CertificateExtension[] = [];
  const seen = new Set<string>();
  while (!list.done) {
    const r = DerReader.children(list.expect(DerTag.SEQUENCE, 'Extension'));
    const oid = decodeOid(r.expect(DerTag.OID, 'extnID'));
    const criticalElement = r.optional(DerTag.BOOLEAN);
    const critical = criticalElement ? decodeBoolean(criticalElement) : false;
    if (criticalElement && !critical)
      throw malformed(`extension ${oid}: DER omits critical FALSE (the default)`);
    const value = decodeOctetString(r.expect(DerTag.OCTET_STRING, 'extnValue'));
    r.end('Extension');
    if (seen.has(oid)) throw malformed(`extension ${oid} appears twice`);
    seen.add(oid);
    extensions.push(Object.freeze({ oid, critical, value }));
  }
  if (extensions.length === 0) throw malformed('extensions, when present, must not be empty');
  return extensions;
}

const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.BASIC_CONSTRAINTS,
  OID.KEY_USAGE,
  OID.SUBJECT_KEY_ID,
  OID.AUTHORITY_KEY_ID,
  OID.EXT_KEY_USAGE,
  OID.SUBJECT_ALT_NAME,
]);

type KnownExtensions = Pick<
  Certificate,
  'isCa' | 'pathLength' | 'keyUsage' | 'subjectKeyIdHex' | 'authorityKeyIdHex'
>;

function readKnownExtensions(extensions: readonly CertificateExtension[]): KnownExtensions {
  const known: { -readonly [K in keyof KnownExtensions]: KnownExtensions[K] } = {
    isCa: false,
    pathLength: undefined,
    keyUsage: undefined,
    subjectKeyIdHex: undefined,
    authorityKeyIdHex: undefined,
  };
  for (const extension of extensions) {
    // RFC 5280 §4.2: a certificate with a critical extension we do not understand is refused.
    if (extension.critical && !UNDERSTOOD_EXTENSIONS.has(extension.oid)) {
      throw unsupported(`critical extension ${extension.oid} is not understood`);
    }
    if (!UNDERSTOOD_EXTENSIONS.has(extension.oid)) continue;
    const element = readDer(extension.value);
    switch (extension.oid) {
      case OID.BASIC_CONSTRAINTS:
        Object.assign(known, readBasicConstraints(element));
        break;
      case OID.KEY_USAGE:
        known.keyUsage = readKeyUsage(element);
        break;
      case OID.SUBJECT_KEY_ID:
        known.subjectKeyIdHex = toHex(decodeOctetString(element));
        break;
      case OID.AUTHORITY_KEY_ID:
        known.authorityKeyIdHex = readAuthorityKeyId(element);
        break;
    }
  }
  return known;
}

function readBasicConstraints(element: DerElement): Pick<Certificate, 'isCa' | 'pathLength'> {
  const r = DerReader.children(expectTag(element, DerTag.SEQUENCE, 'basicConstraints'));
  const caElement = r.optional(DerTag.BOOLEAN);
  const isCa = caElement ? decodeBoolean(caElement) : false;
  if (caElement && !isCa) throw malformed('basicConstraints: DER omits cA FALSE (the default)');
  const pathElement = r.optional(DerTag.INTEGER);
  r.end('basicConstraints');
  if (!pathElement) return { isCa, pathLength: undefined };
  const pathLength = decodeInteger(pathElement);
  if (!isCa || pathLength < 0n || pathLength > 255n)
    throw malformed('basicConstraints: bad pathLenConstraint');
  return { isCa, pathLength: Number(pathLength) };
}

function readKeyUsage(element: DerElement): readonly KeyUsage[] {
  const bits = decodeBitString(element);
  const usages: KeyUsage[] = [];
  const bitCount = bits.bytes.byteLength * 8 - bits.unusedBits;
  for (let i = 0; i < bitCount; i++) {
    if (((bits.bytes[i >> 3] as number) & (0x80 >> (i & 7))) === 0) continue;
    const usage = KEY_USAGE_BITS[i];
    if (usage === undefined) throw malformed(`keyUsage bit ${i} is undefined`);
    usages.push(usage);
  }
  // DER (X.690 §11.2.2) drops trailing zero bits of a named bit list.
  if (bitCount > 0 && ((bits.bytes[(bitCount - 1) >> 3] as number) & (0x80 >> ((bitCount - 1) & 7))) === 0) {
    throw malformed('keyUsage has trailing zero bits');
  }
  return Object.freeze(usages);
}

function readAuthorityKeyId(element: DerElement): string | undefined {
  const r = DerReader.children(expectTag(element, DerTag.SEQUENCE, 'authorityKeyIdentifier'));
  const keyId = r.optional(contextTag(0, false));
  return keyId ? toHex(keyId.value) : undefined;
}

// ---- encoders for issuance (libs/identity) ------------------------------------------------

/** DER of a Name from ordered attributes: one RDN per attribute, values as UTF8String. */
export function encodeName(
  attributes: readonly { readonly type: string; readonly value: string }[],
): Uint8Array {
  if (!Array.isArray(attributes)) throw new TypeError('encodeName: array of {type, value} expected');
  return derSequence(
    ...attributes.map(({ type, value }) => {
      const oid = ATTRIBUTE_OIDS[type] ?? (/^\d+(\.\d+)+$/.test(type) ? type : undefined);
      if (oid === undefined)
        throw new TypeError(`encodeName: unknown attribute type ${JSON.stringify(type)}`);
      if (typeof value !== 'string' || value.length === 0) {
        throw new TypeError(`encodeName: ${type} needs a non-empty string value`);
      }
      return derSet(derSequence(derOid(oid), derUtf8String(value)));
    }),
  );
}

/** AlgorithmIdentifier for Ed25519 (both the signature algorithm and the key algorithm). */
export function encodeEd25519Algorithm(): Uint8Array {
  return derSequence(derOid(OID.ED25519));
}

/** SubjectPublicKeyInfo of a raw 32-byte Ed25519 public key. */
export function encodeEd25519PublicKeyInfo(publicKey: Uint8Array): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new TypeError(`encodeEd25519PublicKeyInfo: ${ED25519_PUBLIC_KEY_BYTES}-byte key expected`);
  }
  return derSequence(encodeEd25519Algorithm(), derBitString(publicKey));
}

/** `C=NL, O=Gemeente Utrecht, OU=client, CN=alice` (in certificate order), for messages and logs. */
export function formatName(attributes: readonly NameAttribute[]): string {
  if (!Array.isArray(attributes)) throw new TypeError('formatName: array of name attributes expected');
  return attributes.map((a) => `${a.type}=${a.value}`).join(', ');
}

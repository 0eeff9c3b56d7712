/**
 * Test-only certificate issuance built on the DER writer (libs/identity owns the real one).
 * Deterministic: keys come from seeds, so tests and vectors are reproducible.
 */
import {
  derBitString,
  derBoolean,
  derExplicit,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  derTime,
  encodeEd25519Algorithm,
  encodeEd25519PublicKeyInfo,
  encodeName,
  keyPairFromSeed,
  OID,
  signEd25519,
  toBase64,
  type Ed25519KeyPair,
} from '../../src/index.js';

export interface TestCertificateOptions {
  readonly subject: readonly { type: string; value: string }[];
  readonly subjectKey: Ed25519KeyPair;
  /** Self-signed when absent. */
  readonly issuer?: {
    readonly name: readonly { type: string; value: string }[];
    readonly key: Ed25519KeyPair;
  };
  readonly serial?: bigint;
  readonly notBeforeMs?: number;
  readonly notAfterMs?: number;
  readonly isCa?: boolean;
}

export function issueTestCertificate(options: TestCertificateOptions): string {
  const issuer = options.issuer ?? { name: options.subject, key: options.subjectKey };
  const extensions = derSequence(
    derSequence(
      derOid(OID.BASIC_CONSTRAINTS),
      derBoolean(true),
      derOctetString(derSequence(...(options.isCa ? [derBoolean(true)] : []))),
    ),
    derSequence(
      derOid(OID.KEY_USAGE),
      derBoolean(true),
      derOctetString(derBitString(Uint8Array.of(0x80), 7)),
    ),
  );
  const tbs = derSequence(
    derExplicit(0, derInteger(2)),
    derInteger(options.serial ?? 1n),
    encodeEd25519Algorithm(),
    encodeName(issuer.name),
    derSequence(
      derTime(options.notBeforeMs ?? Date.UTC(2026, 0, 1)),
      derTime(options.notAfterMs ?? Date.UTC(2036, 0, 1)),
    ),
    encodeName(options.subject),
    encodeEd25519PublicKeyInfo(options.subjectKey.publicKey),
    derExplicit(3, extensions),
  );
  const signature = signEd25519(tbs, issuer.key);
  return toBase64(derSequence(tbs, encodeEd25519Algorithm(), derBitString(signature)));
}

/** A deterministic key pair from a small label number. */
export function testKey(label: number): Ed25519KeyPair {
  return keyPairFromSeed(new Uint8Array(32).fill(label & 0xff));
}

/** A self-signed member certificate for `mspId`, role `ou`, named `cn`. */
export function testIdentity(
  mspId: string,
  ou: string,
  cn: string,
  keyLabel: number,
): { cert: string; key: Ed25519KeyPair } {
  const key = testKey(keyLabel);
  const cert = issueTestCertificate({
    subject: [
      { type: 'O', value: mspId },
      { type: 'OU', value: ou },
      { type: 'CN', value: cn },
    ],
    subjectKey: key,
    serial: BigInt(keyLabel) + 1000n,
  });
  return { cert, key };
}

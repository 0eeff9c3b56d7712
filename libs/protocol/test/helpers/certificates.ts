/**
 * Test-only certificate issuance (libs/identity owns the real one), shared with the vector
 * generator so that both build certificates the same way. Deterministic: keys come from seeds.
 */
import { keyPairFromSeed, type Ed25519KeyPair } from '../../src/index.js';
import { issueCertificate, type CertificateOptions } from '../../scripts/generate-vectors.js';

export type TestCertificateOptions = CertificateOptions;
export const issueTestCertificate = issueCertificate;

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
  const cert = issueCertificate({
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

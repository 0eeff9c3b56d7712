import { verifyEd25519 } from '@civic/protocol';

/** One Ed25519 check: `signature` over `message` (the 32 raw bytes of a txId or blockHash) by `publicKey`. */
export interface SignatureCheck {
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Checks many signatures at once. Only precomputes booleans: the validator decides what they
 * mean, so results are the same whichever verifier (inline or worker pool) computed them.
 */
export interface SignatureVerifier {
  verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]>;
  close(): Promise<void>;
}

/** Verifies on the calling thread (small blocks, tests, browsers). */
export class InlineSignatureVerifier implements SignatureVerifier {
  async verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    return checks.map((check) => verifyEd25519(check.message, check.signature, check.publicKey));
  }

  async close(): Promise<void> {}
}

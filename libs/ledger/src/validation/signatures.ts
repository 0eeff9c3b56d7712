import { BoundedCache, certificatePublicKey, fromHex, isHex, verifyEd25519 } from '@civic/protocol';
import type { SignatureCheck } from '../verify/signature-verifier.js';
import type { BlockInput } from './block-input.js';

/**
 * The creator and endorsement signatures of a block, as booleans per envelope. They can be
 * computed ahead, on a worker pool and before the previous block is committed (they depend on
 * nothing but the block); the validator only reads them, so its codes are the same whoever
 * computed them.
 */
export interface SignatureVerdicts {
  /** Per envelope: does the creator's signature verify with the key of the creator's cert? */
  readonly creator: readonly boolean[];
  /** Per envelope, per endorsement. */
  readonly endorsements: readonly (readonly boolean[])[];
}

/** Public keys by certificate text: a channel has a few hundred identities. */
const publicKeys = new BoundedCache<string, Uint8Array | null>(4096);

function publicKeyOf(cert: string): Uint8Array | null {
  let key = publicKeys.get(cert);
  if (key === undefined) {
    try {
      key = certificatePublicKey(cert);
    } catch {
      key = null;
    }
    publicKeys.set(cert, key);
  }
  return key;
}

const EMPTY = new Uint8Array(0);

function check(message: Uint8Array, signatureHex: string, cert: string): SignatureCheck {
  return {
    message,
    signature: isHex(signatureHex, 64) ? fromHex(signatureHex) : EMPTY,
    publicKey: publicKeyOf(cert) ?? EMPTY,
  };
}

/** The checks of a block's parsed envelopes, in order (creator, then endorsements, per envelope). */
export function signatureChecksOf(input: BlockInput): SignatureCheck[] {
  const checks: SignatureCheck[] = [];
  input.envelopes.forEach((entry, i) => {
    if (!entry.ok) return;
    const { envelope } = entry;
    const message = fromHex(input.txIds[i] as string);
    checks.push(check(message, envelope.signature, envelope.payload.creator.cert));
    for (const e of envelope.endorsements) checks.push(check(message, e.signature, e.cert));
  });
  return checks;
}

/** Folds the booleans of `signatureChecksOf` back into verdicts per envelope. */
export function verdictsFrom(input: BlockInput, results: readonly boolean[]): SignatureVerdicts {
  const creator: boolean[] = [];
  const endorsements: boolean[][] = [];
  let next = 0;
  for (const entry of input.envelopes) {
    if (!entry.ok) {
      creator.push(false);
      endorsements.push([]);
      continue;
    }
    creator.push(results[next++] === true);
    endorsements.push(entry.envelope.endorsements.map(() => results[next++] === true));
  }
  if (next !== results.length)
    throw new RangeError(`verdictsFrom: ${results.length} results for ${next} checks`);
  return { creator, endorsements };
}

/** Verifies on the calling thread (the validator's default when no verdicts are given). */
export function verifySignaturesInline(input: BlockInput): SignatureVerdicts {
  const results = signatureChecksOf(input).map((c) => verifyEd25519(c.message, c.signature, c.publicKey));
  return verdictsFrom(input, results);
}

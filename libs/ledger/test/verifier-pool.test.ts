import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKeyPair, sha256, signEd25519, utf8Bytes } from '@civic/protocol';
import { InlineSignatureVerifier, VerifierPool, type SignatureCheck } from '../src/index.js';

const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair()];

function makeChecks(specs: readonly { key: number; good: boolean; msg: string }[]): SignatureCheck[] {
  return specs.map(({ key, good, msg }) => {
    const pair = keys[key % keys.length]!;
    const message = sha256(utf8Bytes(msg));
    const signature = signEd25519(message, pair);
    if (!good) signature[0] = (signature[0]! + 1) % 256;
    return { message, signature, publicKey: pair.publicKey };
  });
}

describe('signature verification on a worker pool', () => {
  const pool = new VerifierPool({ workers: 2, inlineBelow: 1 });
  afterAll(() => pool.close());

  it('gives the same booleans as inline verification, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.nat(5), good: fc.boolean(), msg: fc.string() }), { maxLength: 40 }),
        async (specs) => {
          const checks = makeChecks(specs);
          const expected = specs.map((s) => s.good);
          expect(await pool.verifyAll(checks)).toEqual(expected);
          expect(await new InlineSignatureVerifier().verifyAll(checks)).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('answers false for checks of the wrong lengths without shifting the others', async () => {
    const [good] = makeChecks([{ key: 0, good: true, msg: 'x' }]);
    const checks: SignatureCheck[] = [
      { ...good!, signature: new Uint8Array(10) },
      good!,
      { ...good!, publicKey: new Uint8Array(0) },
      good!,
    ];
    expect(await pool.verifyAll(checks)).toEqual([false, true, false, true]);
  });

  it('refuses work once closed', async () => {
    const closing = new VerifierPool({ workers: 1, inlineBelow: 1 });
    await closing.close();
    await expect(closing.verifyAll(makeChecks([{ key: 0, good: true, msg: 'a' }]))).rejects.toThrow(/closed/);
  });
});

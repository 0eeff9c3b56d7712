/**
 * Members' bearer tokens for tests of a service's REST API: `(user) => token`, each minted by the
 * identity of that name for the service's audience, valid for `ttlMs` from now.
 */
import type { Signer } from '@civic/protocol';
import { mintToken } from '@civic/identity';

export function memberTokens(
  /** The identity of a user by name (a network folder's loadSigner, a test network's signer). */
  signerOf: (user: string) => Pick<Signer, 'cert' | 'key'>,
  audience: string,
  ttlMs = 10 * 60_000,
): (user: string) => string {
  return (user) => {
    const { cert, key } = signerOf(user);
    return mintToken({ cert, key, audience, ttlMs, nowMs: Date.now() });
  };
}

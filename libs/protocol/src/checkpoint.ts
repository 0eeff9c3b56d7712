/**
 * A peer's signed checkpoint (docs/peer.md, "Queries"): its statement "my chain of <channel> at
 * block <height> has header hash <blockHash> and commit hash <commitHash>", signed with its own
 * key. The signature is Ed25519 over the 32 raw bytes of
 * `H({channel, peerId, height, blockHash, commitHash})`; the signer's `mspId` and `cert`, which
 * travel with it, are not signed. Peers sign (libs/ledger) and clients check (libs/client) the
 * same digest, made here.
 */
import { hashCanonical } from './hash.js';
import type { Hex } from './types.js';

/** What a checkpoint says, i.e. what its signature covers. */
export interface CheckpointStatement {
  readonly channel: string;
  /** The signing peer's node id. */
  readonly peerId: string;
  /** Number of the last block covered. */
  readonly height: number;
  readonly blockHash: Hex;
  readonly commitHash: Hex;
}

/**
 * The 32 bytes a checkpoint's signature is over: `H({channel, peerId, height, blockHash,
 * commitHash})`. Members other than these five (the signer, the signature) are ignored.
 */
export function checkpointSigningHash(statement: CheckpointStatement): Uint8Array {
  const { channel, peerId, height, blockHash, commitHash } = statement;
  return hashCanonical({ channel, peerId, height, blockHash, commitHash });
}

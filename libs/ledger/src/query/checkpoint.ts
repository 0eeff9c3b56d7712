import {
  certificatePublicKey,
  fromHex,
  hashCanonical,
  isHex,
  signEd25519,
  toHex,
  verifyEd25519,
  type Signer,
} from '@civic/protocol';

/**
 * A signed checkpoint: a peer's statement "at height h my chain ends in blockHash and my commit
 * hash is commitHash", signed with its own key. An outsider keeps it and can later hold the
 * peer to it: any block or proof the peer serves must chain to that blockHash, and a peer
 * that later shows another commit hash at h has forked or rewritten its ledger.
 *
 * The signature is Ed25519 over the 32 raw bytes of `H({channel, peerId, height, blockHash, commitHash})`.
 */
export interface Checkpoint {
  readonly channel: string;
  readonly peerId: string;
  readonly height: number;
  readonly blockHash: string;
  readonly commitHash: string;
  /** The peer identity that signs: its organisation and certificate (base64 DER). */
  readonly mspId: string;
  readonly cert: string;
  readonly signature: string;
}

type CheckpointStatement = Pick<Checkpoint, 'channel' | 'peerId' | 'height' | 'blockHash' | 'commitHash'>;

function digest(statement: CheckpointStatement): Uint8Array {
  const { channel, peerId, height, blockHash, commitHash } = statement;
  return hashCanonical({ channel, peerId, height, blockHash, commitHash });
}

export function signCheckpoint(statement: CheckpointStatement, signer: Signer): Checkpoint {
  return {
    ...statement,
    mspId: signer.mspId,
    cert: signer.cert,
    signature: toHex(signEd25519(digest(statement), signer.key)),
  };
}

/**
 * True when the signature is by the key of `checkpoint.cert`. Whether that certificate is a
 * member of the channel is the verifier's to check against the config it trusts (identity's
 * resolveIdentity).
 */
export function verifyCheckpointSignature(checkpoint: Checkpoint): boolean {
  if (checkpoint === null || typeof checkpoint !== 'object' || !isHex(checkpoint.signature, 64)) return false;
  let publicKey: Uint8Array;
  try {
    publicKey = certificatePublicKey(checkpoint.cert);
  } catch {
    return false;
  }
  return verifyEd25519(digest(checkpoint), fromHex(checkpoint.signature), publicKey);
}

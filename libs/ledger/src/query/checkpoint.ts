import {
  certificatePublicKey,
  checkpointSigningHash,
  fromHex,
  isHex,
  signEd25519,
  toHex,
  verifyEd25519,
  type CheckpointStatement,
  type Signer,
} from '@civic/protocol';

/**
 * A signed checkpoint: a peer's statement "at height h my chain ends in blockHash and my commit
 * hash is commitHash", signed with its own key. An outsider keeps it and can later hold the
 * peer to it: any block or proof the peer serves must chain to that blockHash, and a peer
 * that later shows another commit hash at h has forked or rewritten its ledger.
 *
 * The signature is Ed25519 over the 32 raw bytes of `H({channel, peerId, height, blockHash, commitHash})`
 * (protocol's checkpointSigningHash).
 */
export interface Checkpoint extends CheckpointStatement {
  /** The peer identity that signs: its organisation and certificate (base64 DER). */
  readonly mspId: string;
  readonly cert: string;
  readonly signature: string;
}

export function signCheckpoint(statement: CheckpointStatement, signer: Signer): Checkpoint {
  return {
    ...statement,
    mspId: signer.mspId,
    cert: signer.cert,
    signature: toHex(signEd25519(checkpointSigningHash(statement), signer.key)),
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
  return verifyEd25519(checkpointSigningHash(checkpoint), fromHex(checkpoint.signature), publicKey);
}

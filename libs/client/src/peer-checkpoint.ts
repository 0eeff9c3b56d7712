/**
 * Holding a peer to a checkpoint kept earlier: the peer's chain at the checkpoint's height
 * must still have the same block hash and commit hash.
 */
import { blockHashOf, parseBlock } from '@civic/protocol';
import { holdToCheckpoint, type CheckpointBody } from './checkpoint.js';
import { PeerResponseError } from './errors.js';
import type { PeerClient } from './peer-client.js';

/**
 * Asks `peer` for block `kept.height` and compares the hash of the header it serves (not the
 * hash it claims) and its commit hash; throws CheckpointMismatchError (rewritten history, a
 * fork), PeerResponseError for a block that does not parse, or the peer's own errors
 * (PeerNotFoundError: it no longer has the block).
 */
export async function checkPeerAgainstCheckpoint(peer: PeerClient, kept: CheckpointBody): Promise<void> {
  const served = await peer.block(kept.height);
  let blockHash: string;
  let channel: string;
  try {
    const block = parseBlock(served.block);
    blockHash = blockHashOf(block.header);
    channel = block.header.channel;
  } catch (cause) {
    throw new PeerResponseError(peer.target, `block ${kept.height}: ${(cause as Error).message}`, { cause });
  }
  holdToCheckpoint(kept, { channel, height: served.number, blockHash, commitHash: served.commitHash });
}

/**
 * Peer checkpoints: a peer's signed statement "my chain of <channel> at block <height> has
 * header hash <blockHash> and commit hash <commitHash>". Keep one, and later hold the peer (or
 * any other peer) to it: the chain at that height must still give the same hashes, or history
 * was rewritten. Browser-safe.
 *
 *   { channel, peerId, height, blockHash, commitHash, mspId?, cert?, signature }
 *
 * As libs/ledger's LedgerQueries.checkpoint() makes them: `height` is the number of the last
 * block covered (the ledger's ChainHead.height); the signature is Ed25519 by the peer's key over
 * the 32 raw bytes of H({channel, peerId, height, blockHash, commitHash}). `mspId` and `cert`
 * name the signer (the peer always sends them); they are not signed, so a reader checks the
 * signature with a key it already trusts, never with the certificate alone.
 */
import {
  bytesEqual,
  certificatePublicKey,
  checkpointSigningHash,
  fromHex,
  isHex,
  isName,
  signEd25519,
  toHex,
  verifyEd25519,
  type CheckpointStatement,
  type Ed25519KeyPair,
  type Hex,
} from '@civic/protocol';
import {
  CheckpointFormatError,
  CheckpointMismatchError,
  CheckpointSignatureError,
  ClientArgumentError,
} from './errors.js';
import { readChannel, readCount, readHexField, readObject, type Fail } from './json-read.js';

/** What a checkpoint says (protocol's CheckpointStatement), and who says it. */
export interface CheckpointBody extends CheckpointStatement {
  /** The peer's organisation and certificate (base64 DER), for readers that resolve it. */
  readonly mspId?: string;
  readonly cert?: string;
}

export interface Checkpoint extends CheckpointBody {
  /** Ed25519, 64 bytes hex, over checkpointSigningHash(body). */
  readonly signature: Hex;
}

const KEYS = ['channel', 'peerId', 'height', 'blockHash', 'commitHash', 'mspId', 'cert', 'signature'];
const CERT_CHARS_MAX = 21_848;

const fail: Fail = (path, reason) => {
  throw new CheckpointFormatError(path, reason);
};

function readBody(c: Record<string, unknown>, prefix: string): CheckpointBody {
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (!isName('NODE_ID', c.peerId)) fail(at('peerId'), 'is not a node id');
  if (c.mspId !== undefined && !isName('MSP_ID', c.mspId)) fail(at('mspId'), 'is not an mspId');
  if (
    c.cert !== undefined &&
    (typeof c.cert !== 'string' || c.cert.length === 0 || c.cert.length > CERT_CHARS_MAX)
  ) {
    fail(at('cert'), 'is not a base64 certificate');
  }
  return Object.freeze({
    channel: readChannel(c.channel, at('channel'), fail),
    peerId: c.peerId,
    height: readCount(c.height, at('height'), fail),
    blockHash: readHexField(c.blockHash, at('blockHash'), fail),
    commitHash: readHexField(c.commitHash, at('commitHash'), fail),
    ...(c.mspId === undefined ? {} : { mspId: c.mspId as string }),
    ...(c.cert === undefined ? {} : { cert: c.cert as string }),
  });
}

/** Checks a checkpoint's shape (JSON value or text); CheckpointFormatError names the member. */
export function parseCheckpoint(input: unknown, path = ''): Checkpoint {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new CheckpointFormatError(path, 'is not JSON', { cause });
    }
  }
  const c = readObject(value, path, fail, KEYS);
  const body = readBody(c, path);
  return Object.freeze({
    ...body,
    signature: readHexField(c.signature, path ? `${path}.signature` : 'signature', fail, 64),
  });
}

/** What the peer signs: H({channel, peerId, height, blockHash, commitHash}), 32 raw bytes (protocol's). */
export { checkpointSigningHash } from '@civic/protocol';

/** Signs a checkpoint body (peers use it; tests and stubs too). */
export function signCheckpoint(body: CheckpointBody, key: Ed25519KeyPair): Checkpoint {
  const checked = readBody(readObject(body, '', fail, KEYS.slice(0, -1)), '');
  return Object.freeze({ ...checked, signature: toHex(signEd25519(checkpointSigningHash(checked), key)) });
}

/** A peer key to check checkpoints against: its certificate (base64 DER) or raw public key. */
export type PeerKey = { readonly cert: string } | { readonly publicKey: Uint8Array | Hex };

export function peerPublicKey(key: PeerKey): Uint8Array {
  if (key === null || typeof key !== 'object')
    throw new ClientArgumentError('peer key {cert} or {publicKey} expected');
  if ('cert' in key) {
    try {
      return certificatePublicKey(key.cert);
    } catch (cause) {
      throw new ClientArgumentError(`peer certificate is not readable: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
  const raw = key.publicKey;
  if (typeof raw === 'string') {
    if (!isHex(raw, 32)) throw new ClientArgumentError('peer public key must be 64 lowercase hex digits');
    return fromHex(raw);
  }
  if (!(raw instanceof Uint8Array) || raw.byteLength !== 32) {
    throw new ClientArgumentError('peer public key must be 32 bytes');
  }
  return raw;
}

function certificateHasKey(cert: string, publicKey: Uint8Array): boolean {
  try {
    return bytesEqual(certificatePublicKey(cert), publicKey);
  } catch {
    return false;
  }
}

/**
 * The checkpoint, checked: its shape, and its signature by `key` (the peer's certificate or
 * public key you trust). Throws CheckpointFormatError or CheckpointSignatureError.
 */
export function verifyCheckpoint(input: unknown, key: PeerKey): Checkpoint {
  const checkpoint = parseCheckpoint(input);
  const publicKey = peerPublicKey(key);
  if (checkpoint.cert !== undefined) {
    if (!certificateHasKey(checkpoint.cert, publicKey)) {
      throw new CheckpointSignatureError(
        `checkpoint of ${checkpoint.peerId} at ${checkpoint.height} names a certificate that is not the given peer key`,
      );
    }
  }
  if (!verifyEd25519(checkpointSigningHash(checkpoint), fromHex(checkpoint.signature), publicKey)) {
    throw new CheckpointSignatureError(
      `the signature of ${checkpoint.peerId}'s checkpoint at block ${checkpoint.height} does not verify with the given key`,
    );
  }
  return checkpoint;
}

/** What a peer says about one height of its chain. */
export interface ChainPoint {
  readonly channel?: string;
  readonly height: number;
  readonly blockHash: Hex;
  /** Absent when the source does not know it (a block alone has no commit hash). */
  readonly commitHash?: Hex;
}

/**
 * Holds a chain to a kept checkpoint: `found` (what a peer says now about block
 * `kept.height`) must give the same block hash, and the same commit hash when it has one.
 * Throws CheckpointMismatchError naming the first difference.
 */
export function holdToCheckpoint(kept: CheckpointBody, found: ChainPoint): void {
  if (found.height !== kept.height) {
    throw new ClientArgumentError(
      `holdToCheckpoint: found block ${found.height}, the checkpoint is at ${kept.height}`,
    );
  }
  if (found.channel !== undefined && found.channel !== kept.channel) {
    throw new CheckpointMismatchError(kept.height, 'channel', kept.channel, found.channel);
  }
  if (found.blockHash !== kept.blockHash) {
    throw new CheckpointMismatchError(kept.height, 'blockHash', kept.blockHash, found.blockHash);
  }
  if (found.commitHash !== undefined && found.commitHash !== kept.commitHash) {
    throw new CheckpointMismatchError(kept.height, 'commitHash', kept.commitHash, found.commitHash);
  }
}

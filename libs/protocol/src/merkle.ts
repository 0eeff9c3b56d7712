/**
 * Merkle trees of RFC 6962 / RFC 9162 §2.1: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖
 * left ‖ right), a tree of n > 1 leaves splits at the largest power of two smaller than n, and
 * the empty tree's hash is SHA-256 of no bytes. In a block the leaf data is H(envelope).
 *
 * Functions here take leaf HASHES (already prefixed) so that a caller hashes each leaf once.
 * Work: a root is n-1 node hashes; a proof recomputes the subtrees it needs, O(n).
 */
import { bytesEqual } from './bytes.js';
import { sha256 } from './hash.js';
import { fromHex, isHex, toHex } from './hex.js';
import type { ConsistencyProof, InclusionProof } from './types.js';

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);
const HASH_BYTES = 32;
/** A proof has at most one hash per level (two extra for consistency); 2^48 leaves is plenty. */
const PROOF_HASHES_MAX = 64;
const TREE_SIZE_MAX = 2 ** 48;

/** The root of the empty tree: SHA-256 of no bytes. */
export const MERKLE_EMPTY_ROOT_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function merkleLeafHash(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('merkleLeafHash: Uint8Array expected');
  return sha256(LEAF_PREFIX, data);
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/** Largest power of two strictly smaller than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function assertLeaves(leafHashes: readonly Uint8Array[], what: string): void {
  if (!Array.isArray(leafHashes)) throw new TypeError(`${what}: array of leaf hashes expected`);
  if (leafHashes.length > TREE_SIZE_MAX) throw new RangeError(`${what}: more than 2^48 leaves`);
  for (const leaf of leafHashes) {
    if (!(leaf instanceof Uint8Array) || leaf.byteLength !== HASH_BYTES) {
      throw new TypeError(`${what}: every leaf hash must be ${HASH_BYTES} bytes`);
    }
  }
}

/** MTH over leaves [lo, hi), hi > lo. Recursion depth is log2(n). */
function subtreeRoot(leaves: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 1) return leaves[lo] as Uint8Array;
  const k = splitPoint(n);
  return merkleNodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

/** The tree head MTH over the leaf hashes. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  assertLeaves(leafHashes, 'merkleRoot');
  if (leafHashes.length === 0) return sha256();
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

function assertIndex(value: number, min: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** RFC 9162 §2.1.3.1: the audit path of leaf `index`, from the leaf's sibling up to the root's child. */
export function merkleInclusionPath(leafHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  assertLeaves(leafHashes, 'merkleInclusionPath');
  assertIndex(index, 0, leafHashes.length - 1, 'merkleInclusionPath: index');
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = leafHashes.length;
  // Descend from the root, collecting the sibling subtree at each level; reversed at the end.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      path.push(subtreeRoot(leafHashes, lo + k, hi));
      hi = lo + k;
    } else {
      path.push(subtreeRoot(leafHashes, lo, lo + k));
      lo += k;
    }
  }
  return path.reverse();
}

function assertProofHashes(path: readonly Uint8Array[], what: string): boolean {
  if (!Array.isArray(path)) throw new TypeError(`${what}: array of hashes expected`);
  if (path.length > PROOF_HASHES_MAX) return false;
  return path.every((hash) => hash instanceof Uint8Array && hash.byteLength === HASH_BYTES);
}

/** RFC 9162 §2.1.3.2: true when `path` proves `leafHash` at `index` in the tree of `treeSize` with `root`. */
export function verifyMerkleInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(leafHash instanceof Uint8Array) || !(root instanceof Uint8Array)) {
    throw new TypeError('verifyMerkleInclusion: leafHash and root must be Uint8Arrays');
  }
  if (!assertProofHashes(path, 'verifyMerkleInclusion')) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize)
    return false;
  if (treeSize > TREE_SIZE_MAX) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.1: proof that the first `oldSize` leaves are a prefix of all of them. Empty
 * when oldSize is 0 or equals the tree size.
 */
export function merkleConsistencyPath(leafHashes: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  assertLeaves(leafHashes, 'merkleConsistencyPath');
  assertIndex(oldSize, 0, leafHashes.length, 'merkleConsistencyPath: oldSize');
  if (oldSize === 0 || oldSize === leafHashes.length) return [];
  const proof: Uint8Array[] = [];
  // SUBPROOF(m, D[lo:hi], b) unrolled: each step either descends left (m ≤ k) or right.
  let lo = 0;
  let hi = leafHashes.length;
  let m = oldSize;
  let complete = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push(subtreeRoot(leafHashes, lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(subtreeRoot(leafHashes, lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(subtreeRoot(leafHashes, lo, hi));
  return proof.reverse();
}

function isPowerOfTwo(n: number): boolean {
  let rest = n;
  while (rest > 1 && rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/** RFC 9162 §2.1.4.2: true when `path` proves the tree (oldSize, oldRoot) a prefix of (newSize, newRoot). */
export function verifyMerkleConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!(oldRoot instanceof Uint8Array) || !(newRoot instanceof Uint8Array)) {
    throw new TypeError('verifyMerkleConsistency: roots must be Uint8Arrays');
  }
  if (!assertProofHashes(path, 'verifyMerkleConsistency')) return false;
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize)
    return false;
  if (newSize > TREE_SIZE_MAX) return false;
  if (oldSize === 0) return path.length === 0 && toHex(oldRoot) === MERKLE_EMPTY_ROOT_HEX;
  if (oldSize === newSize) return path.length === 0 && bytesEqual(oldRoot, newRoot);
  const hashes = isPowerOfTwo(oldSize) ? [oldRoot, ...path] : [...path];
  if (hashes.length === 0) return false;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = hashes[0] as Uint8Array;
  let sr = fr;
  for (const c of hashes.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = merkleNodeHash(c, fr);
      sr = merkleNodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = merkleNodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

// ---- wire forms (hex) ---------------------------------------------------------------------

/** The wire form of an inclusion proof for leaf `index`. */
export function merkleInclusionProof(leafHashes: readonly Uint8Array[], index: number): InclusionProof {
  const path = merkleInclusionPath(leafHashes, index).map(toHex);
  return Object.freeze({ leafIndex: index, treeSize: leafHashes.length, path: Object.freeze(path) });
}

/** The wire form of a consistency proof from `oldSize` leaves to all of them. */
export function merkleConsistencyProof(leafHashes: readonly Uint8Array[], oldSize: number): ConsistencyProof {
  const path = merkleConsistencyPath(leafHashes, oldSize).map(toHex);
  return Object.freeze({ oldSize, newSize: leafHashes.length, path: Object.freeze(path) });
}

function hashesFromHex(path: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(path) || path.length > PROOF_HASHES_MAX) return undefined;
  if (!path.every((hash) => isHex(hash, HASH_BYTES))) return undefined;
  return path.map((hash: string) => fromHex(hash));
}

/** Checks a wire inclusion proof of `leafHashHex` against `rootHex`; false on any malformed part. */
export function verifyInclusionProof(leafHashHex: string, proof: InclusionProof, rootHex: string): boolean {
  if (
    !isHex(leafHashHex, HASH_BYTES) ||
    !isHex(rootHex, HASH_BYTES) ||
    proof === null ||
    typeof proof !== 'object'
  ) {
    return false;
  }
  const path = hashesFromHex(proof.path);
  if (!path) return false;
  return verifyMerkleInclusion(fromHex(leafHashHex), proof.leafIndex, proof.treeSize, path, fromHex(rootHex));
}

/** Checks a wire consistency proof between two roots; false on any malformed part. */
export function verifyConsistencyProof(
  proof: ConsistencyProof,
  oldRootHex: string,
  newRootHex: string,
): boolean {
  if (
    !isHex(oldRootHex, HASH_BYTES) ||
    !isHex(newRootHex, HASH_BYTES) ||
    proof === null ||
    typeof proof !== 'object'
  ) {
    return false;
  }
  const path = hashesFromHex(proof.path);
  if (!path) return false;
  return verifyMerkleConsistency(
    proof.oldSize,
    proof.newSize,
    fromHex(oldRootHex),
    fromHex(newRootHex),
    path,
  );
}

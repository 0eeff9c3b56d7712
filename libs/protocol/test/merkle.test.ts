import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MERKLE_EMPTY_ROOT_HEX,
  fromHex,
  merkleConsistencyPath,
  merkleConsistencyProof,
  merkleInclusionPath,
  merkleInclusionProof,
  merkleLeafHash,
  merkleNodeHash,
  merkleRoot,
  sha256,
  toHex,
  utf8Bytes,
  verifyConsistencyProof,
  verifyInclusionProof,
  verifyMerkleConsistency,
  verifyMerkleInclusion,
} from '../src/index.js';

// ---- a reference straight from the RFC 9162 §2.1 definitions (recursive, slow, obvious) ----
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256();
  if (d.length === 1) return d[0] as Uint8Array;
  const s = k(d.length);
  return merkleNodeHash(mth(d.slice(0, s)), mth(d.slice(s)));
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s
    ? [...refPath(m, d.slice(0, s)), mth(d.slice(s))]
    : [...refPath(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...refSubproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...refSubproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => merkleLeafHash(sha256(utf8Bytes(String(i)))));
const hex = (hashes: Uint8Array[]) => hashes.map(toHex);

describe('Merkle tree (RFC 6962 / 9162)', () => {
  it('matches the Certificate Transparency reference roots', () => {
    // The eight leaves of the CT reference tests (certificate-transparency-go, testonly).
    const data = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ];
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const hashes = data.map((d) => merkleLeafHash(fromHex(d)));
    expect(toHex(merkleRoot([]))).toBe(MERKLE_EMPTY_ROOT_HEX);
    roots.forEach((root, i) => expect(toHex(merkleRoot(hashes.slice(0, i + 1)))).toBe(root));
  });

  it('root, audit paths and consistency proofs equal the RFC definitions for 0..40 leaves', () => {
    for (let n = 0; n <= 40; n++) {
      const d = leaves(n);
      const root = merkleRoot(d);
      expect(toHex(root)).toBe(toHex(mth(d)));
      for (let i = 0; i < n; i++) {
        const path = merkleInclusionPath(d, i);
        expect(hex(path)).toEqual(hex(refPath(i, d)));
        expect(verifyMerkleInclusion(d[i] as Uint8Array, i, n, path, root)).toBe(true);
      }
      for (let m = 1; m <= n; m++) {
        const proof = merkleConsistencyPath(d, m);
        expect(hex(proof)).toEqual(hex(refSubproof(m, d, true)));
        expect(verifyMerkleConsistency(m, n, merkleRoot(d.slice(0, m)), root, proof)).toBe(true);
      }
    }
  });

  it('refuses tampered inclusion proofs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(), (n, a, b) => {
        const d = leaves(n);
        const i = a % n;
        const root = merkleRoot(d);
        const path = merkleInclusionPath(d, i);
        const leaf = d[i] as Uint8Array;
        expect(verifyMerkleInclusion(leaf, i, n, path, root)).toBe(true);
        if (n > 1) {
          const other = (i + 1 + (b % (n - 1))) % n;
          expect(verifyMerkleInclusion(leaf, other, n, path, root)).toBe(false);
          expect(verifyMerkleInclusion(d[other] as Uint8Array, i, n, path, root)).toBe(false);
        }
        // The size alone is not bound by a path (sizes 5 and 6 share leaf 0's shape); the root is.
        expect(verifyMerkleInclusion(leaf, i, n + 1, path, merkleRoot(leaves(n + 1)))).toBe(false);
        expect(verifyMerkleInclusion(leaf, i, n, [...path, root], root)).toBe(false);
        if (path.length > 0) {
          expect(verifyMerkleInclusion(leaf, i, n, path.slice(1), root)).toBe(false);
          const flipped = path.map((h) => new Uint8Array(h));
          flipped[b % flipped.length]![b % 32]! ^= 1;
          expect(verifyMerkleInclusion(leaf, i, n, flipped, root)).toBe(false);
        }
        expect(verifyMerkleInclusion(leaf, n, n, path, root)).toBe(false);
        expect(verifyMerkleInclusion(leaf, -1, n, path, root)).toBe(false);
      }),
    );
  });

  it('refuses tampered consistency proofs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 70 }), fc.nat(), fc.nat(), (n, a, b) => {
        const d = leaves(n);
        const m = 1 + (a % (n - 1));
        const oldRoot = merkleRoot(d.slice(0, m));
        const newRoot = merkleRoot(d);
        const proof = merkleConsistencyPath(d, m);
        expect(verifyMerkleConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
        expect(verifyMerkleConsistency(m, n, newRoot, newRoot, proof)).toBe(false);
        expect(verifyMerkleConsistency(m, n, oldRoot, oldRoot, proof)).toBe(false);
        expect(verifyMerkleConsistency(m, n + 1, oldRoot, merkleRoot(leaves(n + 1)), proof)).toBe(false);
        expect(verifyMerkleConsistency(n, m, oldRoot, newRoot, proof)).toBe(false);
        if (proof.length > 0) {
          const flipped = proof.map((h) => new Uint8Array(h));
          flipped[b % flipped.length]![b % 32]! ^= 1;
          expect(verifyMerkleConsistency(m, n, oldRoot, newRoot, flipped)).toBe(false);
          expect(verifyMerkleConsistency(m, n, oldRoot, newRoot, proof.slice(1))).toBe(false);
        }
      }),
    );
  });

  it('handles the edge sizes: empty old tree, equal trees, single leaf', () => {
    const d = leaves(5);
    const root = merkleRoot(d);
    expect(merkleConsistencyPath(d, 0)).toEqual([]);
    expect(merkleConsistencyPath(d, 5)).toEqual([]);
    expect(verifyMerkleConsistency(0, 5, fromHex(MERKLE_EMPTY_ROOT_HEX), root, [])).toBe(true);
    expect(verifyMerkleConsistency(0, 5, root, root, [])).toBe(false);
    expect(verifyMerkleConsistency(5, 5, root, root, [])).toBe(true);
    expect(verifyMerkleConsistency(5, 5, root, root, [root])).toBe(false);
    expect(merkleInclusionPath(leaves(1), 0)).toEqual([]);
    expect(() => merkleInclusionPath(d, 5)).toThrow(RangeError);
    expect(() => merkleConsistencyPath(d, 6)).toThrow(RangeError);
    expect(() => merkleRoot([new Uint8Array(31)])).toThrow(TypeError);
  });

  it('wire forms carry hex and verify, refusing malformed input without throwing', () => {
    const d = leaves(9);
    const root = toHex(merkleRoot(d));
    const proof = merkleInclusionProof(d, 6);
    expect(proof).toMatchObject({ leafIndex: 6, treeSize: 9 });
    expect(verifyInclusionProof(toHex(d[6] as Uint8Array), proof, root)).toBe(true);
    expect(verifyInclusionProof(toHex(d[6] as Uint8Array), { ...proof, path: ['zz'] }, root)).toBe(false);
    expect(verifyInclusionProof('ab', proof, root)).toBe(false);
    expect(verifyInclusionProof(toHex(d[6] as Uint8Array), null as never, root)).toBe(false);
    const consistency = merkleConsistencyProof(d, 4);
    expect(consistency).toMatchObject({ oldSize: 4, newSize: 9 });
    expect(verifyConsistencyProof(consistency, toHex(merkleRoot(d.slice(0, 4))), root)).toBe(true);
    expect(
      verifyConsistencyProof(
        { ...consistency, path: [...consistency.path].reverse() },
        toHex(merkleRoot(d.slice(0, 4))),
        root,
      ),
    ).toBe(false);
  });
});

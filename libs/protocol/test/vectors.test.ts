/**
 * The committed test vectors are exactly what the generator computes (so they cannot drift
 * from the code), they agree with the independent references they quote, and the chain
 * vectors of libs/identity (test-vectors/chain/, when present) verify block by block.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalize,
  chainTipOf,
  commitHashOf,
  fromHex,
  merkleRoot,
  parseBlock,
  sha256,
  toHex,
  verifyBlock,
  verifyEd25519,
  verifyEnvelopes,
  verifyInclusionProof,
  verifyConsistencyProof,
  type Block,
  type Consenter,
} from '../src/index.js';
import { generateVectors } from '../scripts/generate-vectors.js';

const DIR = resolve(import.meta.dirname, '../test-vectors');
const generated = generateVectors();
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

describe('published test vectors', () => {
  it('are exactly what the generator makes (regenerate: npm run vectors -w @civic/protocol)', () => {
    const committed = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(committed.sort()).toEqual([...generated.keys()].sort());
    for (const [file, content] of generated) {
      expect(readFileSync(join(DIR, file), 'utf8') === content, `${file} differs from the generator`).toBe(
        true,
      );
    }
  });

  it('agree with the references they quote', () => {
    const ed = read('ed25519.json');
    expect(ed.rfc8032[0].signature).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    for (const v of [...ed.rfc8032, ...ed.derived]) {
      expect(verifyEd25519(fromHex(v.message), fromHex(v.signature), fromHex(v.publicKey))).toBe(true);
    }
    const sha = read('sha256.json');
    expect(sha.cases[3].sha256).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    const jcs = read('canonical-json.json');
    expect(jcs.cases[0].canonical).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    for (const c of jcs.cases) expect(canonicalize(JSON.parse(c.json))).toBe(c.canonical);
  });

  it('Merkle proofs verify against the roots', () => {
    const m = read('merkle.json');
    expect(m.trees[0].root).toBe(toHex(sha256()));
    for (const tree of m.trees) {
      expect(
        toHex(merkleRoot(m.leaves.slice(0, tree.size).map((l: { leafHash: string }) => fromHex(l.leafHash)))),
      ).toBe(tree.root);
      for (const p of tree.inclusion) {
        const proof = { leafIndex: p.index, treeSize: tree.size, path: p.path };
        expect(verifyInclusionProof(m.leaves[p.index].leafHash, proof, tree.root)).toBe(true);
      }
      for (const c of tree.consistency) {
        expect(
          verifyConsistencyProof(
            { oldSize: c.oldSize, newSize: tree.size, path: c.path },
            c.oldRoot,
            tree.root,
          ),
        ).toBe(true);
      }
    }
  });

  it('the sample chain verifies and its commit hashes chain', () => {
    const { blocks } = read('blocks.json');
    const { identities } = read('identities.json');
    const consenters: Consenter[] = identities
      .filter((i: { nodeId?: string }) => i.nodeId)
      .map((i: Consenter) => ({ nodeId: i.nodeId, mspId: i.mspId, cert: i.cert }));
    let previous: Block | null = null;
    let commitHash = '0'.repeat(64);
    for (const entry of blocks) {
      const block = parseBlock(entry.canonical);
      const verified = verifyBlock(block, { previous: previous && chainTipOf(previous), consenters });
      expect(verified.blockHash).toBe(entry.blockHash);
      commitHash = commitHashOf(commitHash, verified.blockHash, entry.codes);
      expect(commitHash).toBe(entry.commitHash);
      previous = block;
    }
  });
});

const CHAIN = join(DIR, 'chain');

describe.runIf(existsSync(join(CHAIN, 'README.json')))(
  'chain vectors of libs/identity (test-vectors/chain/)',
  () => {
    it('verify block by block with the consenters of the config in force', () => {
      const manifest = JSON.parse(readFileSync(join(CHAIN, 'README.json'), 'utf8'));
      let previous: Block | null = null;
      let consenters: readonly Consenter[] = [];
      let commitHash = '0'.repeat(64);
      for (const entry of manifest.blocks) {
        const block = parseBlock(readFileSync(join(CHAIN, entry.file)));
        // The config in force is the last config block's; block 0 is verified with its own.
        const configTx = block.envelopes.find((e) => e.payload.type === 'config');
        if (block.header.number === 0) consenters = configConsenters(configTx?.payload.writes[0]);
        const verified = verifyBlock(block, {
          previous: previous && chainTipOf(previous),
          consenters,
          configNumber: entry.configNumber,
        });
        expect(verified.blockHash).toBe(entry.blockHash);
        expect(verified.txIds).toEqual(entry.txIds);
        expect(verifyEnvelopes(block).every((r) => r.signaturesOk)).toBe(true);
        if (entry.commitHash) {
          commitHash = commitHashOf(commitHash, verified.blockHash, entry.codes);
          expect(commitHash).toBe(entry.commitHash);
        }
        if (block.header.number > 0 && configTx) consenters = configConsenters(configTx.payload.writes[0]);
        previous = block;
      }
      expect(manifest.blocks.length).toBeGreaterThan(0);
    });
  },
);

function configConsenters(write: unknown): Consenter[] {
  const value = (write as { value?: { consenters?: Consenter[] } } | undefined)?.value;
  if (!Array.isArray(value?.consenters)) throw new Error('config write without consenters');
  return value.consenters.map(({ nodeId, mspId, cert }) => ({ nodeId, mspId, cert }));
}

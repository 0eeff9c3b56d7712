import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chainStart,
  readBlockInput,
  stateMapKey,
  validateBlock,
  verdictsFrom,
  signatureChecksOf,
  VerifierPool,
  type BlockInput,
  type BlockOutcome,
  type SignatureVerdicts,
  type ChainState,
} from '../src/index.js';
import { createTestNetwork, scenarioBlocks, type ScenarioBlock } from '../src/testing/index.js';

type Verdicts = (input: BlockInput) => SignatureVerdicts | undefined;

/** validateBlock over an in-memory state: pure, so a property can run it many times. */
function replay(blocks: readonly { block: unknown }[], verdicts: Verdicts = () => undefined): BlockOutcome[] {
  let chain: ChainState = chainStart('prop');
  const versions = new Map<string, string>();
  const txIds = new Set<string>();
  return blocks.map(({ block }) => {
    const input = readBlockInput(JSON.parse(JSON.stringify(block)));
    const signatures = verdicts(input);
    const outcome = validateBlock(
      input,
      chain,
      { version: (ns, key) => versions.get(stateMapKey(ns, key)) ?? null, hasTxId: (id) => txIds.has(id) },
      signatures ? { signatures } : {},
    );
    for (const change of outcome.commit.stateChanges) {
      if (change.value === null) versions.delete(stateMapKey(change.namespace, change.key));
      else versions.set(stateMapKey(change.namespace, change.key), change.version);
    }
    for (const id of outcome.txIds) txIds.add(id);
    chain = outcome.next;
    return outcome;
  });
}

describe('block validation (pure)', () => {
  const net = createTestNetwork({ channel: 'prop' });

  it('gives every transaction of any seeded scenario the code the scenario intends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 8 }),
        (seed, txsPerBlockMax) => {
          const scenario: ScenarioBlock[] = [
            ...scenarioBlocks(net, { blocks: 25, seed, txsPerBlockMax, configUpdateAt: 12, keys: 20 }),
          ];
          const outcomes = replay([{ block: net.genesis }, ...scenario]);
          scenario.forEach((s, i) => expect(outcomes[i + 1]!.codes, `block ${i + 1}`).toEqual(s.expected));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('is deterministic: the same codes and commit hashes whoever verified the signatures', async () => {
    const scenario = [
      { block: net.genesis },
      ...scenarioBlocks(net, { blocks: 30, seed: 5, configUpdateAt: 10 }),
    ];
    // Verdicts from the worker pool, computed ahead for every block.
    const pool = new VerifierPool({ workers: 2, inlineBelow: 1 });
    const pooled = new Map<string, SignatureVerdicts>();
    try {
      for (const { block } of scenario) {
        const input = readBlockInput(JSON.parse(JSON.stringify(block)));
        pooled.set(input.headerJson, verdictsFrom(input, await pool.verifyAll(signatureChecksOf(input))));
      }
    } finally {
      await pool.close();
    }
    const withPool = replay(scenario, (input) => pooled.get(input.headerJson)).map((o) => [
      o.codes,
      o.commitHash,
    ]);
    // Without verdicts the validator verifies every signature itself.
    const inline = replay(scenario).map((o) => [o.codes, o.commitHash]);
    expect(withPool).toEqual(inline);
    expect(new Set(inline.flatMap(([codes]) => codes as string[])).size).toBe(10);
  });
});

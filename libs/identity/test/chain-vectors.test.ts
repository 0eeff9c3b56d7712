import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chainTipOf,
  configVersion,
  parseBlock,
  verifyBlock,
  verifyEnvelopes,
  type Block,
} from '@civic/protocol';
import { configFromBlock, configTransactionOutcome } from '../src/index.js';
import { generateChainVectors } from './vectors/chain.js';

/**
 * The committed chain test vectors (libs/protocol/test-vectors/chain/) are exactly what the
 * generator makes, and they verify. `UPDATE_VECTORS=1` rewrites them instead of comparing.
 */
const DIR = resolve(import.meta.dirname, '../../protocol/test-vectors/chain');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [relative(DIR, join(dir, entry.name))],
  );
}

const generated = generateChainVectors();

describe('chain test vectors', () => {
  if (process.env.UPDATE_VECTORS === '1') {
    it('are rewritten', () => {
      for (const [file, content] of generated) {
        mkdirSync(dirname(join(DIR, file)), { recursive: true });
        writeFileSync(join(DIR, file), content);
      }
      expect(existsSync(join(DIR, 'README.json'))).toBe(true);
    });
    return;
  }

  it('are exactly what the generator makes, file for file', () => {
    expect(
      listFiles(DIR)
        .filter((f) => !f.endsWith('.md'))
        .sort(),
    ).toEqual([...generated.keys()].sort());
    for (const [file, content] of generated) {
      const committed = readFileSync(join(DIR, file));
      expect(
        committed.equals(Buffer.from(content)),
        `${file} differs: regenerate with npm run vectors:chain -w @civic/identity`,
      ).toBe(true);
    }
  });

  it('form a chain that verifies block by block, with the hashes the manifest states', () => {
    const manifest = JSON.parse(readFileSync(join(DIR, 'README.json'), 'utf8'));
    let previous: Block | null = null;
    let config = configFromBlock(parseBlock(readFileSync(join(DIR, 'blocks/0.block'))));
    for (const entry of manifest.blocks) {
      const block = parseBlock(readFileSync(join(DIR, entry.file)));
      const verified = verifyBlock(block, {
        previous: previous && chainTipOf(previous),
        consenters: config.consenters,
        configNumber: entry.configNumber,
      });
      expect(verified.blockHash).toBe(entry.blockHash);
      expect(block.header.dataHash).toBe(entry.dataHash);
      expect(verified.txIds).toEqual(entry.txIds);
      expect(verifyEnvelopes(block).every((r) => r.signaturesOk)).toBe(true);
      if (block.header.number > 0 && block.envelopes[0]!.payload.type === 'config') {
        const check = configTransactionOutcome(
          config,
          configVersion(entry.configNumber),
          block.envelopes[0]!,
          block.header.time,
        );
        expect(check).toMatchObject({ valid: true });
        if (check.valid) config = check.config;
      }
      previous = block;
    }
    expect(manifest.blocks).toHaveLength(5);
    expect(config.sequence).toBe(1);
    expect(manifest.blocks[2].txIds).toHaveLength(1);
  });
});

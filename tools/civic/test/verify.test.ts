import { describe, expect, it } from 'vitest';
import { parseBlock, serializeBlock, ZERO_HASH_HEX } from '@civic/protocol';
import { configFromBlock } from '@civic/identity';
import { parseBlockFile } from '../src/block-file.js';
import { CliError } from '../src/output.js';
import { verifyBlockInputs } from '../src/verify.js';
import { blockOne, tinyNetwork } from './fixtures.js';

/** Parses (strictly, as verify-block does) and verifies; a parse failure counts as a refusal. */
function verifyBytes(bytes: Uint8Array): { ok: boolean; reason?: string } {
  try {
    return verifyBlockInputs({ block: parseBlockFile('x', bytes, true) });
  } catch (error) {
    if (error instanceof CliError) return { ok: false, reason: error.message };
    throw error;
  }
}

describe('verify-block logic', () => {
  const net = tinyNetwork();

  it('accepts the genesis block and refuses single-byte changes anywhere in it', () => {
    expect(verifyBytes(net.genesisBytes)).toMatchObject({ ok: true });
    const text = new TextDecoder().decode(net.genesisBytes);
    // Every byte outside the envelopes (header and metadata: covered by hash and signature, not
    // by dataHash), and every third byte of the envelopes (covered by dataHash): ~1.5k checks.
    const envelopesStart = text.indexOf('"envelopes":');
    const envelopesEnd = text.indexOf('"header":');
    const positions = [...Array(net.genesisBytes.byteLength).keys()].filter(
      (i) => i < envelopesStart || i >= envelopesEnd || i % 3 === 0,
    );
    expect(positions.length).toBeGreaterThan(1000);
    const accepted = positions.filter((i) => {
      const copy = new Uint8Array(net.genesisBytes);
      copy[i] = copy[i]! ^ 0x01;
      return verifyBytes(copy).ok;
    });
    // Canonical JSON leaves no byte that the parser, the hashes or the signatures ignore.
    expect(accepted).toEqual([]);
  });

  it('checks a later block against the previous one and the config in force', () => {
    const one = blockOne(net);
    const withPrev = verifyBlockInputs({ block: one, previous: net.genesis });
    expect(withPrev).toMatchObject({
      ok: true,
      number: 1,
      chainChecked: true,
      consentersFrom: 'config block 0 (--prev)',
    });
    const config = { config: configFromBlock(net.genesis), from: 'test' };
    expect(verifyBlockInputs({ block: one, config })).toMatchObject({ ok: true, chainChecked: false });
    const alone = verifyBlockInputs({ block: one });
    expect(alone.ok).toBe(false);
    expect(alone.reason).toContain('pass --network');
    const misplaced = verifyBlockInputs({ block: blockOne(net, ZERO_HASH_HEX), previous: net.genesis });
    expect(misplaced).toMatchObject({ ok: false });
    expect(misplaced.reason).toContain('previousHash');
  });

  it('refuses a block signed by an orderer that is not a consenter of the config given', () => {
    const other = tinyNetwork();
    const stranger = verifyBlockInputs({
      block: blockOne(net),
      config: { config: { ...configFromBlock(other.genesis), consenters: [] }, from: 'test' },
    });
    expect(stranger.reason).toContain('is not a consenter of the config in force');
  });

  it('refuses a non-canonical spelling of a valid block', () => {
    const pretty = new TextEncoder().encode(JSON.stringify(parseBlock(net.genesisBytes), null, 1));
    expect(verifyBytes(pretty).reason).toContain('canonical');
    expect(serializeBlock(parseBlock(pretty, { requireCanonical: false }))).toEqual(net.genesisBytes);
  });
});

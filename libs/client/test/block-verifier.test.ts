import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blockHashOf,
  canonicalize,
  configVersion,
  parseBlock,
  serializeBlock,
  signBlock,
  type Block,
} from '@civic/protocol';
import { configTransactionOutcome, type ChannelConfig } from '@civic/identity';
import {
  BlockRejectedError,
  BlockVerifier,
  ConfigUpdate,
  TrustAnchorError,
  type ConfigInForce,
} from '../src/index.js';
import { ChainBuilder, T0_MS } from './support/chain.js';

/** Test edits reach into JSON freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A block's JSON with `edit` applied (no re-signing, no re-hashing). */
function edited(block: Block, edit: (json: Json) => void): unknown {
  const json = JSON.parse(canonicalize(block));
  edit(json);
  return json;
}

function rejection(verifier: BlockVerifier, input: unknown, options = {}): BlockRejectedError {
  const result = verifier.check(input, options);
  if (result.ok) throw new Error(`block ${result.verified.number} verified, a rejection was expected`);
  return result.error;
}

describe('BlockVerifier over a chain of transactions', () => {
  let chain: ChainBuilder;

  beforeAll(() => {
    chain = new ChainBuilder('tverify');
    chain.txBlock(1);
    chain.txBlock(3);
    chain.txBlock(2);
  });

  function atBlock1(): BlockVerifier {
    const v = BlockVerifier.fromGenesis(serializeBlock(chain.genesis));
    v.verify(chain.blocks[1]);
    return v;
  }

  it('verifies each next block, moves its tip and reports envelope signatures', () => {
    const v = BlockVerifier.fromGenesis(chain.genesis);
    expect(v.tip.number).toBe(0);
    for (const block of chain.blocks.slice(1)) {
      const result = v.check(serializeBlock(block));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.verified.blockHash).toBe(blockHashOf(block.header));
      expect(result.verified.envelopes).toHaveLength(block.envelopes.length);
      expect(result.verified.envelopes!.every((e) => e.signaturesOk)).toBe(true);
      expect(result.verified.configUpdate).toBe(ConfigUpdate.NONE);
    }
    expect(v.tip).toMatchObject({
      channel: 'tverify',
      number: 3,
      hash: blockHashOf(chain.tip.header),
      time: chain.tip.header.time,
    });
    expect(v.nextNumber).toBe(4);
  });

  const tamperings: [string, string, (b: Block) => unknown][] = [
    ['a skipped number', 'BlockNumberError', (b) => edited(b, (j) => (j.header.number = 3))],
    [
      'another previous hash',
      'PreviousHashError',
      (b) => edited(b, (j) => (j.header.previousHash = 'ab'.repeat(32))),
    ],
    ['another channel', 'BlockChannelError', (b) => edited(b, (j) => (j.header.channel = 'other'))],
    [
      'a time before the previous block',
      'BlockTimeError',
      (b) => edited(b, (j) => (j.header.time = new Date(T0_MS).toISOString())),
    ],
    [
      'a txCount that is not the envelope count',
      'TxCountError',
      (b) => edited(b, (j) => (j.header.txCount = 2)),
    ],
    [
      'a changed write value',
      'DataHashError',
      (b) => edited(b, (j) => (j.envelopes[1].payload.writes[0].value.amountCents += 1)),
    ],
    ['envelopes in another order', 'DataHashError', (b) => edited(b, (j) => j.envelopes.reverse())],
    [
      'a removed envelope and count',
      'DataHashError',
      (b) =>
        edited(b, (j) => {
          j.envelopes.pop();
          j.header.txCount = 2;
        }),
    ],
    [
      'a flipped signature',
      'BlockSignatureError',
      (b) =>
        edited(b, (j) => {
          const s: string = j.metadata.signatures[0].signature;
          j.metadata.signatures[0].signature = (s[0] === '0' ? '1' : '0') + s.slice(1);
        }),
    ],
    ['no signature', 'BlockSignatureError', (b) => edited(b, (j) => (j.metadata.signatures = []))],
    [
      "a Raft position before the previous block's",
      'RaftPositionError',
      (b) => edited(b, (j) => (j.metadata.raft.index -= 2)),
    ],
    [
      'a config number that is not the one in force',
      'ConfigNumberError',
      (b) => edited(b, (j) => (j.metadata.configNumber = 1)),
    ],
    [
      'a signer renamed',
      'BlockSignatureError',
      (b) => edited(b, (j) => (j.metadata.signatures[0].nodeId = 'orderer2')),
    ],
    ['an unknown member', 'UnknownFieldError', (b) => edited(b, (j) => (j.header.extra = 1))],
  ];

  it.each(tamperings)('rejects block 2 with %s (%s) and stays where it was', (_what, check, tamper) => {
    const v = atBlock1();
    const before = v.state();
    const error = rejection(v, tamper(chain.blocks[2]!));
    expect(error).toBeInstanceOf(BlockRejectedError);
    expect(error.check).toBe(check);
    expect(error.blockNumber).toBe(check === 'BlockNumberError' ? 3 : check === 'UnknownFieldError' ? 2 : 2);
    expect(v.state()).toEqual(before);
    expect(v.check(chain.blocks[2]).ok).toBe(true);
  });

  it('rejects a block signed by an orderer that is not a consenter of the config in force', () => {
    const v = atBlock1();
    const forged = chain.sign(chain.draft(chain.blocks[2]!.envelopes, { previous: chain.blocks[1] }), [
      'orderer2',
    ]);
    const error = rejection(v, forged);
    expect(error.check).toBe('BlockSignatureError');
    expect(error.reason).toContain('orderer2 (Orderers) is not a consenter');
  });

  it('rejects non-canonical bytes and a hash other than the expected one', () => {
    const v = atBlock1();
    const pretty = new TextEncoder().encode(JSON.stringify(chain.blocks[2], null, 1));
    expect(rejection(v, pretty).check).toBe('NotCanonicalError');
    expect(rejection(v, chain.blocks[2], { expectedHash: 'cd'.repeat(32) }).check).toBe('BlockHashError');
    expect(v.check(chain.blocks[2], { expectedHash: blockHashOf(chain.blocks[2]!.header) }).ok).toBe(true);
  });

  it('keeps a block whose envelope carries a bad signature, and reports it', () => {
    const v = atBlock1();
    const bad = edited(chain.blocks[2]!, (j) => {
      j.envelopes[0].signature = 'ee'.repeat(64);
    }) as Block;
    // Rebuild the block around the altered envelope: valid header and consenter signature.
    const block = chain.sign(chain.draft(parseBlock(bad).envelopes, { previous: chain.blocks[1] }));
    const verified = v.verify(block);
    expect(verified.envelopes!.map((e) => e.signaturesOk)).toEqual([false, true, true]);
    expect(verified.envelopes![0]!.creatorSignatureOk).toBe(false);
  });

  it("any bit flipped in a block's wire bytes is refused, except a later Raft position (property)", () => {
    // The consenters sign the blockHash (docs/protocol.md): metadata.raft is not signed, and a
    // verifier can only require it to move forward. Everything else is covered.
    const original = chain.blocks[2]!;
    const bytes = serializeBlock(original);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        (at, bit) => {
          const v = atBlock1();
          const copy = bytes.slice();
          copy[at]! ^= 1 << bit;
          const result = v.check(copy);
          if (!result.ok) {
            expect(v.tip.number).toBe(1);
            return;
          }
          const got = result.verified.block;
          expect(got.header).toEqual(original.header);
          expect(got.envelopes).toEqual(original.envelopes);
          expect(got.metadata.signatures).toEqual(original.metadata.signatures);
          expect(got.metadata.configNumber).toBe(original.metadata.configNumber);
          const { raft } = got.metadata;
          expect(raft.index >= original.metadata.raft.index && raft.term >= original.metadata.raft.term).toBe(
            true,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('saves its state as JSON and continues from it', () => {
    const v = atBlock1();
    const saved = JSON.parse(JSON.stringify(v.state()));
    const resumed = BlockVerifier.fromState(saved);
    expect(resumed.tip).toEqual(v.tip);
    expect(resumed.verify(chain.blocks[2]).number).toBe(2);
    expect(() => BlockVerifier.fromState({ ...saved, tip: { ...saved.tip, hash: 'XY' } })).toThrow(
      /verifier state: tip.hash is not 64 lowercase hex digits/,
    );
    expect(() => BlockVerifier.fromState({ ...saved, version: 2 })).toThrow(TrustAnchorError);
    expect(() => BlockVerifier.fromState({ ...saved, config: { ...saved.config, consenters: [] } })).toThrow(
      /config.consenters must list 1 to 64/,
    );
  });

  it('refuses a genesis anchor that is not an intact genesis block', () => {
    expect(() => BlockVerifier.fromGenesis(chain.blocks[1])).toThrow(
      /block 0 with exactly one config transaction/,
    );
    const tampered = edited(chain.genesis, (j) => (j.header.time = '2026-03-01T12:00:00.001Z'));
    expect(() => BlockVerifier.fromGenesis(tampered)).toThrow(TrustAnchorError);
    expect(() => BlockVerifier.fromGenesis('not json')).toThrow(/genesis: /);
  });
});

describe('BlockVerifier follows config changes', () => {
  it('takes new consenters from the block after a config block, and drops removed ones', () => {
    const chain = new ChainBuilder('tconfig');
    chain.txBlock(1); // 1
    chain.configBlock(chain.withConsenter('orderer2')); // 2: orderer1 signs; from 3 on orderer1 + orderer2
    chain.txBlock(2); // 3
    chain.configBlock(chain.withConsenter('orderer3')); // 4
    chain.txBlock(1); // 5: three signatures
    chain.configBlock(chain.withoutConsenter('orderer1')); // 6
    chain.txBlock(1); // 7: orderer2 and orderer3

    const v = BlockVerifier.fromGenesis(chain.genesis);
    const updates = chain.blocks.slice(1).map((b) => v.verify(b));
    expect(updates.map((u) => u.configUpdate)).toEqual([
      'none',
      'pending',
      'none',
      'pending',
      'none',
      'pending',
      'none',
    ]);
    expect(updates.map((u) => u.configNumber)).toEqual([0, 0, 2, 2, 4, 4, 6]);
    expect(v.config.number).toBe(6);
    expect(v.config.sequence).toBe(3);
    expect(v.config.consenters.map((c) => c.nodeId)).toEqual(['orderer2', 'orderer3']);

    // Block 8 signed by the removed orderer1 is refused; by the members in force it verifies.
    const byRemoved = chain.sign(chain.draft([chain.envelope()]), ['orderer1']);
    expect(rejection(v, byRemoved).reason).toContain('orderer1 (Orderers) is not a consenter');
    expect(v.check(chain.sign(chain.draft([chain.envelope()]), ['orderer3'])).ok).toBe(true);
  });

  it('after a config block accepts either config, verifying with the consenters of the one the next block names', () => {
    const chain = new ChainBuilder('tconfig');
    chain.configBlock(chain.withConsenter('orderer2')); // 1
    const v = BlockVerifier.fromGenesis(chain.genesis);
    v.verify(chain.blocks[1]);
    // Block 2 claims config 1 but lacks orderer2's signature? It verifies with orderer1 alone
    // (every listed signature must verify; one is enough). Claiming config 0 is also accepted
    // (the update may not have taken effect) — but not a config number that never existed.
    const claimsOther = chain.sign(chain.draft([chain.envelope()], { configNumber: 0 }), ['orderer1']);
    expect(v.check(claimsOther).ok).toBe(true);
    expect(v.config.number).toBe(0);
    expect(v.pendingConfig).toBeNull();
  });

  it('keeps the old config when the next block names it (an update the orderers did not adopt)', () => {
    const chain = new ChainBuilder('tconfig');
    chain.txBlock(1); // 1
    chain.configBlock(chain.withConsenter('orderer2'), { adopt: false }); // 2
    chain.txBlock(1); // 3: configNumber 0, signed by orderer1
    const v = BlockVerifier.fromGenesis(chain.genesis);
    for (const b of chain.blocks.slice(1)) v.verify(b);
    expect(v.config.number).toBe(0);
    expect(v.config.consenters.map((c) => c.nodeId)).toEqual(['orderer1']);
    const byOrderer2 = chain.sign(chain.draft([chain.envelope()]), ['orderer2']);
    expect(rejection(v, byOrderer2).check).toBe('BlockSignatureError');
  });

  it('ignores a config update with a stale read version or sequence', () => {
    const chain = new ChainBuilder('tconfig');
    chain.txBlock(1);
    const stale = chain.configBlock(chain.withConsenter('orderer2'), { adopt: false, readVersion: '1:0' });
    const v = BlockVerifier.fromGenesis(chain.genesis);
    v.verify(chain.blocks[1]);
    const result = v.verify(stale);
    expect(result.configUpdate).toBe(ConfigUpdate.IGNORED);
    expect(result.configNote).toContain('read config version 1:0, but the config in force is 0:0');
    // Naming the ignored block as config is then refused.
    const claims = chain.sign(chain.draft([chain.envelope()], { configNumber: 2 }), ['orderer1']);
    expect(rejection(v, claims).check).toBe('ConfigNumberError');
  });

  it('decides at once with decideConfig (identity rules) and then accepts only that config', () => {
    const chain = new ChainBuilder('tconfig');
    chain.configBlock(chain.withConsenter('orderer2')); // 1
    chain.txBlock(1); // 2
    const decideConfig = ({ current, block }: { current: ConfigInForce; block: Block }) =>
      configTransactionOutcome(
        current.config as unknown as ChannelConfig,
        configVersion(current.number),
        block.envelopes[0]!,
        block.header.time,
      ).valid;
    const v = BlockVerifier.fromGenesis(chain.genesis, { decideConfig });
    expect(v.verify(chain.blocks[1]).configUpdate).toBe(ConfigUpdate.ADOPTED);
    expect(v.config.number).toBe(1);
    const oldNumber = chain.sign(
      chain.draft([chain.envelope()], { previous: chain.blocks[1], configNumber: 0 }),
      ['orderer1'],
    );
    expect(rejection(v, oldNumber).check).toBe('ConfigNumberError');
    expect(v.check(chain.blocks[2]).ok).toBe(true);
  });
});

describe('BlockVerifier ignores nothing it was not told to', () => {
  it('a signature added by a non-consenter makes the block fail even with a good consenter signature', () => {
    const chain = new ChainBuilder('textra');
    const good = chain.sign(chain.draft([chain.envelope()]));
    const withExtra = signBlock(good, chain.signer('orderer2'));
    const v = BlockVerifier.fromGenesis(chain.genesis);
    expect(rejection(v, withExtra).check).toBe('BlockSignatureError');
    expect(v.verify(good).blockHash).toBe(blockHashOf(good.header));
  });
});

import {
  blockHashOf,
  parseBlock,
  serializeEnvelope,
  SubmitCode,
  txIdOf,
  type Block,
  type Hex,
} from '@civic/protocol';
import { ProposalDroppedError, ProposalDropReason } from '@civic/raft';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { decideEntry, genesisState } from '../src/chain/chain-state.js';
import { checkSubmission, type CheckedEnvelope } from '../src/intake/check-envelope.js';
import { LeaderPipeline } from '../src/leader/leader-pipeline.js';
import { configUpdateEnvelope, createTestNetwork, prepareTxs } from '../src/testing/network.js';

const net = createTestNetwork({ channel: 'pipe' });
const genesis = genesisState(net.genesis);
const o1 = net.identity('orderer1');
const limits = {
  maxMessageCount: 4,
  preferredMaxBytes: 100_000,
  absoluteMaxBytes: 900_000,
  timeoutMs: 10_000,
};

function checkedOf(bytes: Uint8Array): CheckedEnvelope {
  const verdict = checkSubmission(bytes, {
    channel: 'pipe',
    config: net.config,
    configNumber: 0,
    nowMs: Date.now(),
    txWindowMs: 600_000,
  });
  if (!verdict.ok) throw new Error(verdict.rejection.reason);
  return verdict.checked;
}

function harness(options: { dropFirst?: boolean } = {}) {
  const proposals: Uint8Array[] = [];
  let index = 1;
  let drop = options.dropFirst === true;
  const pipeline = new LeaderPipeline(
    {
      channel: 'pipe',
      signer: { nodeId: 'orderer1', mspId: o1.mspId, cert: o1.cert, key: o1.key },
      clock: () => 1_000_000,
      nextPosition: () => ({ index: index + 1, term: 3 }),
      propose: (data) => {
        if (drop) {
          drop = false;
          throw new ProposalDroppedError(ProposalDropReason.UncommittedLimit);
        }
        proposals.push(data);
        index += 1;
        return { index, term: 3 };
      },
      log: pino({ level: 'silent' }),
      onCut: () => undefined,
      onCommitted: () => undefined,
    },
    limits,
    2,
    8,
  );
  pipeline.activate(genesis, limits, 2);
  return { pipeline, proposals, index: () => index };
}

const txs = prepareTxs(net, 20, 'pipe').map((t) => checkedOf(t.bytes));

describe('leader pipeline', () => {
  it('cuts at the count limit, chains and numbers blocks, bounds blocks in flight, and refuses duplicates', () => {
    const { pipeline, proposals } = harness();
    for (const tx of txs.slice(0, 12)) expect(pipeline.admit(tx)).toBeNull();
    expect(pipeline.admit(txs[0] as CheckedEnvelope)?.code).toBe(SubmitCode.DUPLICATE_TXID);
    expect(proposals).toHaveLength(2); // 3 blocks cut, 2 may be in flight
    const [b1, b2] = proposals.map((p) => parseBlock(p));
    expect(b1!.header.number).toBe(1);
    expect(b1!.header.previousHash).toBe(genesis.tip.hash);
    expect(b2!.header.number).toBe(2);
    expect(b1!.metadata.raft).toEqual({ term: 3, index: 2 });
    expect(b1!.envelopes).toHaveLength(4);
    expect(pipeline.inflightBlocks).toBe(2);
    // What the leader applies without parsing is what every follower parses.
    for (const bytes of proposals) {
      const built = pipeline.builtBlock(bytes);
      expect(built).toEqual(parseBlock(bytes));
      const withBuilt = decideEntry(genesis, { index: 2, term: 3, data: bytes }, built);
      const parsed = decideEntry(genesis, { index: 2, term: 3, data: bytes });
      expect(withBuilt).toEqual(parsed);
    }
    expect(pipeline.builtBlock(new Uint8Array(proposals[0] as Uint8Array))).toBeUndefined();
    expect(pipeline.pendingEnvelopes).toBe(12);
  });

  it('drops everything when deposed', () => {
    const { pipeline } = harness();
    for (const tx of txs.slice(0, 6)) pipeline.admit(tx);
    expect(pipeline.deactivate()).toBe(6);
    expect(pipeline.admit(txs[7] as CheckedEnvelope)?.code).toBe(SubmitCode.NOT_READY);
  });

  it('keeps a batch whose proposal Raft dropped, and proposes it later', () => {
    const { pipeline, proposals } = harness({ dropFirst: true });
    for (const tx of txs.slice(0, 4)) pipeline.admit(tx);
    expect(proposals).toHaveLength(0);
    pipeline.pump();
    expect(proposals).toHaveLength(1);
    expect(parseBlock(proposals[0] as Uint8Array).envelopes).toHaveLength(4);
  });

  it('puts a config transaction alone, after what is in flight, and holds the pipeline until it is applied', () => {
    const { pipeline, proposals } = harness();
    for (const tx of txs.slice(0, 2)) pipeline.admit(tx);
    const next = { ...net.config, sequence: 1 };
    const config = checkedOf(serializeEnvelope(configUpdateEnvelope(net, next)));
    expect(pipeline.admit(config)).toBeNull();
    expect(pipeline.admit(checkedOf(serializeEnvelope(configUpdateEnvelope(net, next))))?.code).toBe(
      SubmitCode.CONFIG_PENDING,
    );
    expect(proposals).toHaveLength(1); // the 2 pending were cut before it; the config waits for them
    const first = parseBlock(proposals[0] as Uint8Array);
    expect(first.envelopes).toHaveLength(2);
    const state1 = { ...genesis, height: 2, tip: { ...genesis.tip, number: 1, hash: blockHash(first) } };
    pipeline.onApplied(state1, 2, txIdsOf(first));
    expect(proposals).toHaveLength(2);
    expect(parseBlock(proposals[1] as Uint8Array).envelopes).toHaveLength(1);
    for (const tx of txs.slice(2, 10)) pipeline.admit(tx);
    expect(proposals).toHaveLength(2); // nothing follows a config block until it is applied
  });

  it('re-cuts waiting batches when new limits come into force', () => {
    const { pipeline, proposals } = harness();
    for (const tx of txs.slice(0, 16)) pipeline.admit(tx); // 4 blocks of 4: 2 proposed, 2 waiting
    pipeline.setLimits({ ...limits, maxMessageCount: 2 }, 2);
    const first = parseBlock(proposals[0] as Uint8Array);
    const second = parseBlock(proposals[1] as Uint8Array);
    pipeline.onApplied(
      { ...genesis, height: 3, tip: { ...genesis.tip, number: 2, hash: blockHash(second) } },
      3,
      [...txIdsOf(first), ...txIdsOf(second)],
    );
    expect(proposals.slice(2).map((p) => parseBlock(p).envelopes.length)).toEqual([2, 2]);
  });
});

function blockHash(block: Block): Hex {
  return blockHashOf(block.header);
}
function txIdsOf(block: Block): Hex[] {
  return block.envelopes.map((e) => txIdOf(e.payload));
}

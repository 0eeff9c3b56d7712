import type { ChannelConfig } from '@civic/identity';
import {
  chainStart,
  readBlockInput,
  stateMapKey,
  validateBlock,
  type BlockOutcome,
  type ChainState as LedgerChainState,
} from '@civic/ledger';
import {
  formatRfc3339Ms,
  serializeEnvelope,
  sha256,
  SubmitCode,
  type BlockSigner,
  type Envelope,
} from '@civic/protocol';
import { describe, expect, it } from 'vitest';
import { assembleSignedBlock } from '../src/chain/assemble.js';
import { decideEntry, genesisState, type ChainState } from '../src/chain/chain-state.js';
import { checkSubmission } from '../src/intake/check-envelope.js';
import { configUpdateEnvelope, createTestNetwork, MAJORITY_ADMINS } from '../src/testing/network.js';

/**
 * The orderers' config in force (which block `configNumber` names) and the peers' code for a
 * config transaction come from one rule (identity's configTransactionOutcome). Were they to
 * differ, every peer would halt on the next block's configNumber. The same config blocks go
 * through both paths here: the orderer's decideEntry and intake, and libs/ledger's
 * validateBlock, and they must agree on every one.
 */
const net = createTestNetwork({ channel: 'agree' });
const o1 = net.identity('orderer1');
const signer: BlockSigner = { nodeId: 'orderer1', mspId: o1.mspId, cert: o1.cert, key: o1.key };
const ordererGenesis = genesisState(net.genesis);
const blockTimeMs = Date.parse(ordererGenesis.tip.time) + 1000;

/** The peer's state after genesis: chain state and the versions of its keys. */
function peerAfterGenesis(): { chain: LedgerChainState; versions: Map<string, string> } {
  const versions = new Map<string, string>();
  const outcome = validateBlock(
    readBlockInput(net.genesisBytes),
    chainStart(net.channel),
    readerOf(versions, new Set()),
  );
  remember(outcome, versions);
  return { chain: outcome.next, versions };
}

function readerOf(versions: Map<string, string>, txIds: Set<string>) {
  return {
    version: (ns: string, key: string) => versions.get(stateMapKey(ns, key)) ?? null,
    hasTxId: (txId: string) => txIds.has(txId),
  };
}

function remember(outcome: BlockOutcome, versions: Map<string, string>): void {
  for (const c of outcome.commit.stateChanges) {
    if (c.value === null) versions.delete(stateMapKey(c.namespace, c.key));
    else versions.set(stateMapKey(c.namespace, c.key), c.version);
  }
}

/** Block 1 holding `envelope` alone, as the leader cuts it. */
function configBlock(envelope: Envelope): Uint8Array {
  const bytes = serializeEnvelope(envelope);
  return assembleSignedBlock(
    {
      channel: net.channel,
      number: 1,
      previousHash: ordererGenesis.tip.hash,
      time: formatRfc3339Ms(blockTimeMs),
      raft: { term: 2, index: 2 },
      configNumber: 0,
      envelopes: [{ bytes, envelopeHash: sha256(bytes) }],
    },
    signer,
  ).bytes;
}

const next = (change: Partial<ChannelConfig> = {}): ChannelConfig => ({
  ...net.config,
  sequence: 1,
  batch: { ...net.config.batch, maxMessageCount: 7 },
  ...change,
});
const update = (config: ChannelConfig, options: Parameters<typeof configUpdateEnvelope>[2] = {}): Envelope =>
  configUpdateEnvelope(net, config, { txTimeMs: blockTimeMs, ...options });

const withForgedEndorsement = (envelope: Envelope): Envelope => ({
  ...envelope,
  endorsements: envelope.endorsements.map((e, i) => (i === 0 ? { ...e, signature: envelope.signature } : e)),
});

const [first, second] = net.config.consenters;

/** name, envelope, the peers' code, the intake's code (null = accepted). */
const CASES: readonly (readonly [string, Envelope, string, SubmitCode | null])[] = [
  ['a valid update', update(next()), 'VALID', null],
  [
    'signed by too few admins',
    update(next(), { admins: MAJORITY_ADMINS.slice(0, 3) }),
    'INVALID_CONFIG',
    SubmitCode.CONFIG_NOT_ALLOWED,
  ],
  [
    'created by a client, endorsed by admins',
    update(next(), { admins: ['utrecht-parking', ...MAJORITY_ADMINS] }),
    'VALID',
    null,
  ],
  ['a skipped sequence', update(next({ sequence: 2 })), 'INVALID_CONFIG', SubmitCode.INVALID_CONFIG],
  ['another channel', update(next({ channel: 'other' })), 'MALFORMED', SubmitCode.WRONG_CHANNEL],
  [
    'two consenters removed at once',
    update(next({ consenters: net.config.consenters.filter((c) => c !== first && c !== second) })),
    'INVALID_CONFIG',
    SubmitCode.INVALID_CONFIG,
  ],
  [
    'a stale read of the config key',
    update(next(), { readVersion: '3:0' }),
    'MVCC_READ_CONFLICT',
    SubmitCode.INVALID_CONFIG,
  ],
  [
    'an endorsement that does not verify',
    withForgedEndorsement(update(next())),
    'ENDORSEMENT_POLICY_FAILURE',
    SubmitCode.BAD_SIGNATURE,
  ],
];

describe('orderers and peers agree on config transactions', () => {
  it.each(CASES)('%s', (_name, envelope, peerCode, intakeCode) => {
    const bytes = configBlock(envelope);

    const peer = peerAfterGenesis();
    const validated = validateBlock(readBlockInput(bytes), peer.chain, readerOf(peer.versions, new Set()));
    expect(validated.codes).toEqual([peerCode]);

    const decision = decideEntry(ordererGenesis, { index: 2, term: 2, data: bytes });
    expect(decision.kind).toBe('append');
    if (decision.kind !== 'append') return;
    const orderer: ChainState = decision.next;
    // The one thing they must agree on: whether block 1 is now the config block in force.
    expect(decision.configChanged).toBe(peerCode === 'VALID');
    expect(orderer.configNumber).toBe(validated.next.configBlock);
    expect(orderer.config).toEqual(validated.next.config);

    const intake = checkSubmission(serializeEnvelope(envelope), {
      channel: net.channel,
      config: net.config,
      configNumber: 0,
      nowMs: blockTimeMs,
      txWindowMs: 600_000,
    });
    expect(intake.ok ? null : intake.rejection.code).toBe(intakeCode);
  });
});

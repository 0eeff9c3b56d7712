/**
 * Deterministic sample data for tests, vectors and benchmarks: identities from fixed seeds,
 * payloads, envelopes and a small chain (genesis config block + transaction blocks).
 */
import {
  ZERO_HASH_HEX,
  buildBlock,
  chainTipOf,
  createEnvelope,
  createPayload,
  endorsePayload,
  signBlock,
  toHex,
  type Block,
  type BlockSigner,
  type Consenter,
  type Envelope,
  type Signer,
  type TxPayload,
} from '../../src/index.js';
import { testIdentity } from './certificates.js';

function signer(mspId: string, ou: string, cn: string, keyLabel: number): Signer {
  const { cert, key } = testIdentity(mspId, ou, cn, keyLabel);
  return { mspId, cert, key };
}

function consenter(nodeId: string, mspId: string, keyLabel: number): BlockSigner {
  return { nodeId, ...signer(mspId, 'orderer', nodeId, keyLabel) };
}

export const CHANNEL = 'civic-test';
export const creator = signer('Subsidies', 'client', 'grants-service', 11);
export const endorser = signer('Utrecht', 'client', 'utrecht-endorser', 12);
export const admin = signer('Subsidies', 'admin', 'subsidies-admin', 13);
export const orderer1 = consenter('orderer-1', 'Orderers', 21);
export const orderer2 = consenter('orderer-2', 'Orderers', 22);
export const consenters: readonly Consenter[] = [orderer1, orderer2].map(({ nodeId, mspId, cert }) => ({
  nodeId,
  mspId,
  cert,
}));

/** A fixed-width nonce from a number, so samples are reproducible. */
export function nonceOf(i: number): string {
  return toHex(new Uint8Array(16).map((_, j) => (i >> ((j % 4) * 8)) & 0xff));
}

export function timeOf(second: number): string {
  return new Date(Date.UTC(2026, 10, 28, 10, 0, 0) + second * 1000 + (second % 1000)).toISOString();
}

/** A subsidy-grant payload (~1 KB once signed into an envelope). */
export function samplePayload(i: number, overrides: Partial<TxPayload> = {}): TxPayload {
  return createPayload({
    channel: CHANNEL,
    namespace: 'subsidies',
    action: 'grant.approve',
    txTime: timeOf(i),
    nonce: nonceOf(i),
    creator: { mspId: creator.mspId, cert: creator.cert },
    reads: [{ key: `grant/${i}`, version: i === 0 ? null : `${i}:0` }],
    writes: [
      { key: `grant/${i}`, value: { amountCents: 125_000 + i, status: 'approved', applicant: 'h:5f3a' } },
    ],
    event: { type: 'grant.approved', data: { grant: `grant/${i}`, amountCents: 125_000 + i } },
    ...overrides,
  });
}

export function sampleEnvelope(i: number, endorsed = true): Envelope {
  const payload = samplePayload(i);
  return createEnvelope(payload, creator.key, endorsed ? [endorsePayload(payload, endorser)] : []);
}

/** A genesis config payload with a stand-in config value (libs/identity owns the real one). */
export function genesisPayload(): TxPayload {
  return createPayload({
    type: 'config',
    channel: CHANNEL,
    namespace: 'config',
    action: 'update',
    txTime: timeOf(0),
    nonce: nonceOf(0),
    creator: { mspId: admin.mspId, cert: admin.cert },
    reads: [{ key: 'channel', version: null }],
    writes: [{ key: 'channel', value: { channel: CHANNEL, sequence: 0, consenters } }],
    event: { type: 'config.updated', data: { sequence: 0 } },
  });
}

/** Genesis plus `blocks` transaction blocks of `perBlock` envelopes, signed by orderer-1. */
export function sampleChain(blocks: number, perBlock: number): Block[] {
  const genesis = signBlock(
    buildBlock({
      channel: CHANNEL,
      number: 0,
      previousHash: ZERO_HASH_HEX,
      envelopes: [createEnvelope(genesisPayload(), admin.key)],
      time: timeOf(0),
      raft: { term: 0, index: 0 },
      configNumber: 0,
    }),
    orderer1,
  );
  const chain = [genesis];
  for (let b = 1; b <= blocks; b++) {
    const tip = chainTipOf(chain[chain.length - 1] as Block);
    const envelopes = Array.from({ length: perBlock }, (_, i) => sampleEnvelope(b * 1000 + i));
    const block = buildBlock({
      channel: CHANNEL,
      number: b,
      previousHash: tip.hash,
      envelopes,
      time: timeOf(b * 10),
      raft: { term: 1, index: b + 1 },
      configNumber: 0,
    });
    chain.push(signBlock(block, orderer1));
  }
  return chain;
}

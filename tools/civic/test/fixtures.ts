import {
  buildBlock,
  blockHashOf,
  createEnvelope,
  createPayload,
  signBlock,
  type Block,
} from '@civic/protocol';
import { createNetwork, seededKeySource, type NetworkSpec, type NetworkWithGenesis } from '@civic/identity';

/** 2026-03-01T12:00:00Z. */
export const T0_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

/** A two-organisation network: small blocks, so that tests can flip every byte. */
export const TINY_SPEC: NetworkSpec = {
  channel: 'tiny',
  organizations: [
    { mspId: 'Orderers', name: 'Ordering service', type: 'orderer' },
    { mspId: 'RVO', name: 'Netherlands Enterprise Agency', type: 'application' },
  ],
  identities: [
    { name: 'orderer1', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderers-admin', mspId: 'Orderers', role: 'admin', purpose: 'admin' },
    { name: 'rvo-subsidies', mspId: 'RVO', role: 'client', purpose: 'subsidies service' },
  ],
  consenters: ['orderer1'],
  namespaces: { subsidies: { writers: "'RVO.member'", endorsement: {}, defaultEndorsement: "'RVO.client'" } },
  policies: { admins: 'MAJORITY admin', readers: 'ANY member' },
};

export function tinyNetwork(): NetworkWithGenesis {
  return createNetwork(TINY_SPEC, {
    timeMs: T0_MS,
    keys: seededKeySource('civic-cli-tests'),
    genesisNonce: '22'.repeat(32),
  });
}

/** Block 1 on top of the genesis block: one subsidies transaction, signed by orderer1. */
export function blockOne(
  { network, genesis }: NetworkWithGenesis,
  previousHash = blockHashOf(genesis.header),
): Block {
  const client = network.identities.get('rvo-subsidies')!;
  const orderer = network.identities.get('orderer1')!;
  const payload = createPayload({
    channel: 'tiny',
    namespace: 'subsidies',
    action: 'grant',
    txTime: T0_MS + 1000,
    nonce: '33'.repeat(32),
    creator: { mspId: client.mspId, cert: client.cert },
    reads: [{ key: 'grant/1', version: null }],
    writes: [{ key: 'grant/1', value: { amountCents: 150_000 } }],
    event: { type: 'grant.created', data: { id: 1 } },
  });
  const block = buildBlock({
    channel: 'tiny',
    number: 1,
    previousHash,
    envelopes: [createEnvelope(payload, client.key)],
    time: T0_MS + 2000,
    raft: { term: 1, index: 3 },
    configNumber: 0,
  });
  return signBlock(block, { nodeId: 'orderer1', mspId: orderer.mspId, cert: orderer.cert, key: orderer.key });
}

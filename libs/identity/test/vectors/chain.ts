import {
  blockHashOf,
  buildBlock,
  commitHashOf,
  createEnvelope,
  createPayload,
  endorsePayload,
  serializeBlock,
  signBlock,
  txIdOf,
  ValidationCode,
  ZERO_HASH_HEX,
  type Block,
  type Envelope,
  type PayloadFields,
} from '@civic/protocol';
import {
  buildConfigEnvelope,
  certificateToPem,
  configFromBlock,
  createNetwork,
  seededKeySource,
  type ChannelConfig,
  type NetworkIdentity,
  type NetworkSpec,
} from '../../src/index.js';

/**
 * The generator of libs/protocol/test-vectors/chain/: a deterministic five-block chain (fixed
 * key seeds, serials, times and nonces) that any implementation of the wire contract can
 * check itself against: block 0 is the genesis config block, blocks 1-3 hold transactions
 * (one endorsed, one with a delete and a private-data hash, one reading a version), block 4 is a
 * config update signed by a majority of admins. Everything is frozen here on purpose: the
 * vectors must not change when the development network does.
 *
 * Regenerate: `npm run vectors:chain -w @civic/identity` (then review the diff).
 */

export const VECTOR_SEED = 'civic-chain-vectors';
export const VECTOR_CHANNEL = 'vectors';
/** 2026-01-15T09:00:00.000Z. */
const T0_MS = Date.UTC(2026, 0, 15, 9, 0, 0);

const SPEC: NetworkSpec = {
  channel: VECTOR_CHANNEL,
  organizations: [
    { mspId: 'Orderers', name: 'Ordering service', type: 'orderer' },
    { mspId: 'RVO', name: 'Netherlands Enterprise Agency', type: 'application' },
    { mspId: 'Utrecht', name: 'Municipality of Utrecht', type: 'application' },
    { mspId: 'Assessor', name: 'Independent medical assessor', type: 'application' },
  ],
  identities: [
    { name: 'orderer1', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderer2', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderer3', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderers-admin', mspId: 'Orderers', role: 'admin', purpose: 'creates the genesis config' },
    { name: 'rvo-admin', mspId: 'RVO', role: 'admin', purpose: 'config update' },
    { name: 'rvo-subsidies', mspId: 'RVO', role: 'client', purpose: 'subsidies service' },
    { name: 'utrecht-admin', mspId: 'Utrecht', role: 'admin', purpose: 'config update' },
    { name: 'utrecht-subsidies', mspId: 'Utrecht', role: 'client', purpose: 'subsidies service' },
    { name: 'utrecht-parking', mspId: 'Utrecht', role: 'client', purpose: 'parking service' },
    { name: 'assessor-parking', mspId: 'Assessor', role: 'client', purpose: 'parking service' },
  ],
  consenters: ['orderer1', 'orderer2', 'orderer3'],
  namespaces: {
    subsidies: {
      writers: "OR('RVO.member', 'Utrecht.member')",
      endorsement: { 'grant-endorsed': "OutOf(2, 'RVO.client', 'Utrecht.client')" },
      defaultEndorsement: "OR('RVO.client', 'Utrecht.client')",
    },
    parking: {
      writers: "OR('Utrecht.member', 'Assessor.member')",
      endorsement: {
        'card.issue': "AND('Utrecht.client', 'Assessor.client')",
        'assessment.record': "'Assessor.client'",
      },
      defaultEndorsement: "'Utrecht.client'",
    },
  },
  policies: { admins: 'MAJORITY admin', readers: 'ANY member' },
};

const at = (seconds: number) => T0_MS + seconds * 1000;
/** Nonce n: 32 bytes, each the byte n (hex). */
const nonce = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

interface ChainBuilder {
  readonly id: (name: string) => NetworkIdentity;
  readonly blocks: Block[];
}

function tx(
  b: ChainBuilder,
  creator: string,
  fields: Omit<PayloadFields, 'channel' | 'creator'>,
  endorsers: string[] = [],
): Envelope {
  const signer = b.id(creator);
  const payload = createPayload({
    ...fields,
    channel: VECTOR_CHANNEL,
    creator: { mspId: signer.mspId, cert: signer.cert },
  });
  return createEnvelope(
    payload,
    signer.key,
    endorsers.map((name) => endorsePayload(payload, b.id(name))),
  );
}

function cut(
  b: ChainBuilder,
  envelopes: Envelope[],
  time: number,
  raft: { term: number; index: number },
  configNumber: number,
  leader: string,
): void {
  const previous = b.blocks[b.blocks.length - 1]!;
  const orderer = b.id(leader);
  const block = buildBlock({
    channel: VECTOR_CHANNEL,
    number: b.blocks.length,
    previousHash: blockHashOf(previous.header),
    envelopes,
    time,
    raft,
    configNumber,
  });
  b.blocks.push(
    signBlock(block, { nodeId: leader, mspId: orderer.mspId, cert: orderer.cert, key: orderer.key }),
  );
}

/** The chain's blocks and configs, built from the frozen description above. */
export function buildVectorChain(): {
  blocks: Block[];
  configs: ChannelConfig[];
  identities: NetworkIdentity[];
  cas: Map<string, string>;
} {
  const { network, genesis } = createNetwork(SPEC, {
    timeMs: at(0),
    keys: seededKeySource(VECTOR_SEED),
    genesisAdmin: 'orderers-admin',
    genesisNonce: nonce(0),
  });
  const id = (name: string) => network.identities.get(name)!;
  const b: ChainBuilder = { id, blocks: [genesis] };

  // Block 1: a grant by RVO alone, an assessment by the assessor.
  cut(
    b,
    [
      tx(b, 'rvo-subsidies', {
        namespace: 'subsidies',
        action: 'grant',
        txTime: at(10),
        nonce: nonce(1),
        reads: [{ key: 'grant/G-2026-0001', version: null }],
        writes: [
          { key: 'grant/G-2026-0001', value: { amountCents: 2_500_000, scheme: 'SDE++', status: 'granted' } },
        ],
        event: { type: 'grant.granted', data: { grantId: 'G-2026-0001', amountCents: 2_500_000 } },
      }),
      tx(b, 'assessor-parking', {
        namespace: 'parking',
        action: 'assessment.record',
        txTime: at(11),
        nonce: nonce(2),
        reads: [],
        writes: [{ key: 'assessment/A-17', value: { outcome: 'eligible', validUntil: '2031-01-15' } }],
        event: { type: 'assessment.recorded', data: { assessmentId: 'A-17' } },
        private: [{ collection: 'medical', key: 'assessment/A-17', hash: 'ab'.repeat(32) }],
      }),
    ],
    at(12),
    { term: 1, index: 2 },
    0,
    'orderer1',
  );

  // Block 2: a parking card, issued by Utrecht and endorsed by the assessor.
  cut(
    b,
    [
      tx(
        b,
        'utrecht-parking',
        {
          namespace: 'parking',
          action: 'card.issue',
          txTime: at(20),
          nonce: nonce(3),
          reads: [
            { key: 'assessment/A-17', version: '1:1' },
            { key: 'card/UT-000042', version: null },
          ],
          writes: [
            {
              key: 'card/UT-000042',
              value: { assessment: 'A-17', municipality: 'Utrecht', status: 'issued' },
            },
            { key: 'assessment/A-17', delete: true },
          ],
          event: { type: 'card.issued', data: { cardId: 'UT-000042' } },
        },
        ['assessor-parking'],
      ),
    ],
    at(21),
    { term: 1, index: 3 },
    0,
    'orderer1',
  );

  // Block 3 (new leader orderer2, term 2): a grant update reading block 1's version, and a
  // co-financed grant endorsed by a second authority.
  cut(
    b,
    [
      tx(b, 'rvo-subsidies', {
        namespace: 'subsidies',
        action: 'grant.amend',
        txTime: at(30),
        nonce: nonce(4),
        reads: [{ key: 'grant/G-2026-0001', version: '1:0' }],
        writes: [
          { key: 'grant/G-2026-0001', value: { amountCents: 2_250_000, scheme: 'SDE++', status: 'amended' } },
        ],
        event: { type: 'grant.amended', data: { grantId: 'G-2026-0001', amountCents: 2_250_000 } },
      }),
      tx(
        b,
        'utrecht-subsidies',
        {
          namespace: 'subsidies',
          action: 'grant-endorsed',
          txTime: at(31),
          nonce: nonce(5),
          reads: [{ key: 'grant/G-2026-0002', version: null }],
          writes: [
            {
              key: 'grant/G-2026-0002',
              value: { amountCents: 40_000_00, cofinancedBy: ['RVO', 'Utrecht'], status: 'granted' },
            },
          ],
          event: { type: 'grant.granted', data: { grantId: 'G-2026-0002', amountCents: 40_000_00 } },
        },
        ['rvo-subsidies'],
      ),
    ],
    at(35),
    { term: 2, index: 7 },
    0,
    'orderer2',
  );

  // Block 4: a config update (sequence 1, a shorter batch timeout) by RVO's admin, endorsed
  // by Utrecht's: a majority of the three application organisations.
  const config0 = configFromBlock(genesis);
  const config1: ChannelConfig = { ...config0, sequence: 1, batch: { ...config0.batch, timeoutMs: 20 } };
  const update = buildConfigEnvelope({
    config: config1,
    creator: id('rvo-admin'),
    endorsers: [id('utrecht-admin')],
    readVersion: '0:0',
    txTime: at(40),
    nonce: nonce(6),
  });
  cut(b, [update], at(41), { term: 2, index: 8 }, 0, 'orderer2');

  const cas = new Map([...network.cas].map(([mspId, ca]) => [mspId, ca.cert]));
  return { blocks: b.blocks, configs: [config0, config1], identities: [...network.identities.values()], cas };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every file of the vectors folder, by relative path, with its exact content. */
export function generateChainVectors(): Map<string, string | Uint8Array> {
  const { blocks, configs, identities, cas } = buildVectorChain();
  const files = new Map<string, string | Uint8Array>();
  let commitHash = ZERO_HASH_HEX;
  const blockEntries = blocks.map((block) => {
    const file = `blocks/${block.header.number}.block`;
    files.set(file, serializeBlock(block));
    const blockHash = blockHashOf(block.header);
    const txIds = block.envelopes.map((e) => txIdOf(e.payload));
    const codes = Object.fromEntries(txIds.map((txId) => [txId, ValidationCode.VALID]));
    commitHash = commitHashOf(commitHash, blockHash, codes);
    return {
      number: block.header.number,
      file,
      blockHash,
      previousHash: block.header.previousHash,
      dataHash: block.header.dataHash,
      txIds,
      codes,
      commitHash,
      signedBy: block.metadata.signatures.map((s) => s.nodeId),
      configNumber: block.metadata.configNumber,
    };
  });
  configs.forEach((config) => files.set(`config-${config.sequence}.json`, json(config)));
  for (const [mspId, cert] of cas) files.set(`certs/${mspId.toLowerCase()}-ca.pem`, certificateToPem(cert));
  for (const identity of identities) files.set(`certs/${identity.name}.pem`, certificateToPem(identity.cert));
  const manifest = {
    description:
      'A deterministic 5-block Civic Ledger chain (wire contract v1): block 0 is the genesis config block, blocks 1-3 hold transactions (block 2 an endorsed one, with a delete; block 1 a private-data hash; block 3 a read of version 1:0 and an endorsed co-financed grant), block 4 a config update (sequence 1) signed by two of three application admins. Every transaction is VALID.',
    generator: 'libs/identity/test/vectors/chain.ts (npm run vectors:chain -w @civic/identity)',
    channel: VECTOR_CHANNEL,
    blockFiles: 'canonical JSON (RFC 8785) of each block, no trailing newline',
    keys: `Ed25519 seed of identity <name> = SHA-256(UTF-8 "${VECTOR_SEED}/key/<name>"); CA of organisation <mspId>: name "<mspId>-ca". Certificate serial = first 16 bytes of SHA-256("${VECTOR_SEED}/serial/<name>") with the top bit cleared and bit 6 set.`,
    configs: configs.map((c) => ({ sequence: c.sequence, file: `config-${c.sequence}.json` })),
    certificates: [
      ...[...cas.keys()].map((mspId) => ({
        name: `${mspId}-ca`,
        mspId,
        role: 'ca',
        file: `certs/${mspId.toLowerCase()}-ca.pem`,
      })),
      ...identities.map((i) => ({ name: i.name, mspId: i.mspId, role: i.role, file: `certs/${i.name}.pem` })),
    ],
    blocks: blockEntries,
  };
  files.set('README.json', json(manifest));
  return files;
}

import {
  keyPairFromSeed,
  sha256,
  utf8Bytes,
  type Block,
  type BlockSigner,
  type Signer,
} from '@civic/protocol';
import {
  buildGenesisBlock,
  buildNetwork,
  createRootCa,
  issueIdentityCert,
  OrganizationType,
  Role,
  seededKeySource,
  type BuiltNetwork,
  type ChannelConfig,
  type NetworkSpec,
} from '@civic/identity';

/**
 * A small network in memory for tests and benchmarks: an ordering organisation with one
 * consenter and three authorities, plus identities that are deliberately wrong (a rogue CA,
 * an expired and a revoked certificate) so that every validation code can be produced.
 * Seeded: the same seed and time give the same certificates and genesis block.
 */
export interface TestNetwork {
  readonly channel: string;
  readonly network: BuiltNetwork;
  readonly config: ChannelConfig;
  readonly genesis: Block;
  /** Epoch ms the certificates are built around; block times start here. */
  readonly timeMs: number;
  readonly consenter: BlockSigner;
  /** Valid identities by name: `rvo-client`, `utrecht-client`, `amsterdam-client`, `<org>-admin`, `rvo-peer`. */
  signer(name: string): Signer;
  /** RVO client signed by a CA that is not RVO's. */
  readonly rogue: Signer;
  /** RVO client whose certificate expired before the network's time. */
  readonly expired: Signer;
  /** RVO client whose serial is revoked in the genesis config. */
  readonly revoked: Signer;
}

/** Namespace of the tests: writers RVO and Utrecht clients; `grant` needs both to sign. */
export const TEST_NAMESPACE = 'assets';
export const TEST_ACTION_PUT = 'put';
export const TEST_ACTION_GRANT = 'grant';

const HOUR_MS = 3_600_000;

function spec(channel: string): NetworkSpec {
  const orgs = [
    { mspId: 'Orderers', name: 'Ordering service', type: OrganizationType.ORDERER },
    { mspId: 'RVO', name: 'Netherlands Enterprise Agency', type: OrganizationType.APPLICATION },
    { mspId: 'Utrecht', name: 'Municipality of Utrecht', type: OrganizationType.APPLICATION },
    { mspId: 'Amsterdam', name: 'Municipality of Amsterdam', type: OrganizationType.APPLICATION },
  ];
  const identities = [
    { name: 'orderer1', mspId: 'Orderers', role: Role.ORDERER, purpose: 'consenter' },
    { name: 'orderers-admin', mspId: 'Orderers', role: Role.ADMIN, purpose: 'admin' },
    ...['RVO', 'Utrecht', 'Amsterdam'].flatMap((mspId) => [
      { name: `${mspId.toLowerCase()}-admin`, mspId, role: Role.ADMIN, purpose: 'admin' },
      { name: `${mspId.toLowerCase()}-client`, mspId, role: Role.CLIENT, purpose: 'client' },
      { name: `${mspId.toLowerCase()}-peer`, mspId, role: Role.PEER, purpose: 'peer' },
    ]),
  ];
  return {
    channel,
    organizations: orgs,
    identities,
    consenters: ['orderer1'],
    namespaces: {
      [TEST_NAMESPACE]: {
        writers: "OR('RVO.client', 'Utrecht.client')",
        endorsement: { [TEST_ACTION_GRANT]: "AND('RVO.client', 'Utrecht.client')" },
        defaultEndorsement: 'ANY client',
      },
    },
    policies: { admins: 'MAJORITY admin', readers: 'ANY member' },
  };
}

export function createTestNetwork(options: { channel: string; seed?: string; timeMs?: number }): TestNetwork {
  const seed = options.seed ?? 'civic-ledger-tests';
  const timeMs = options.timeMs ?? Date.UTC(2026, 0, 1);
  const keys = seededKeySource(seed);
  const built = buildNetwork(spec(options.channel), { timeMs, keys });
  const rvoCa = built.cas.get('RVO');
  if (!rvoCa) throw new Error('test network: RVO CA missing');
  const extraKey = (name: string) => keyPairFromSeed(sha256(utf8Bytes(`${seed}/extra/${name}`)));
  const notBeforeMs = Math.floor((timeMs - HOUR_MS) / 1000) * 1000;

  const expiredKey = extraKey('expired');
  const expired: Signer = {
    mspId: 'RVO',
    cert: issueIdentityCert(rvoCa, {
      commonName: 'rvo-expired',
      role: Role.CLIENT,
      publicKey: expiredKey.publicKey,
      notBeforeMs: notBeforeMs - 48 * HOUR_MS,
      notAfterMs: notBeforeMs - 24 * HOUR_MS,
    }),
    key: expiredKey,
  };
  const revokedKey = extraKey('revoked');
  const revokedSerial = '5eed0001';
  const revoked: Signer = {
    mspId: 'RVO',
    cert: issueIdentityCert(rvoCa, {
      commonName: 'rvo-revoked',
      role: Role.CLIENT,
      publicKey: revokedKey.publicKey,
      serialHex: revokedSerial,
      notBeforeMs,
      notAfterMs: notBeforeMs + 24 * 365 * HOUR_MS,
    }),
    key: revokedKey,
  };
  const rogueCa = createRootCa({
    mspId: 'RVO',
    keyPair: extraKey('rogue-ca'),
    notBeforeMs,
    notAfterMs: notBeforeMs + 24 * 365 * HOUR_MS,
  });
  const rogueKey = extraKey('rogue');
  const rogue: Signer = {
    mspId: 'RVO',
    cert: issueIdentityCert(rogueCa, {
      commonName: 'rvo-client',
      role: Role.CLIENT,
      publicKey: rogueKey.publicKey,
      notBeforeMs,
      notAfterMs: notBeforeMs + 24 * 365 * HOUR_MS,
    }),
    key: rogueKey,
  };

  const config: ChannelConfig = {
    ...built.config,
    organizations: built.config.organizations.map((org) =>
      org.mspId === 'RVO' ? { ...org, revokedSerials: [revokedSerial] } : org,
    ),
  };
  const signer = (name: string): Signer => {
    const identity = built.identities.get(name);
    if (!identity) throw new Error(`test network: no identity ${name}`);
    return { mspId: identity.mspId, cert: identity.cert, key: identity.keyPair };
  };
  const ordererId = built.identities.get('orderer1');
  if (!ordererId) throw new Error('test network: orderer1 missing');
  const consenter: BlockSigner = {
    nodeId: 'orderer1',
    mspId: 'Orderers',
    cert: ordererId.cert,
    key: ordererId.keyPair,
  };
  const genesis = buildGenesisBlock({
    config,
    admin: signer('orderers-admin'),
    consenter,
    time: timeMs,
    nonce: '00'.repeat(16),
  });
  return {
    channel: options.channel,
    network: built,
    config,
    genesis,
    timeMs,
    consenter,
    signer,
    rogue,
    expired,
    revoked,
  };
}

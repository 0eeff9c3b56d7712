import {
  buildConfigEnvelope,
  buildGenesisBlock,
  buildNetwork,
  createRootCa,
  devNetworkSpec,
  issueIdentityCert,
  Role,
  validateConfig,
  writeNetwork,
  type BatchConfig,
  type BuiltNetwork,
  type CertificateAuthority,
  type ChannelConfig,
  type NetworkIdentity,
  type RaftTimingConfig,
} from '@civic/identity';
import {
  createEnvelope,
  createPayload,
  generateKeyPair,
  parseCertificate,
  serializeBlock,
  serializeEnvelope,
  txIdOf,
  type Block,
  type Envelope,
  type Signer,
} from '@civic/protocol';

/**
 * A development network for tests and benchmarks: the dev network of notes/orgs.md plus two
 * identities made to be refused (`utrecht-revoked`, revoked in the genesis config, and
 * `utrecht-expired`, whose certificate has expired), an orderer identity that is not a
 * consenter yet (`orderer4`), with test-friendly Raft timing.
 */
export const TEST_RAFT: RaftTimingConfig = {
  tickMs: 50,
  electionTicks: 10,
  heartbeatTicks: 1,
  maxInflightBlocks: 16,
  snapshotIntervalBlocks: 200,
};

export const TEST_BATCH: BatchConfig = {
  maxMessageCount: 500,
  preferredMaxBytes: 512 * 1024,
  absoluteMaxBytes: 900_000,
  timeoutMs: 50,
};

export interface TestNetwork {
  readonly network: BuiltNetwork;
  readonly config: ChannelConfig;
  readonly genesis: Block;
  readonly genesisBytes: Uint8Array;
  readonly channel: string;
  /** Where it was written (writeTestNetwork), or null. */
  readonly dir: string | null;
  identity(name: string): NetworkIdentity;
  /** A valid-looking certificate of an organisation the config does not know. */
  readonly outsider: Signer;
  /** A Utrecht client whose certificate expired an hour ago. */
  readonly expired: Signer;
}

export interface TestNetworkOptions {
  readonly channel: string;
  /** Consenters (default orderer1..3). */
  readonly consenters?: readonly string[];
  readonly raft?: RaftTimingConfig;
  readonly batch?: BatchConfig;
  readonly timeMs?: number;
}

const HOUR_MS = 3_600_000;

export function createTestNetwork(options: TestNetworkOptions): TestNetwork {
  const timeMs = options.timeMs ?? Date.now();
  const spec = devNetworkSpec(options.channel);
  const network = buildNetwork(
    {
      ...spec,
      identities: [
        ...spec.identities,
        {
          name: 'utrecht-revoked',
          mspId: 'Utrecht',
          role: Role.CLIENT,
          purpose: 'revoked in the genesis config (tests)',
        },
        {
          name: 'orderer4',
          mspId: 'Orderers',
          role: Role.ORDERER,
          purpose: 'an orderer that may become a consenter (tests)',
        },
      ],
      consenters: options.consenters ?? spec.consenters,
      raft: options.raft ?? TEST_RAFT,
      batch: options.batch ?? TEST_BATCH,
    },
    { timeMs },
  );
  const revoked = network.identities.get('utrecht-revoked') as NetworkIdentity;
  const config = validateConfig({
    ...network.config,
    organizations: network.config.organizations.map((org) =>
      org.mspId === 'Utrecht' ? { ...org, revokedSerials: [parseCertificate(revoked.cert).serialHex] } : org,
    ),
  });
  const built: BuiltNetwork = { ...network, config };
  const identity = (name: string): NetworkIdentity => {
    const found = built.identities.get(name);
    if (found === undefined) throw new Error(`no identity ${name} in the test network`);
    return found;
  };
  const orderer1 = identity('orderer1');
  const genesis = buildGenesisBlock({
    config,
    admin: identity('orderers-admin'),
    consenter: { nodeId: 'orderer1', mspId: orderer1.mspId, cert: orderer1.cert, key: orderer1.key },
    time: timeMs,
  });
  return {
    network: built,
    config,
    genesis,
    genesisBytes: serializeBlock(genesis),
    channel: options.channel,
    dir: null,
    identity,
    outsider: outsiderSigner(timeMs),
    expired: expiredSigner(built.cas.get('Utrecht') as CertificateAuthority, timeMs),
  };
}

/** Writes the network (network.json, keys, genesis.block) into `dir`, as `civic network init` does. */
export function writeTestNetwork(net: TestNetwork, dir: string, natsUrl?: string): TestNetwork {
  writeNetwork(dir, net.network, {
    genesisBytes: net.genesisBytes,
    createdAt: new Date().toISOString(),
    force: true,
    ...(natsUrl === undefined ? {} : { natsUrl }),
  });
  return { ...net, dir };
}

function outsiderSigner(timeMs: number): Signer {
  const notBeforeMs = Math.floor((timeMs - HOUR_MS) / 1000) * 1000;
  const ca = createRootCa({
    mspId: 'Mallory',
    keyPair: generateKeyPair(),
    notBeforeMs,
    notAfterMs: notBeforeMs + 1000 * HOUR_MS,
  });
  const key = generateKeyPair();
  const cert = issueIdentityCert(ca, {
    commonName: 'mallory-client',
    role: Role.CLIENT,
    publicKey: key.publicKey,
    notBeforeMs,
    notAfterMs: notBeforeMs + 1000 * HOUR_MS,
  });
  return { mspId: 'Mallory', cert, key };
}

function expiredSigner(ca: CertificateAuthority, timeMs: number): Signer {
  const notAfterMs = Math.floor((timeMs - HOUR_MS) / 1000) * 1000;
  const key = generateKeyPair();
  const cert = issueIdentityCert(ca, {
    commonName: 'utrecht-expired',
    role: Role.CLIENT,
    publicKey: key.publicKey,
    notBeforeMs: notAfterMs - 24 * HOUR_MS,
    notAfterMs,
  });
  return { mspId: 'Utrecht', cert, key };
}

export interface TxFields {
  readonly channel: string;
  readonly namespace?: string;
  readonly action?: string;
  readonly key?: string;
  readonly value?: unknown;
  readonly txTimeMs?: number;
}

/** A signed transaction envelope by `signer` (default: a parking record by Utrecht). */
export function makeEnvelope(signer: Signer, fields: TxFields): Envelope {
  const payload = createPayload({
    channel: fields.channel,
    namespace: fields.namespace ?? 'parking',
    action: fields.action ?? 'check.record',
    txTime: fields.txTimeMs ?? Date.now(),
    creator: { mspId: signer.mspId, cert: signer.cert },
    reads: [],
    writes: [
      { key: fields.key ?? `k-${Math.random().toString(36).slice(2)}`, value: fields.value ?? { n: 1 } },
    ],
    event: { type: 'test.recorded', data: {} },
  });
  return createEnvelope(payload, signer.key);
}

/** Parking writers of the dev network: any of them may create a transaction in `parking`. */
export const PARKING_WRITERS = [
  'utrecht-parking',
  'amsterdam-parking',
  'assessor-parking',
  'police-parking',
] as const;

/** `count` signed parking transactions (canonical bytes and txIds), spread over the writers. */
export function prepareTxs(
  net: TestNetwork,
  count: number,
  tag: string,
  valueBytes = 200,
): { txId: string; bytes: Uint8Array }[] {
  const out: { txId: string; bytes: Uint8Array }[] = [];
  const pad = 'x'.repeat(valueBytes);
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const signer = net.identity(PARKING_WRITERS[i % PARKING_WRITERS.length] as string);
    const envelope = makeEnvelope(signer, {
      channel: net.channel,
      key: `${tag}-${i}`,
      value: { i, pad },
      txTimeMs: now,
    });
    out.push({ txId: txIdOf(envelope.payload), bytes: serializeEnvelope(envelope) });
  }
  return out;
}

/** Admins whose signatures satisfy the dev network's `MAJORITY admin` (5 of 8 application orgs). */
export const MAJORITY_ADMINS = [
  'orderers-admin',
  'rvo-admin',
  'utrecht-admin',
  'amsterdam-admin',
  'assessor-admin',
  'ilt-admin',
] as const;

/** A config update envelope carrying `next`, created and endorsed by `admins`. */
export function configUpdateEnvelope(
  net: TestNetwork,
  next: ChannelConfig,
  options: {
    readonly readVersion?: string | null;
    readonly admins?: readonly string[];
    readonly txTimeMs?: number;
  } = {},
): Envelope {
  const signers = (options.admins ?? MAJORITY_ADMINS).map((name) => net.identity(name));
  return buildConfigEnvelope({
    config: next,
    creator: signers[0] as NetworkIdentity,
    endorsers: signers.slice(1),
    readVersion: options.readVersion === undefined ? '0:0' : options.readVersion,
    txTime: options.txTimeMs ?? Date.now(),
  });
}

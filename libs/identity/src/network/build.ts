import type { CertBase64, Ed25519KeyPair } from '@civic/protocol';
import {
  DEFAULT_BATCH,
  DEFAULT_RAFT,
  type BatchConfig,
  type ChannelConfig,
  type ChannelPolicies,
  type NamespaceConfig,
  type OrganizationType,
  type RaftTimingConfig,
} from '../config/types.js';
import { validateConfig } from '../config/validate.js';
import { createRootCa, issueIdentityCert, type CertificateAuthority } from '../msp/issue.js';
import type { Role } from '../roles.js';
import { randomKeySource, type KeySource } from './keys.js';

/**
 * Builds a network in memory from a description: a root CA per organisation, a key and a
 * certificate per identity, and the channel config. Pure apart from the key source (random or
 * seeded), so the same spec, time and seed give the same bytes.
 */

export interface OrganizationSpec {
  readonly mspId: string;
  readonly name: string;
  readonly type: OrganizationType;
}

export interface IdentitySpec {
  /** Unique in the network; the certificate's CN and the name used to load its key. */
  readonly name: string;
  readonly mspId: string;
  readonly role: Role;
  /** What the identity is for (shown in network.json), e.g. "subsidies service". */
  readonly purpose: string;
}

export interface NetworkSpec {
  readonly channel: string;
  readonly organizations: readonly OrganizationSpec[];
  readonly identities: readonly IdentitySpec[];
  /** Identity names of the consenters (role orderer); each is also the consenter's nodeId. */
  readonly consenters: readonly string[];
  readonly namespaces: Readonly<Record<string, NamespaceConfig>>;
  readonly policies: ChannelPolicies;
  readonly batch?: BatchConfig;
  readonly raft?: RaftTimingConfig;
}

export interface BuildOptions {
  /** "Now", epoch ms: certificates are valid from an hour before it. */
  readonly timeMs: number;
  /** Validity of identity certificates; default 2 years. CAs get 10 years. */
  readonly identityValidityDays?: number;
  readonly keys?: KeySource;
}

/** An identity of a built network; a protocol `Signer` (`key`), with `keyPair` as an alias. */
export interface NetworkIdentity extends IdentitySpec {
  readonly cert: CertBase64;
  readonly key: Ed25519KeyPair;
  readonly keyPair: Ed25519KeyPair;
}

export interface BuiltNetwork {
  readonly spec: NetworkSpec;
  readonly config: ChannelConfig;
  readonly cas: ReadonlyMap<string, CertificateAuthority>;
  readonly identities: ReadonlyMap<string, NetworkIdentity>;
}

export class NetworkSpecError extends Error {
  override readonly name = 'NetworkSpecError';
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function buildNetwork(spec: NetworkSpec, options: BuildOptions): BuiltNetwork {
  const keys = options.keys ?? randomKeySource;
  if (!Number.isSafeInteger(options.timeMs)) throw new NetworkSpecError('timeMs must be epoch milliseconds');
  const notBeforeMs = Math.floor((options.timeMs - HOUR_MS) / 1000) * 1000;
  const identityValidityMs = (options.identityValidityDays ?? 730) * DAY_MS;
  const cas = new Map<string, CertificateAuthority>();
  for (const org of spec.organizations) {
    const name = `${org.mspId}-ca`;
    cas.set(
      org.mspId,
      createRootCa({
        mspId: org.mspId,
        keyPair: keys.keyPair(name),
        serialHex: keys.serialHex(name),
        notBeforeMs,
        notAfterMs: notBeforeMs + 3650 * DAY_MS,
      }),
    );
  }
  const identities = new Map<string, NetworkIdentity>();
  for (const identity of spec.identities) {
    const ca = cas.get(identity.mspId);
    if (ca === undefined)
      throw new NetworkSpecError(`identity ${identity.name}: unknown organisation ${identity.mspId}`);
    if (identities.has(identity.name)) throw new NetworkSpecError(`identity ${identity.name} appears twice`);
    const keyPair = keys.keyPair(identity.name);
    const cert = issueIdentityCert(ca, {
      commonName: identity.name,
      role: identity.role,
      publicKey: keyPair.publicKey,
      serialHex: keys.serialHex(identity.name),
      notBeforeMs,
      notAfterMs: notBeforeMs + identityValidityMs,
    });
    identities.set(identity.name, { ...identity, cert, key: keyPair, keyPair });
  }
  const consenters = spec.consenters.map((nodeId) => {
    const identity = identities.get(nodeId);
    if (identity === undefined)
      throw new NetworkSpecError(`consenter ${nodeId} is not an identity of the spec`);
    return { nodeId, mspId: identity.mspId, cert: identity.cert };
  });
  const config = validateConfig({
    channel: spec.channel,
    sequence: 0,
    organizations: spec.organizations.map((org) => ({
      mspId: org.mspId,
      name: org.name,
      type: org.type,
      rootCerts: [cas.get(org.mspId)!.cert],
      revokedSerials: [],
    })),
    consenters,
    batch: spec.batch ?? DEFAULT_BATCH,
    raft: spec.raft ?? DEFAULT_RAFT,
    namespaces: spec.namespaces,
    policies: spec.policies,
  } satisfies ChannelConfig);
  return { spec, config, cas, identities };
}

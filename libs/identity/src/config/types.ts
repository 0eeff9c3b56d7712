import type { CertBase64 } from '@civic/protocol';

/**
 * The channel config: who takes part, who orders, how blocks are cut and who may write what.
 * A plain JSON object; it travels as the value of the write `{ key: "channel" }` of a config
 * transaction in namespace "config" (docs/protocol.md). Policies are kept as text in the
 * policy language (docs/identity.md) so that the config reads as it was written.
 */
export interface ChannelConfig {
  /** The channel's name (`^[a-z][a-z0-9-]{0,47}$`); never changes. Every payload names it. */
  readonly channel: string;
  /** 0 in the genesis block, +1 for each config update: orders configs, refuses replays. */
  readonly sequence: number;
  /** The member organisations (MSPs). Order matters only for display and meta-policy order. */
  readonly organizations: readonly OrganizationConfig[];
  /** The Raft cluster's members: the only identities whose block signatures count. */
  readonly consenters: readonly ConsenterConfig[];
  readonly batch: BatchConfig;
  readonly raft: RaftTimingConfig;
  /** Per namespace (e.g. "subsidies"): who may write, and who must endorse each action. */
  readonly namespaces: Readonly<Record<string, NamespaceConfig>>;
  readonly policies: ChannelPolicies;
}

export const OrganizationType = {
  /** Takes part in the application: counted by ANY/ALL/MAJORITY. */
  APPLICATION: 'application',
  /**
   * Runs the ordering service only. Not counted by ANY/ALL/MAJORITY: the operator of the
   * infrastructure does not get a vote on what the authorities decide (as Fabric's implicit
   * meta policies, which range over the application organisations). Its identities can still
   * be named explicitly, e.g. `OR(MAJORITY admin, 'Orderers.admin')`.
   */
  ORDERER: 'orderer',
} as const;
export type OrganizationType = (typeof OrganizationType)[keyof typeof OrganizationType];

export interface OrganizationConfig {
  /** The organisation's id (`^[A-Za-z][A-Za-z0-9-]{0,63}$`), the O of its certificates. */
  readonly mspId: string;
  /** Human name, e.g. "Netherlands Enterprise Agency". Display only. */
  readonly name: string;
  readonly type: OrganizationType;
  /**
   * Base64 DER of its self-signed root CA certificates. Several allow rolling a CA over
   * without a flag day; each extra root is one more key that can mint identities.
   */
  readonly rootCerts: readonly CertBase64[];
  /**
   * Serial numbers (lowercase hex, no leading zeros) of revoked certificates issued by its
   * roots. Kept in the config rather than CRL files so that every peer applies revocation at
   * the same block; the trade-off is a config update per revocation.
   */
  readonly revokedSerials: readonly string[];
}

export interface ConsenterConfig {
  /** The orderer's node id (`^[a-z0-9][a-z0-9-]{0,63}$`), as in block signatures and Raft. */
  readonly nodeId: string;
  /** Its organisation; the cert must chain to that organisation's roots. */
  readonly mspId: string;
  /** Base64 DER of its certificate, role `orderer`. Signatures must name this exact cert. */
  readonly cert: CertBase64;
}

/**
 * When the leader cuts a block. Small batches and a short timeout give low latency (Fabric's
 * idle latency is its 2 s batch timeout); larger ones give throughput under load because fewer
 * blocks are signed, fsynced and replicated. A block is cut at whichever limit comes first.
 */
export interface BatchConfig {
  /** Most envelopes in a block. More amortises the per-block signature and fsync. */
  readonly maxMessageCount: number;
  /** A block is cut once its envelopes reach this many bytes (soft). */
  readonly preferredMaxBytes: number;
  /**
   * No block exceeds this (hard); an envelope larger than this is refused at intake. Capped
   * at 900 000 bytes: a block travels as one NATS message (1 MiB payload by default) with room
   * for headers and metadata.
   */
  readonly absoluteMaxBytes: number;
  /** A non-empty batch is cut this long after its first envelope arrived. Latency when idle. */
  readonly timeoutMs: number;
}

/** Raft timing, in ticks of `tickMs`, as etcd raft. */
export interface RaftTimingConfig {
  /** Length of one tick. Shorter detects a dead leader sooner but costs more heartbeats. */
  readonly tickMs: number;
  /** A follower that hears no leader for this many ticks (randomised up to 2x) campaigns. */
  readonly electionTicks: number;
  /** The leader sends heartbeats every this many ticks; must be well below electionTicks. */
  readonly heartbeatTicks: number;
  /** Blocks the leader sends a follower before acknowledgements: bounds memory per follower. */
  readonly maxInflightBlocks: number;
  /** Orderers snapshot and compact their Raft log every this many blocks. */
  readonly snapshotIntervalBlocks: number;
}

export interface NamespaceConfig {
  /** Who may create a transaction in this namespace (checked on the creator alone). */
  readonly writers: string;
  /**
   * Endorsement policy per action (the payload's `action`), evaluated over the creator and the
   * endorsers. An action absent here falls back to `defaultEndorsement`.
   */
  readonly endorsement: Readonly<Record<string, string>>;
  readonly defaultEndorsement: string;
}

export interface ChannelPolicies {
  /** Who may change the config: creator plus endorsers of a config transaction. */
  readonly admins: string;
  /** Who may read blocks and state (enforced by peers and the delivery service). */
  readonly readers: string;
}

/** Most bytes a block may have: a NATS message (1 MiB) minus room for headers. */
export const ABSOLUTE_MAX_BYTES_CEILING = 900_000;

export const DEFAULT_BATCH: BatchConfig = {
  maxMessageCount: 500,
  preferredMaxBytes: 512 * 1024,
  absoluteMaxBytes: 900_000,
  timeoutMs: 50,
};

export const DEFAULT_RAFT: RaftTimingConfig = {
  tickMs: 50,
  electionTicks: 10,
  heartbeatTicks: 1,
  maxInflightBlocks: 64,
  snapshotIntervalBlocks: 1000,
};

/** The mspIds that ANY/ALL/MAJORITY range over: the application organisations, in order. */
export function applicationOrgs(config: ChannelConfig): string[] {
  return config.organizations
    .filter((org) => org.type === OrganizationType.APPLICATION)
    .map((org) => org.mspId);
}

/** The endorsement policy for `action` in `namespace`, or undefined for an unknown namespace. */
export function endorsementPolicy(
  config: ChannelConfig,
  namespace: string,
  action: string,
): string | undefined {
  const ns = Object.hasOwn(config.namespaces, namespace) ? config.namespaces[namespace] : undefined;
  if (ns === undefined) return undefined;
  return Object.hasOwn(ns.endorsement, action) ? ns.endorsement[action] : ns.defaultEndorsement;
}

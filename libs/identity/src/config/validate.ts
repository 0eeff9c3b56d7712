import {
  CONFIG_NAMESPACE,
  NamePattern,
  isBase64,
  parseCertificate,
  CertificateError,
  certificateSignedBy,
} from '@civic/protocol';
import { PolicySyntaxError, parsePolicy, policyMspIds } from '../policy/parse.js';
import { verifyMember } from '../msp/resolve.js';
import { Role } from '../roles.js';
import { ABSOLUTE_MAX_BYTES_CEILING, OrganizationType, type ChannelConfig } from './types.js';

/**
 * Config validation: every problem at once, each with the JSON path where it is, so that an
 * admin fixes a config in one go. A config that passes is safe to put in force: every policy
 * parses and names only member organisations, every consenter is an orderer of its
 * organisation, the batch and Raft limits agree with each other.
 */

export interface ConfigIssue {
  /** JSON path, e.g. `$.namespaces.parking.endorsement["card.issue"]`. */
  readonly path: string;
  readonly message: string;
}

export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `invalid channel config (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Bounds on the config's lists: well above any real channel, low enough to keep checks cheap. */
export const CONFIG_LIMITS = {
  organizations: 64,
  rootCertsPerOrg: 8,
  revokedSerialsPerOrg: 10_000,
  consenters: 15,
  namespaces: 64,
  actionsPerNamespace: 256,
  nameChars: 200,
} as const;

type Obj = Record<string, unknown>;

class Checker {
  readonly issues: ConfigIssue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** An object whose keys are all in `fields` (any keys when `fields` is null: a map). */
  object(value: unknown, path: string, fields: readonly string[] | null): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    if (fields === null) return value as Obj;
    for (const key of Object.keys(value))
      if (!fields.includes(key)) this.add(member(path, key), 'unknown field');
    return value as Obj;
  }

  array(value: unknown, path: string, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array');
      return [];
    }
    if (value.length > max) this.add(path, `at most ${max} entries, found ${value.length}`);
    return value.slice(0, max);
  }

  integer(value: unknown, path: string, min: number, max: number, unit = ''): number | undefined {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.add(path, 'must be an integer');
      return undefined;
    }
    if (value < min || value > max) {
      this.add(path, `must be between ${min} and ${max}${unit}, found ${value}`);
      return undefined;
    }
    return value;
  }

  pattern(value: unknown, path: string, pattern: RegExp, what: string): value is string {
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.add(path, `must be ${what} (${pattern.source}), found ${JSON.stringify(value)}`);
      return false;
    }
    return true;
  }

  /** Parses a policy and checks that it names only known organisations. */
  policy(value: unknown, path: string, mspIds: ReadonlySet<string>): void {
    if (typeof value !== 'string') {
      this.add(path, 'must be a policy string');
      return;
    }
    try {
      const node = parsePolicy(value);
      for (const mspId of policyMspIds(node)) {
        if (!mspIds.has(mspId)) this.add(path, `names organisation ${mspId}, which is not in organizations`);
      }
    } catch (error) {
      if (!(error instanceof PolicySyntaxError)) throw error;
      this.add(path, error.message);
    }
  }
}

/** `$.a.b` or `$.a["b.c"]` for keys that are not plain identifiers. */
function member(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const TOP_FIELDS = [
  'channel',
  'sequence',
  'organizations',
  'consenters',
  'batch',
  'raft',
  'namespaces',
  'policies',
];
const ORG_FIELDS = ['mspId', 'name', 'type', 'rootCerts', 'revokedSerials'];
const CONSENTER_FIELDS = ['nodeId', 'mspId', 'cert'];
const BATCH_FIELDS = ['maxMessageCount', 'preferredMaxBytes', 'absoluteMaxBytes', 'timeoutMs'];
const RAFT_FIELDS = [
  'tickMs',
  'electionTicks',
  'heartbeatTicks',
  'maxInflightBlocks',
  'snapshotIntervalBlocks',
];
const NAMESPACE_FIELDS = ['writers', 'endorsement', 'defaultEndorsement'];
const POLICY_FIELDS = ['admins', 'readers'];

/** Every problem of a config, or an empty list. Never throws on bad input. */
export function configIssues(input: unknown): ConfigIssue[] {
  const c = new Checker();
  const config = c.object(input, '$', TOP_FIELDS);
  if (config === undefined) return c.issues;
  c.pattern(config.channel, '$.channel', NamePattern.CHANNEL, 'a channel name');
  c.integer(config.sequence, '$.sequence', 0, Number.MAX_SAFE_INTEGER);
  const before = c.issues.length;
  const mspIds = checkOrganizations(c, config.organizations);
  // Consenters are checked against the organisations, which must themselves be sound.
  if (c.issues.length === before) checkConsenters(c, config as unknown as ChannelConfig);
  else if (!Array.isArray(config.consenters) || config.consenters.length === 0)
    c.add('$.consenters', 'must be a non-empty array');
  checkBatch(c, config.batch);
  checkRaft(c, config.raft);
  checkNamespaces(c, config.namespaces, mspIds);
  const policies = c.object(config.policies, '$.policies', POLICY_FIELDS);
  if (policies) for (const name of POLICY_FIELDS) c.policy(policies[name], `$.policies.${name}`, mspIds);
  return c.issues;
}

/** Returns the config typed when it is valid; throws ConfigValidationError with every issue. */
export function validateConfig(input: unknown): ChannelConfig {
  const issues = configIssues(input);
  if (issues.length > 0) throw new ConfigValidationError(issues);
  return input as ChannelConfig;
}

function checkOrganizations(c: Checker, value: unknown): Set<string> {
  const mspIds = new Set<string>();
  const orgs = c.array(value, '$.organizations', CONFIG_LIMITS.organizations);
  if (Array.isArray(value) && value.length === 0)
    c.add('$.organizations', 'must list at least one organisation');
  let applications = 0;
  orgs.forEach((entry, i) => {
    const path = `$.organizations[${i}]`;
    const org = c.object(entry, path, ORG_FIELDS);
    if (org === undefined) return;
    if (c.pattern(org.mspId, `${path}.mspId`, NamePattern.MSP_ID, 'an mspId')) {
      if (mspIds.has(org.mspId)) c.add(`${path}.mspId`, `duplicate mspId ${org.mspId}`);
      mspIds.add(org.mspId);
    }
    if (typeof org.name !== 'string' || org.name.length === 0 || org.name.length > CONFIG_LIMITS.nameChars) {
      c.add(`${path}.name`, `must be a string of 1 to ${CONFIG_LIMITS.nameChars} characters`);
    }
    if (org.type === OrganizationType.APPLICATION) applications++;
    else if (org.type !== OrganizationType.ORDERER)
      c.add(`${path}.type`, `must be "application" or "orderer", found ${JSON.stringify(org.type)}`);
    const roots = c.array(org.rootCerts, `${path}.rootCerts`, CONFIG_LIMITS.rootCertsPerOrg);
    if (Array.isArray(org.rootCerts) && org.rootCerts.length === 0)
      c.add(`${path}.rootCerts`, 'must hold at least one root CA certificate');
    roots.forEach((root, j) => checkRootCert(c, root, `${path}.rootCerts[${j}]`));
    const serials = c.array(org.revokedSerials, `${path}.revokedSerials`, CONFIG_LIMITS.revokedSerialsPerOrg);
    serials.forEach((serial, j) => {
      if (
        typeof serial !== 'string' ||
        !/^(?:0[1-9a-f]|[1-9a-f][0-9a-f])(?:[0-9a-f]{2}){0,19}$/.test(serial)
      ) {
        c.add(
          `${path}.revokedSerials[${j}]`,
          `must be a certificate serial in lowercase hex (even length, no leading 00), found ${JSON.stringify(serial)}`,
        );
      }
    });
  });
  if (orgs.length > 0 && applications === 0) {
    c.add('$.organizations', 'must include an application organisation (ANY/ALL/MAJORITY range over them)');
  }
  return mspIds;
}

function checkRootCert(c: Checker, value: unknown, path: string): void {
  if (!isBase64(value)) {
    c.add(path, 'must be a base64 DER certificate');
    return;
  }
  try {
    const root = parseCertificate(value);
    if (!root.isCa) c.add(path, 'is not a CA certificate (basicConstraints cA)');
    else if (root.keyUsage !== undefined && !root.keyUsage.includes('keyCertSign'))
      c.add(path, 'may not sign certificates (keyUsage lacks keyCertSign)');
    if (!certificateSignedBy(root, root.publicKey))
      c.add(path, 'is not self-signed (a root CA signs its own certificate)');
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    c.add(path, error.message);
  }
}

function checkConsenters(c: Checker, config: ChannelConfig): void {
  const consenters = c.array(config.consenters, '$.consenters', CONFIG_LIMITS.consenters);
  if (Array.isArray(config.consenters) && config.consenters.length === 0)
    c.add('$.consenters', 'must list at least one consenter');
  const nodeIds = new Set<string>();
  const certs = new Set<string>();
  consenters.forEach((entry, i) => {
    const path = `$.consenters[${i}]`;
    const consenter = c.object(entry, path, CONSENTER_FIELDS);
    if (consenter === undefined) return;
    if (c.pattern(consenter.nodeId, `${path}.nodeId`, NamePattern.NODE_ID, 'a node id')) {
      if (nodeIds.has(consenter.nodeId)) c.add(`${path}.nodeId`, `duplicate consenter ${consenter.nodeId}`);
      nodeIds.add(consenter.nodeId);
    }
    if (typeof consenter.cert === 'string') {
      if (certs.has(consenter.cert)) c.add(`${path}.cert`, 'the same certificate serves another consenter');
      certs.add(consenter.cert);
    }
    const member = verifyMember(config, { mspId: consenter.mspId as string, cert: consenter.cert as string });
    if (!member.ok) c.add(path, member.reason);
    else if (member.identity.role !== Role.ORDERER) {
      c.add(
        `${path}.cert`,
        `is a ${member.identity.role} certificate; a consenter needs an orderer certificate of ${member.identity.mspId}`,
      );
    }
  });
}

function checkBatch(c: Checker, value: unknown): void {
  const batch = c.object(value, '$.batch', BATCH_FIELDS);
  if (batch === undefined) return;
  c.integer(batch.maxMessageCount, '$.batch.maxMessageCount', 1, 10_000);
  const absolute = c.integer(
    batch.absoluteMaxBytes,
    '$.batch.absoluteMaxBytes',
    1024,
    ABSOLUTE_MAX_BYTES_CEILING,
    ' bytes (a block is one NATS message)',
  );
  const preferred = c.integer(
    batch.preferredMaxBytes,
    '$.batch.preferredMaxBytes',
    1,
    ABSOLUTE_MAX_BYTES_CEILING,
    ' bytes',
  );
  if (absolute !== undefined && preferred !== undefined && preferred > absolute) {
    c.add(
      '$.batch.preferredMaxBytes',
      `${preferred} is above absoluteMaxBytes ${absolute}: the soft limit must not exceed the hard one`,
    );
  }
  c.integer(batch.timeoutMs, '$.batch.timeoutMs', 1, 60_000, ' ms');
}

function checkRaft(c: Checker, value: unknown): void {
  const raft = c.object(value, '$.raft', RAFT_FIELDS);
  if (raft === undefined) return;
  c.integer(raft.tickMs, '$.raft.tickMs', 1, 10_000, ' ms');
  const election = c.integer(raft.electionTicks, '$.raft.electionTicks', 2, 1000);
  const heartbeat = c.integer(raft.heartbeatTicks, '$.raft.heartbeatTicks', 1, 1000);
  if (election !== undefined && heartbeat !== undefined && heartbeat >= election) {
    c.add(
      '$.raft.heartbeatTicks',
      `${heartbeat} must be below electionTicks ${election}, or followers time out between heartbeats`,
    );
  }
  c.integer(raft.maxInflightBlocks, '$.raft.maxInflightBlocks', 1, 4096);
  c.integer(raft.snapshotIntervalBlocks, '$.raft.snapshotIntervalBlocks', 1, 10_000_000);
}

function checkNamespaces(c: Checker, value: unknown, mspIds: ReadonlySet<string>): void {
  const namespaces = c.object(value, '$.namespaces', null);
  if (namespaces === undefined) return;
  const names = Object.keys(namespaces);
  if (names.length > CONFIG_LIMITS.namespaces)
    c.add('$.namespaces', `at most ${CONFIG_LIMITS.namespaces} namespaces`);
  for (const name of names.slice(0, CONFIG_LIMITS.namespaces)) {
    const path = member('$.namespaces', name);
    if (!c.pattern(name, path, NamePattern.NAMESPACE, 'a namespace name')) continue;
    if (name === CONFIG_NAMESPACE) {
      c.add(path, `"${CONFIG_NAMESPACE}" is reserved for config transactions (governed by policies.admins)`);
      continue;
    }
    const ns = c.object(namespaces[name], path, NAMESPACE_FIELDS);
    if (ns === undefined) continue;
    c.policy(ns.writers, `${path}.writers`, mspIds);
    c.policy(ns.defaultEndorsement, `${path}.defaultEndorsement`, mspIds);
    const endorsement = c.object(ns.endorsement, `${path}.endorsement`, null);
    if (endorsement === undefined) continue;
    const actions = Object.keys(endorsement);
    if (actions.length > CONFIG_LIMITS.actionsPerNamespace)
      c.add(`${path}.endorsement`, `at most ${CONFIG_LIMITS.actionsPerNamespace} actions`);
    for (const action of actions.slice(0, CONFIG_LIMITS.actionsPerNamespace)) {
      const actionPath = member(`${path}.endorsement`, action);
      if (c.pattern(action, actionPath, NamePattern.ACTION, 'an action name'))
        c.policy(endorsement[action], actionPath, mspIds);
    }
  }
}

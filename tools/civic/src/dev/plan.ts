import { isAbsolute, join } from 'node:path';
import type { NetworkManifest } from '@civic/identity';

/** What kind of program a process of the development mesh runs; also its stop order (last first). */
export const DevKind = { ORDERER: 'orderer', PEER: 'peer', SERVICE: 'service' } as const;
export type DevKind = (typeof DevKind)[keyof typeof DevKind];

/** Domains with a service program (`services/<domain>/dist/main.js`). */
export const DEV_DOMAINS = ['subsidies', 'parking', 'transport'] as const;
export type DevDomain = (typeof DEV_DOMAINS)[number];

/** One process of the development mesh: what to run and where it answers. */
export interface DevProcess {
  /** Unique, also the log file's name: `orderer1`, `rvo-peer`, `subsidies-rvo`. */
  readonly name: string;
  readonly kind: DevKind;
  /** Organisation it acts for. */
  readonly mspId: string;
  /** Display: `orderer (Raft)`, `peer of RVO`, `subsidies for RVO (reads rvo-peer)`. */
  readonly role: string;
  /** Workspace-relative program: `services/<x>/dist/main.js`. */
  readonly program: string;
  readonly args: readonly string[];
  /** Environment added to the parent's. */
  readonly env: Readonly<Record<string, string>>;
  readonly httpPort: number;
  /** Base URL of its HTTP API (health, metrics, REST). */
  readonly url: string;
  /** Domain of a service process. */
  readonly domain?: DevDomain;
}

export interface PlanOptions {
  /** Absolute network folder. */
  readonly networkDir: string;
  /** Domains to run (default all three). */
  readonly domains?: readonly DevDomain[];
  /** NATS servers (default the network's). */
  readonly natsUrl: string;
  /** Database URL per peer id and per service name (PostgreSQL); absent: PGlite / memory. */
  readonly databaseUrls?: Readonly<Record<string, string>>;
  readonly logLevel: string;
  /** Signature threads per peer (the mesh shares few cores). */
  readonly verifyWorkers: number;
  /** `OTEL_RESOURCE_ATTRIBUTES` of the environment, kept in what the peers get. */
  readonly resourceAttributes?: string;
}

const HOST = '127.0.0.1';

/** The name of a domain service instance: `subsidies-rvo`. */
export function serviceName(domain: string, mspId: string): string {
  return `${domain}-${mspId.toLowerCase()}`;
}

/**
 * The processes of the development mesh, in start order: the network's orderers, its peers,
 * then one process per organisation per domain as `network.json` lists them. Pure: the same
 * manifest and options give the same plan (unit-tested).
 */
export function planMesh(manifest: NetworkManifest, options: PlanOptions): DevProcess[] {
  const domains = new Set<string>(options.domains ?? DEV_DOMAINS);
  const dbs = options.databaseUrls ?? {};
  const common = { NATS_URL: options.natsUrl, LOG_LEVEL: options.logLevel, HTTP_HOST: HOST };
  const dataDir = (dir: string) => (isAbsolute(dir) ? dir : join(options.networkDir, dir));
  const orderers = manifest.orderers.map((o): DevProcess => ({
    name: o.nodeId,
    kind: DevKind.ORDERER,
    mspId: mspOf(manifest, o.identity),
    role: 'orderer (Raft consenter)',
    program: 'services/orderer/dist/main.js',
    args: ['--network', options.networkDir, '--node', o.nodeId],
    env: { ...common, DATA_DIR: dataDir(o.dataDir), HTTP_PORT: String(o.httpPort) },
    httpPort: o.httpPort,
    url: `http://${HOST}:${o.httpPort}`,
  }));
  const peers = manifest.peers.map((p): DevProcess => ({
    name: p.peerId,
    kind: DevKind.PEER,
    mspId: p.mspId,
    role: `peer of ${p.mspId}`,
    program: 'services/peer/dist/main.js',
    args: [],
    env: {
      ...common,
      CHANNEL: manifest.channel,
      PEER_ID: p.peerId,
      NETWORK_DIR: options.networkDir,
      DATA_DIR: dataDir(p.dataDir),
      HTTP_PORT: String(p.httpPort),
      VERIFY_WORKERS: String(options.verifyWorkers),
      // The peer's organisation as the service namespace of its traces (docs/telemetry.md).
      OTEL_RESOURCE_ATTRIBUTES: withNamespace(options.resourceAttributes, p.mspId),
      ...(dbs[p.peerId] !== undefined ? { DATABASE_URL: dbs[p.peerId] } : {}),
    },
    httpPort: p.httpPort,
    url: `http://${HOST}:${p.httpPort}`,
  }));
  const services = manifest.services
    .filter((s) => domains.has(s.domain))
    .map((s): DevProcess => {
      const name = serviceName(s.domain, s.mspId);
      return {
        name,
        kind: DevKind.SERVICE,
        mspId: s.mspId,
        role: `${s.domain} for ${s.mspId} (reads ${s.peer})`,
        program: `services/${s.domain}/dist/main.js`,
        args: [],
        env: {
          ...common,
          CHANNEL: manifest.channel,
          NETWORK_DIR: options.networkDir,
          ORG: s.mspId,
          PEER_ID: s.peer,
          IDENTITY: s.identity,
          HTTP_PORT: String(s.httpPort),
          ...(dbs[name] !== undefined ? { DATABASE_URL: dbs[name] } : {}),
        },
        httpPort: s.httpPort,
        url: `http://${HOST}:${s.httpPort}`,
        domain: s.domain as DevDomain,
      };
    });
  return [...orderers, ...peers, ...services];
}

/** `service.namespace=<mspId>` added to OTEL_RESOURCE_ATTRIBUTES (the caller's entries win). */
function withNamespace(attributes: string | undefined, mspId: string): string {
  return [`service.namespace=${mspId}`, ...(attributes ? [attributes] : [])].join(',');
}

function mspOf(manifest: NetworkManifest, identity: string): string {
  return manifest.identities.find((i) => i.name === identity)?.mspId ?? 'Orderers';
}

/** `subsidies,parking` → the domains, or a message naming what is unknown. */
export function parseDomains(text: string): DevDomain[] | string {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const unknown = names.filter((n) => !(DEV_DOMAINS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0)
    return `--only ${JSON.stringify(text)}: a comma-separated list of ${DEV_DOMAINS.join(', ')}${
      unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''
    }`;
  return [...new Set(names)] as DevDomain[];
}

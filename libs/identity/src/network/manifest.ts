import type { OrganizationType } from '../config/types.js';
import type { Role } from '../roles.js';
import type { Domain } from './dev.js';

/**
 * `network.json`: what `civic network init` wrote and where every program of the development
 * network finds its identity, its peers and its ports. Paths are relative to the network's
 * folder. Version 1; a reader refuses other versions.
 */
export interface NetworkManifest {
  readonly version: 1;
  readonly channel: string;
  /** When the network was made (RFC 3339). */
  readonly createdAt: string;
  /** The channel config as JSON, for people; the genesis block is authoritative. */
  readonly config: string;
  /** The genesis block, canonical JSON (block 0). */
  readonly genesis: string;
  readonly nats: { readonly url: string };
  readonly organizations: readonly ManifestOrganization[];
  readonly identities: readonly ManifestIdentity[];
  readonly orderers: readonly ManifestOrderer[];
  readonly peers: readonly ManifestPeer[];
  readonly services: readonly ManifestService[];
}

export interface ManifestOrganization {
  readonly mspId: string;
  readonly name: string;
  readonly type: OrganizationType;
  /** Root CA certificate (PEM) and its private key (PKCS#8 PEM, mode 0600). */
  readonly caCert: string;
  readonly caKey: string;
}

export interface ManifestIdentity {
  /** Unique name, the certificate's CN; `loadSigner(dir, name)` loads it. */
  readonly name: string;
  readonly mspId: string;
  readonly role: Role;
  readonly purpose: string;
  readonly cert: string;
  readonly key: string;
}

export interface ManifestOrderer {
  readonly nodeId: string;
  /** Identity name of its orderer certificate and key. */
  readonly identity: string;
  /** HTTP port of /healthz, /readyz and /metrics. */
  readonly httpPort: number;
  /** Write-ahead log, snapshots and block store. */
  readonly dataDir: string;
}

export interface ManifestPeer {
  readonly peerId: string;
  readonly mspId: string;
  readonly identity: string;
  /** HTTP port of the query API, /healthz, /readyz and /metrics. */
  readonly httpPort: number;
  /** Embedded PGlite folder, used when DATABASE_URL is not set. */
  readonly dataDir: string;
}

export interface ManifestService {
  readonly domain: Domain;
  readonly mspId: string;
  /** Identity name of the service's client certificate and key (creates and endorses). */
  readonly identity: string;
  /** HTTP port of its REST API. */
  readonly httpPort: number;
  /** The peer it reads state from. */
  readonly peer: string;
  /** Department users that may call its REST API. */
  readonly users: readonly string[];
}

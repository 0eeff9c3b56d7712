import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  bytesEqual,
  certificatePublicKey,
  NamePattern,
  type CertBase64,
  type Ed25519KeyPair,
} from '@civic/protocol';
import { isRole, type Role } from '../roles.js';
import { certificateFromPem, certificateToPem, privateKeyFromPem, privateKeyToPem } from '../msp/pem.js';
import type { BuiltNetwork } from './build.js';
import { DEV_PEERS, DEV_SERVICE_ORGS, devIdentityName, type Domain } from './dev.js';
import type { ManifestIdentity, ManifestService, NetworkManifest } from './manifest.js';

/**
 * The development network on disk: PEM certificates, PKCS#8 keys (mode 0600), the config,
 * the genesis block and `network.json`. Layout:
 *
 *   network.json  config.json  genesis.block
 *   orgs/<msp>/ca/{cert.pem,key.pem}
 *   orgs/<msp>/identities/<name>/{cert.pem,key.pem}
 *   data/<node>/   (created by the programs; removed by --force)
 */

export const MANIFEST_FILE = 'network.json';
export const CONFIG_FILE = 'config.json';
export const GENESIS_FILE = 'genesis.block';

export class NetworkExistsError extends Error {
  override readonly name = 'NetworkExistsError';
  constructor(readonly dir: string) {
    super(`${join(dir, MANIFEST_FILE)} exists: refusing to overwrite a network (use --force)`);
  }
}

export class NetworkFileError extends Error {
  override readonly name = 'NetworkFileError';
}

/** Default local endpoints of the development network. */
export const DEV_PORTS = {
  natsUrl: 'nats://127.0.0.1:4222',
  ordererHttpBase: 7100,
  peerHttpBase: 7200,
  serviceHttpBase: { subsidies: 3100, parking: 3200, transport: 3300 } satisfies Record<Domain, number>,
} as const;

export interface WriteNetworkOptions {
  /** Replace an existing network in the folder (its data/ folder too: the chain changes). */
  readonly force?: boolean;
  /** The genesis block's file bytes (canonical JSON). */
  readonly genesisBytes: Uint8Array;
  readonly createdAt: string;
  readonly natsUrl?: string;
}

/** What was written, for the CLI's summary. */
export interface WrittenNetwork {
  readonly dir: string;
  readonly manifest: NetworkManifest;
  readonly files: number;
}

const orgDir = (mspId: string) => join('orgs', mspId.toLowerCase());

export function writeNetwork(
  dir: string,
  network: BuiltNetwork,
  options: WriteNetworkOptions,
): WrittenNetwork {
  const root = resolve(dir);
  if (existsSync(join(root, MANIFEST_FILE))) {
    if (!options.force) throw new NetworkExistsError(root);
    for (const owned of [MANIFEST_FILE, CONFIG_FILE, GENESIS_FILE, 'orgs', 'data']) {
      rmSync(join(root, owned), { recursive: true, force: true });
    }
  }
  mkdirSync(root, { recursive: true });
  let files = 0;
  const write = (path: string, text: string | Uint8Array, secret = false): string => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
    writeFileSync(full, text, { mode: secret ? 0o600 : 0o644 });
    // The mode above is filtered by the umask; a key must be 0600 whatever the umask.
    if (secret) chmodSync(full, 0o600);
    files++;
    return path;
  };
  const organizations = network.spec.organizations.map((org) => {
    const ca = network.cas.get(org.mspId)!;
    return {
      ...org,
      caCert: write(join(orgDir(org.mspId), 'ca', 'cert.pem'), certificateToPem(ca.cert)),
      caKey: write(join(orgDir(org.mspId), 'ca', 'key.pem'), privateKeyToPem(ca.keyPair), true),
    };
  });
  const identities: ManifestIdentity[] = [...network.identities.values()].map((id) => {
    const base = join(orgDir(id.mspId), 'identities', id.name);
    return {
      name: id.name,
      mspId: id.mspId,
      role: id.role,
      purpose: id.purpose,
      cert: write(join(base, 'cert.pem'), certificateToPem(id.cert)),
      key: write(join(base, 'key.pem'), privateKeyToPem(id.keyPair), true),
    };
  });
  const manifest: NetworkManifest = {
    version: 1,
    channel: network.config.channel,
    createdAt: options.createdAt,
    config: write(CONFIG_FILE, `${JSON.stringify(network.config, null, 2)}\n`),
    genesis: write(GENESIS_FILE, options.genesisBytes),
    nats: { url: options.natsUrl ?? DEV_PORTS.natsUrl },
    organizations,
    identities,
    orderers: network.config.consenters.map((c, i) => ({
      nodeId: c.nodeId,
      identity: c.nodeId,
      httpPort: DEV_PORTS.ordererHttpBase + i + 1,
      dataDir: join('data', c.nodeId),
    })),
    peers: DEV_PEERS.filter((p) => network.identities.has(p.peerId)).map((p, i) => ({
      peerId: p.peerId,
      mspId: p.mspId,
      identity: p.peerId,
      httpPort: DEV_PORTS.peerHttpBase + i + 1,
      dataDir: join('data', p.peerId),
    })),
    services: devServices(network),
  };
  write(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: root, manifest, files };
}

/** One service instance per (domain, organisation); it reads from its own org's peer, or the first. */
function devServices(network: BuiltNetwork): ManifestService[] {
  const services: ManifestService[] = [];
  for (const [domain, orgs] of Object.entries(DEV_SERVICE_ORGS) as [Domain, readonly string[]][]) {
    orgs.forEach((mspId, i) => {
      const identity = devIdentityName(mspId, domain);
      if (!network.identities.has(identity)) return;
      const peer =
        DEV_PEERS.find((p) => p.mspId === mspId) ??
        DEV_PEERS.find((p) => p.mspId === 'Utrecht') ??
        DEV_PEERS[0]!;
      const users = [...network.identities.values()]
        .filter((id) => id.mspId === mspId && id.purpose === 'department user')
        .map((id) => id.name);
      services.push({
        domain,
        mspId,
        identity,
        httpPort: DEV_PORTS.serviceHttpBase[domain] + i + 1,
        peer: peer.peerId,
        users,
      });
    });
  }
  return services;
}

// ---- reading -------------------------------------------------------------------------------

/** A loaded manifest and the absolute folder it came from. */
export interface LoadedNetwork extends NetworkManifest {
  readonly dir: string;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new NetworkFileError(`cannot read ${what} ${path}: ${(cause as Error).message}`, { cause });
  }
}

/** Reads and checks `network.json` of a network folder. */
export function loadNetwork(dir: string): LoadedNetwork {
  const root = resolve(dir);
  const path = join(root, MANIFEST_FILE);
  let manifest: NetworkManifest;
  try {
    manifest = JSON.parse(readText(path, 'network manifest')) as NetworkManifest;
  } catch (cause) {
    if (cause instanceof NetworkFileError) throw cause;
    throw new NetworkFileError(`${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.version !== 1) {
    throw new NetworkFileError(`${path}: not a version 1 network manifest`);
  }
  if (typeof manifest.channel !== 'string' || !NamePattern.CHANNEL.test(manifest.channel))
    throw new NetworkFileError(`${path}: bad channel`);
  for (const list of ['organizations', 'identities', 'orderers', 'peers', 'services'] as const) {
    if (!Array.isArray(manifest[list])) throw new NetworkFileError(`${path}: ${list} must be an array`);
  }
  for (const id of manifest.identities) {
    if (
      typeof id?.name !== 'string' ||
      typeof id.cert !== 'string' ||
      typeof id.key !== 'string' ||
      !isRole(id.role)
    ) {
      throw new NetworkFileError(
        `${path}: identity ${JSON.stringify(id?.name)} lacks name, role, cert or key`,
      );
    }
  }
  return { ...manifest, dir: root };
}

/**
 * An identity loaded from a network folder, ready to sign with protocol's functions: it is a
 * protocol `Signer` (`{ mspId, cert, key }`); `keyPair` is the same key.
 */
export interface LoadedSigner {
  readonly name: string;
  readonly mspId: string;
  readonly role: Role;
  readonly cert: CertBase64;
  readonly key: Ed25519KeyPair;
  readonly keyPair: Ed25519KeyPair;
}

export function loadSigner(dir: string | LoadedNetwork, identityName: string): LoadedSigner {
  const network = typeof dir === 'string' ? loadNetwork(dir) : dir;
  const entry = network.identities.find((id) => id.name === identityName);
  if (entry === undefined) {
    const names = network.identities.map((id) => id.name).join(', ');
    throw new NetworkFileError(
      `no identity ${JSON.stringify(identityName)} in ${join(network.dir, MANIFEST_FILE)} (known: ${names})`,
    );
  }
  const cert = certificateFromPem(readText(join(network.dir, entry.cert), 'certificate'));
  const keyPair = privateKeyFromPem(readText(join(network.dir, entry.key), 'private key'));
  if (!bytesEqual(certificatePublicKey(cert), keyPair.publicKey)) {
    throw new NetworkFileError(`${entry.key} is not the key of ${entry.cert}`);
  }
  return { name: entry.name, mspId: entry.mspId, role: entry.role, cert, key: keyPair, keyPair };
}

/** The genesis block file's bytes. */
export function readGenesisBytes(network: LoadedNetwork): Uint8Array {
  try {
    return new Uint8Array(readFileSync(join(network.dir, network.genesis)));
  } catch (cause) {
    throw new NetworkFileError(
      `cannot read genesis block ${join(network.dir, network.genesis)}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

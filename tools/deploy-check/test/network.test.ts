// The deployments must run the development network that `civic network init` writes: every
// orderer, peer and domain service of network.json with its identity, organisation, peer and
// port, and each pod must find its key where network.json says it is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createNetwork, devNetworkSpec, writeNetwork, type NetworkManifest } from '@civic/identity';
import { programServices } from '@civic/deploy-check';
import { ROOT } from './fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let manifest: NetworkManifest;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'civic-deploy-net-'));
  const { network, genesisBytes } = createNetwork(devNetworkSpec(), { timeMs: Date.UTC(2026, 0, 1) });
  ({ manifest } = writeNetwork(dir, network, {
    genesisBytes,
    createdAt: '2026-01-01T00:00:00.000Z',
    force: false,
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const k8sObjects = (file: string): Json[] =>
  parseAllDocuments(readFileSync(join(ROOT, 'deploy/k8s', file), 'utf8'), { version: '1.1' })
    .map((d) => d.toJS() as Json)
    .filter(Boolean);

const envOf = (container: Json): Record<string, string> =>
  Object.fromEntries(
    (container.env ?? []).filter((e: Json) => 'value' in e).map((e: Json) => [e.name, e.value]),
  );

/** The files of a pod's projected network volume: path → Secret or ConfigMap name and key. */
function projectedFiles(pod: Json): Map<string, string> {
  const volume = pod.spec.volumes.find((v: Json) => v.name === 'network');
  const files = new Map<string, string>();
  for (const source of volume.projected.sources) {
    const from = source.secret ?? source.configMap;
    for (const item of from.items) files.set(item.path, `${from.name}/${item.key}`);
  }
  return files;
}

function expectIdentityMounted(pod: Json, identity: string): void {
  const entry = manifest.identities.find((id) => id.name === identity);
  expect(entry, identity).toBeDefined();
  const files = projectedFiles(pod);
  expect(files.get(entry!.cert)).toBe(`civic-id-${identity}/cert.pem`);
  expect(files.get(entry!.key)).toBe(`civic-id-${identity}/key.pem`);
  expect(files.get('network.json')).toBe('civic-network/network.json');
  expect(files.get(manifest.genesis)).toBe('civic-network/genesis.block');
}

describe('docker-compose.yml runs the development network', () => {
  // YAML 1.1 with merge keys, as docker-compose reads it.
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
    version: '1.1',
    merge: true,
  });
  const programs = programServices(compose);
  // docker-compose's default development password (CIVIC_DB_PASSWORD unset).
  const databaseUrl = (name: string) => {
    const database = name.replaceAll('-', '_');
    return `postgres://${database}:\${CIVIC_DB_PASSWORD:-civic-dev}@postgres:5432/${database}`;
  };

  it('every orderer, peer and domain service, with its identity, organisation, peer and port', () => {
    const expected = [
      ...manifest.orderers.map((o) => ({
        program: 'orderer',
        env: { NODE_ID: o.nodeId, HTTP_PORT: String(o.httpPort) },
      })),
      ...manifest.peers.map((p) => ({
        program: 'peer',
        env: { PEER_ID: p.peerId, HTTP_PORT: String(p.httpPort), DATABASE_URL: databaseUrl(p.peerId) },
      })),
      ...manifest.services.map((s) => ({
        program: s.domain,
        env: {
          ORG: s.mspId,
          IDENTITY: s.identity,
          PEER_ID: s.peer,
          HTTP_PORT: String(s.httpPort),
          // The organisation's private store: a database named after the identity.
          DATABASE_URL: databaseUrl(s.identity),
        },
      })),
    ];
    for (const { program, env } of expected) {
      const found = programs.filter(
        (p) => p.program === program && Object.entries(env).every(([k, v]) => p.env[k] === v),
      );
      expect(
        found.map((p) => p.name),
        `${program} ${JSON.stringify(env)}`,
      ).toHaveLength(1);
    }
    expect(programs).toHaveLength(expected.length);
  });

  it("the channel is the network's", () => {
    for (const { name, env } of programs) expect(env.CHANNEL, name).toBe(manifest.channel);
  });
});

describe('deploy/k8s runs the development network', () => {
  it('a Deployment per domain service, with its identity, organisation, peer and key', () => {
    const deployments = ['subsidies.yaml', 'parking.yaml', 'transport.yaml']
      .flatMap(k8sObjects)
      .filter((o) => o.kind === 'Deployment');
    expect(deployments).toHaveLength(manifest.services.length);
    for (const service of manifest.services) {
      const found = deployments.filter(
        (d) => envOf(d.spec.template.spec.containers[0]).IDENTITY === service.identity,
      );
      expect(found, service.identity).toHaveLength(1);
      const container = found[0]!.spec.template.spec.containers[0];
      expect(container.command).toEqual(['node', `services/${service.domain}/dist/main.js`]);
      expect(envOf(container)).toMatchObject({ ORG: service.mspId, PEER_ID: service.peer });
      expectIdentityMounted(found[0]!.spec.template, service.identity);
    }
  });

  it("a StatefulSet per peer with its key; the orderers with all consenters' keys", () => {
    const peers = k8sObjects('peers.yaml').filter((o) => o.kind === 'StatefulSet');
    expect(peers.map((p) => p.metadata.name).sort()).toEqual(manifest.peers.map((p) => p.peerId).sort());
    for (const peer of peers) {
      expect(envOf(peer.spec.template.spec.containers[0]).PEER_ID).toBe(peer.metadata.name);
      expectIdentityMounted(peer.spec.template, peer.metadata.name);
    }
    const orderer = k8sObjects('orderer.yaml').find((o) => o.kind === 'StatefulSet')!;
    expect(orderer.spec.replicas).toBe(manifest.orderers.length);
    for (const { nodeId } of manifest.orderers) expectIdentityMounted(orderer.spec.template, nodeId);
  });

  it('orderer-<i> starts as consenter orderer<i+1>', () => {
    const orderer = k8sObjects('orderer.yaml').find((o) => o.kind === 'StatefulSet')!;
    const [shell, flag, script] = orderer.spec.template.spec.containers[0].command as string[];
    expect([shell, flag]).toEqual(['sh', '-c']);
    // Kubernetes turns $$ into $ before the shell sees the script.
    const run = (podName: string) =>
      spawnSync('sh', ['-c', script!.replaceAll('$$', '$').replace(/exec node .*$/, 'echo "$NODE_ID"')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, POD_NAME: podName },
      }).stdout.trim();
    expect(manifest.orderers.map((_, i) => run(`orderer-${i}`))).toEqual(
      manifest.orderers.map((o) => o.nodeId),
    );
  });
});

describe('deploy/k8s/make-secrets.sh', () => {
  const script = join(ROOT, 'deploy/k8s/make-secrets.sh');

  it('prints one Secret per placeholder, from files of the network folder', () => {
    const result = spawnSync('sh', [script, dir], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const created = [
      ...result.stdout.matchAll(/create secret generic (civic-id-[a-z0-9-]+) (.*) --dry-run/g),
    ];
    const placeholders = k8sObjects('placeholders/network-material.yaml')
      .filter((o) => o.kind === 'Secret' && o.metadata.name.startsWith('civic-id-'))
      .map((o) => o.metadata.name);
    expect(created.map((m) => m[1]).sort()).toEqual(placeholders.sort());
    for (const [, , args] of created) {
      const paths = [...args!.matchAll(/--from-file=(?:cert|key)\.pem='([^']+)'/g)].map((m) => m[1]!);
      expect(paths).toHaveLength(2);
      for (const path of paths) expect(existsSync(path), path).toBe(true);
    }
    expect(result.stdout).toMatch(/create configmap civic-network --from-file=network\.json=/);
    expect(result.stdout).not.toMatch(/ca\/key\.pem|-admin|-user1/);
  });

  it('refuses a folder that lacks an identity, naming it', () => {
    const partial = mkdtempSync(join(tmpdir(), 'civic-deploy-partial-'));
    try {
      const { network, genesisBytes } = createNetwork(devNetworkSpec(), { timeMs: Date.UTC(2026, 0, 1) });
      writeNetwork(partial, network, { genesisBytes, createdAt: '2026-01-01T00:00:00.000Z', force: false });
      rmSync(join(partial, 'orgs/police/identities/police-transport'), { recursive: true });
      const result = spawnSync('sh', [script, partial], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/no identity police-transport/);
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  });
});

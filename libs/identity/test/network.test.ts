import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnvelope, createPayload, parseBlock, verifyBlock } from '@civic/protocol';
import {
  applicationOrgs,
  configFromBlock,
  createNetwork,
  devNetworkSpec,
  endorsementPolicy,
  evaluatePolicy,
  loadNetwork,
  loadSigner,
  NetworkExistsError,
  NetworkFileError,
  readGenesisBytes,
  resolveIdentity,
  seededKeySource,
  writeNetwork,
} from '../src/index.js';
import { T0_MS } from './helpers.js';

const dev = createNetwork(devNetworkSpec(), { timeMs: T0_MS, keys: seededKeySource('dev-tests') });
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'civic-net-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the development network', () => {
  const { config } = dev.network;
  const ctx = { applicationOrgs: applicationOrgs(config) };
  const as = (...names: string[]) =>
    names.map((name) => {
      const id = dev.network.identities.get(name);
      if (!id) throw new Error(name);
      return { mspId: id.mspId, role: id.role };
    });

  it('has the decided organisations, three consenters and a verifying genesis block', () => {
    expect(config.organizations.map((o) => o.mspId)).toEqual([
      'Orderers',
      'RVO',
      'Utrecht',
      'Amsterdam',
      'Assessor',
      'ILT',
      'RDW',
      'Police',
      'Haulier',
    ]);
    expect(config.consenters.map((c) => c.nodeId)).toEqual(['orderer1', 'orderer2', 'orderer3']);
    expect(verifyBlock(dev.genesis, { previous: null, consenters: config.consenters }).blockHash).toMatch(
      /^[0-9a-f]{64}$/,
    );
    for (const id of dev.network.identities.values())
      expect(resolveIdentity(config, id, T0_MS).ok).toBe(true);
  });

  it('has endorsement policies that fit the domains', () => {
    const policy = (ns: string, action: string) => endorsementPolicy(config, ns, action)!;
    expect(evaluatePolicy(policy('subsidies', 'grant'), as('rvo-subsidies'), ctx)).toBe(true);
    expect(evaluatePolicy(policy('subsidies', 'grant-endorsed'), as('rvo-subsidies'), ctx)).toBe(false);
    expect(
      evaluatePolicy(policy('subsidies', 'grant-endorsed'), as('rvo-subsidies', 'utrecht-subsidies'), ctx),
    ).toBe(true);
    expect(evaluatePolicy(policy('parking', 'card.issue'), as('utrecht-parking'), ctx)).toBe(false);
    expect(
      evaluatePolicy(policy('parking', 'card.issue'), as('amsterdam-parking', 'assessor-parking'), ctx),
    ).toBe(true);
    expect(evaluatePolicy(policy('transport', 'records.upload'), as('haulier-transport'), ctx)).toBe(true);
    expect(evaluatePolicy(config.namespaces.transport!.writers, as('rvo-subsidies'), ctx)).toBe(false);
    expect(
      evaluatePolicy(
        config.policies.admins,
        as('rvo-admin', 'utrecht-admin', 'amsterdam-admin', 'ilt-admin'),
        ctx,
      ),
    ).toBe(false);
    expect(
      evaluatePolicy(
        config.policies.admins,
        as('rvo-admin', 'utrecht-admin', 'amsterdam-admin', 'ilt-admin', 'rdw-admin'),
        ctx,
      ),
    ).toBe(true);
  });
});

describe('network folders', () => {
  it('writes the network with private keys in mode 0600, and loads it back', () => {
    const dir = tempDir();
    const written = writeNetwork(dir, dev.network, {
      genesisBytes: dev.genesisBytes,
      createdAt: '2026-03-01T12:00:00.000Z',
    });
    expect(written.files).toBeGreaterThan(100);
    const network = loadNetwork(dir);
    expect(network.channel).toBe('civic');
    expect(network.orderers.map((o) => o.httpPort)).toEqual([7101, 7102, 7103]);
    expect(network.peers.map((p) => p.peerId)).toEqual(['rvo-peer', 'utrecht-peer']);
    expect(network.services.find((s) => s.identity === 'assessor-parking')).toMatchObject({
      domain: 'parking',
      peer: 'utrecht-peer',
      httpPort: 3203,
    });
    expect(network.services.find((s) => s.identity === 'rvo-subsidies')?.users).toEqual([
      'rvo-user1',
      'rvo-user2',
    ]);
    for (const id of network.identities) {
      expect(statSync(join(dir, id.key)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, id.cert), 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
    }
    for (const org of network.organizations) expect(statSync(join(dir, org.caKey)).mode & 0o777).toBe(0o600);
    const genesis = parseBlock(readGenesisBytes(network));
    expect(configFromBlock(genesis)).toEqual(dev.network.config);
    expect(JSON.parse(readFileSync(join(dir, network.config), 'utf8'))).toEqual(dev.network.config);

    const signer = loadSigner(dir, 'utrecht-parking');
    expect(signer).toMatchObject({ name: 'utrecht-parking', mspId: 'Utrecht', role: 'client' });
    expect(signer.key).toBe(signer.keyPair);
    const payload = createPayload({
      channel: 'civic',
      namespace: 'parking',
      action: 'card.issue',
      txTime: T0_MS,
      creator: { mspId: signer.mspId, cert: signer.cert },
      reads: [],
      writes: [{ key: 'card/1', value: { status: 'issued' } }],
      event: { type: 'card.issued', data: { card: 1 } },
    });
    expect(createEnvelope(payload, signer.keyPair).signature).toMatch(/^[0-9a-f]{128}$/);
  });

  it('refuses to overwrite an existing network unless forced', () => {
    const dir = tempDir();
    writeNetwork(dir, dev.network, { genesisBytes: dev.genesisBytes, createdAt: 'x' });
    expect(() => writeNetwork(dir, dev.network, { genesisBytes: dev.genesisBytes, createdAt: 'y' })).toThrow(
      NetworkExistsError,
    );
    expect(loadNetwork(dir).createdAt).toBe('x');
    writeNetwork(dir, dev.network, { genesisBytes: dev.genesisBytes, createdAt: 'z', force: true });
    expect(loadNetwork(dir).createdAt).toBe('z');
  });

  it('says what is missing when loading goes wrong', () => {
    const dir = tempDir();
    expect(() => loadNetwork(dir)).toThrow(NetworkFileError);
    writeNetwork(dir, dev.network, { genesisBytes: dev.genesisBytes, createdAt: 'x' });
    expect(() => loadSigner(dir, 'nobody')).toThrow(/no identity "nobody"/);
    rmSync(join(dir, 'orgs', 'rvo', 'identities', 'rvo-admin', 'key.pem'));
    expect(() => loadSigner(dir, 'rvo-admin')).toThrow(/cannot read private key/);
  });
});

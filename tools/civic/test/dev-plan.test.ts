import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsUrl } from '@civic/testkit';
import { main } from '../src/main.js';
import { isErrorLine } from '../src/dev/child.js';
import { devDatabaseName, urlWithDatabase } from '../src/dev/databases.js';
import { ensureDevNetwork, type DevNetwork } from '../src/dev/network-setup.js';
import { DevKind, parseDomains, planMesh } from '../src/dev/plan.js';
import { checkNats, natsHostPort, natsProblemLine, portIsFree } from '../src/dev/preflight.js';

let dir: string;
let dev: DevNetwork;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'civic-dev-plan-'));
  dev = ensureDevNetwork(join(dir, 'net'), 'civic', Date.UTC(2026, 2, 1));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { natsUrl: 'nats://127.0.0.1:4222', logLevel: 'info', verifyWorkers: 1 };

describe('the development network', () => {
  it('is created once, then reused with the same genesis', () => {
    expect(dev.created).toBe(true);
    expect(dev.networkId).toMatch(/^[0-9a-f]{8}$/);
    const again = ensureDevNetwork(join(dir, 'net'), 'other', Date.now());
    expect(again.created).toBe(false);
    expect(again.genesisHash).toBe(dev.genesisHash);
    expect(again.network.channel).toBe('civic');
    expect(() => ensureDevNetwork(join(dir, 'bad'), 'Bad_Channel', Date.now())).toThrow(/channel name/);
  });
});

describe('planMesh', () => {
  it('runs 3 orderers, 2 peers and the 11 domain service instances of network.json, in start order', () => {
    const plan = planMesh(dev.network, { ...base, networkDir: dev.network.dir });
    expect(plan.map((p) => p.kind)).toEqual([
      ...Array<DevKind>(3).fill(DevKind.ORDERER),
      ...Array<DevKind>(2).fill(DevKind.PEER),
      ...Array<DevKind>(11).fill(DevKind.SERVICE),
    ]);
    expect(new Set(plan.map((p) => p.name)).size).toBe(16);
    expect(new Set(plan.map((p) => p.httpPort)).size).toBe(16);
    expect(plan.map((p) => p.name)).toEqual([
      'orderer1',
      'orderer2',
      'orderer3',
      'rvo-peer',
      'utrecht-peer',
      'subsidies-rvo',
      'subsidies-utrecht',
      'subsidies-amsterdam',
      'parking-utrecht',
      'parking-amsterdam',
      'parking-assessor',
      'parking-police',
      'transport-ilt',
      'transport-rdw',
      'transport-police',
      'transport-haulier',
    ]);
    const rvoPeer = plan.find((p) => p.name === 'rvo-peer')!;
    expect(rvoPeer.env).toMatchObject({
      CHANNEL: 'civic',
      PEER_ID: 'rvo-peer',
      HTTP_PORT: '7201',
      DATA_DIR: join(dev.network.dir, 'data/rvo-peer'),
      VERIFY_WORKERS: '1',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=RVO',
    });
    expect(rvoPeer.env['DATABASE_URL']).toBeUndefined();
    const subsidiesRvo = plan.find((p) => p.name === 'subsidies-rvo')!;
    expect(subsidiesRvo).toMatchObject({
      url: 'http://127.0.0.1:3101',
      program: 'services/subsidies/dist/main.js',
    });
    expect(subsidiesRvo.env).toMatchObject({ ORG: 'RVO', PEER_ID: 'rvo-peer', IDENTITY: 'rvo-subsidies' });
    expect(plan.find((p) => p.name === 'orderer2')!.args).toEqual([
      '--network',
      dev.network.dir,
      '--node',
      'orderer2',
    ]);
  });

  it('runs only the domains asked for, with the databases given, keeping OTEL_RESOURCE_ATTRIBUTES', () => {
    const plan = planMesh(dev.network, {
      ...base,
      networkDir: dev.network.dir,
      domains: ['subsidies'],
      databaseUrls: { 'utrecht-peer': 'postgres://h/db1', 'subsidies-amsterdam': 'postgres://h/db2' },
      resourceAttributes: 'deployment.environment=dev',
    });
    expect(plan).toHaveLength(8);
    expect(plan.find((p) => p.name === 'utrecht-peer')!.env).toMatchObject({
      DATABASE_URL: 'postgres://h/db1',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=Utrecht,deployment.environment=dev',
    });
    expect(plan.find((p) => p.name === 'subsidies-amsterdam')!.env['DATABASE_URL']).toBe('postgres://h/db2');
  });

  it('--only names known domains or says which are not', () => {
    expect(parseDomains('subsidies, parking,subsidies')).toEqual(['subsidies', 'parking']);
    expect(parseDomains('subsidies,taxes')).toBe(
      '--only "subsidies,taxes": a comma-separated list of subsidies, parking, transport (unknown: taxes)',
    );
    expect(parseDomains(' , ')).toMatch(/^--only " , ": a comma-separated list/);
  });
});

describe('databases', () => {
  it('one name per program and network, safe as an identifier', () => {
    expect(devDatabaseName('0a1b2c3d', 'rvo-peer')).toBe('civic_dev_0a1b2c3d_rvo_peer');
    expect(devDatabaseName('0a1b2c3d', 'subsidies-amsterdam')).toBe('civic_dev_0a1b2c3d_subsidies_amsterdam');
    expect(() => devDatabaseName('0a1b2c3d', 'x'.repeat(60))).toThrow(/too long/);
    expect(
      urlWithDatabase('postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable', 'civic_dev_x'),
    ).toBe('postgres://postgres@127.0.0.1:5432/civic_dev_x?sslmode=disable');
  });
});

describe('console lines', () => {
  it('shows errors, fatal lines and text that is not a log record; hides info', () => {
    expect(isErrorLine('{"level":30,"msg":"ready"}')).toBe(false);
    expect(isErrorLine('{"level":50,"msg":"failed"}')).toBe(true);
    expect(isErrorLine('{"level":60,"msg":"fatal"}')).toBe(true);
    expect(isErrorLine('{"level":"error","msg":"x"}')).toBe(true);
    expect(isErrorLine('TypeError: boom')).toBe(true);
    expect(isErrorLine('{not json')).toBe(true);
  });
});

describe('preflight', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds NATS with JetStream, says so when it is something else or nothing', async () => {
    expect(await checkNats(natsUrl())).toEqual({ ok: true });
    expect(await checkNats(`nats://127.0.0.1:${port}`)).toEqual({ ok: false, problem: 'not-nats' });
    expect(await portIsFree(port)).toBe(false);
    server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await checkNats(`nats://127.0.0.1:${port}`)).toEqual({ ok: false, problem: 'unreachable' });
    expect(natsProblemLine('nats://127.0.0.1:4222', 'unreachable')).toBe(
      'NATS is not running on nats://127.0.0.1:4222: start it with nats-server -js (or set NATS_URL)',
    );
    expect(natsHostPort('nats://10.0.0.9:4300,nats://b:4222')).toEqual({ host: '10.0.0.9', port: 4300 });
    expect(natsHostPort('127.0.0.1')).toEqual({ host: '127.0.0.1', port: 4222 });
  });
});

describe('civic dev up without NATS', () => {
  it('says so in one line, exits 1 and creates nothing', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const lines: string[] = [];
    const errors: string[] = [];
    const network = join(dir, 'no-nats');
    const code = await main(
      ['node', 'civic', 'dev', 'up', '--network', network, '--nats', `nats://127.0.0.1:${port}`],
      {
        line: (text = '') => lines.push(text),
        error: (text) => errors.push(text),
      },
    );
    expect(code).toBe(1);
    expect(lines).toEqual([]);
    expect(errors).toEqual([
      `civic: NATS is not running on nats://127.0.0.1:${port}: start it with nats-server -js (or set NATS_URL)`,
    ]);
    expect(existsSync(network)).toBe(false);
  });
});

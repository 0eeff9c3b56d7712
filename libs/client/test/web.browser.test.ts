import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHashOf, keyPairFromSeed, sha256, toHex, utf8Bytes, type Block } from '@civic/protocol';
import { buildTxProof, signCheckpoint } from '../src/index.js';
import { ChainBuilder } from './support/chain.js';

/**
 * The citizen-facing proof checker (libs/client/web) built with Vite and loaded in headless
 * Chromium from a local static server: a good proof says "verified", a tampered one says why
 * not. The page's crypto is the browser build of @civic/protocol (@noble), not node:crypto.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const DIST = join(ROOT, 'libs/client/web/dist');
const CHROMIUM = '/usr/bin/chromium';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let server: Server;
let baseUrl: string;
let browser: Browser;
const requested: string[] = [];
const peerKey = keyPairFromSeed(sha256(utf8Bytes('civic-client-tests/web-peer')));
let block: Block;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (this test must not be skipped)`);
  execFileSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'libs/client/web/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    requested.push(path);
    const file = join(DIST, path === '/' ? 'verify.html' : path);
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const chain = new ChainBuilder('tweb');
  chain.txBlock(2);
  block = chain.txBlock(5);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${baseUrl}/verify.html`);
  return { page, errors };
}

async function check(page: Page, proofText: string): Promise<{ status: string | null; text: string }> {
  await page.fill('#proof', proofText);
  // A fresh verdict: the previous one's status goes first.
  await page.$eval('#result', (element) => element.removeAttribute('data-status'));
  await page.click('#check');
  await page.waitForSelector('#result[data-status]');
  return { status: await page.getAttribute('#result', 'data-status'), text: await page.innerText('#result') };
}

describe('the browser part of @civic/client', () => {
  it('type-checks with DOM types and without Node types (no node: import anywhere it reaches)', () => {
    expect(() =>
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'libs/client/web'], {
        cwd: ROOT,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  }, 60_000);
});

describe('the proof checker page in headless Chromium', () => {
  it('says "verified" for a good proof pasted in, and anchors it to a checkpoint signed by the key given', async () => {
    const { page, errors } = await openPage();
    const checkpoint = signCheckpoint(
      {
        channel: 'tweb',
        peerId: 'rvo-peer',
        height: 2,
        blockHash: blockHashOf(block.header),
        commitHash: '55'.repeat(32),
      },
      peerKey,
    );
    const proof = JSON.stringify(buildTxProof(block, 3, { code: 'VALID', checkpoint }), null, 2);
    const plain = await check(page, proof);
    expect(plain.status).toBe('verified');
    expect(plain.text).toContain('Verified: this transaction is in the block it names.');
    expect(plain.text).toContain('2 of channel tweb (transaction 4 of 5)');
    expect(plain.text).toContain('subsidies / grant, by RVO');
    expect(plain.text).toMatch(/Anchored\s+no:/);

    await page.click('summary');
    await page.fill('#peer-key', toHex(peerKey.publicKey));
    const anchored = await check(page, proof);
    expect(anchored.status).toBe('verified');
    expect(anchored.text).toMatch(/Anchored\s+to the signed checkpoint of rvo-peer at block 2/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says why a tampered proof does not verify', async () => {
    const { page, errors } = await openPage();
    const tampered = JSON.parse(JSON.stringify(buildTxProof(block, 1)));
    tampered.envelope.payload.writes[0].value.amountCents += 1;
    const result = await check(page, JSON.stringify(tampered));
    expect(result.status).toBe('failed');
    expect(result.text).toContain('This proof does not verify.');
    expect(result.text).toMatch(/Failed check\s+ENVELOPE_MISMATCH/);
    expect(result.text).toContain('the envelope hashes to');

    const badPath = JSON.parse(JSON.stringify(buildTxProof(block, 4)));
    badPath.auditPath[0] = 'ab'.repeat(32);
    expect((await check(page, JSON.stringify(badPath))).text).toMatch(/Failed check\s+AUDIT_PATH_MISMATCH/);
    expect((await check(page, '{"channel": "tweb"')).text).toMatch(
      /Failed check\s+MALFORMED\s+Reason\s+proof: is not JSON/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('checks a proof chosen as a file, and loads nothing but itself', async () => {
    const { page } = await openPage();
    const before = requested.length;
    await page.setInputFiles('#file', {
      name: 'proof.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(buildTxProof(block, 0))),
    });
    await page.waitForSelector('#result[data-status]');
    expect(await page.getAttribute('#result', 'data-status')).toBe('verified');
    expect(requested.slice(before)).toEqual([]);
    expect(requested.every((path) => path === '/verify.html' || path.startsWith('/assets/'))).toBe(true);
    await page.close();
  });
});

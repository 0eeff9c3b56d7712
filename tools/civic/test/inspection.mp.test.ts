import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerClient, PeerNotFoundError } from '@civic/client';
import { requestJson, subjects } from '@civic/messaging';
import { makeEnvelope } from '@civic/orderer/testing';
import { txIdOf, type SubmitReply } from '@civic/protocol';
import { buildMeshPrograms, startMesh, type Mesh } from '@civic/testkit/mesh';
import { runCivic } from './support/run-civic.js';

/**
 * The inspection commands as real processes against a real network: three orderer processes
 * (Raft), a peer process on PostgreSQL and the real NATS (@civic/testkit/mesh). The network
 * folder the commands read is a copy of the mesh's with the ports the processes really use.
 */
let mesh: Mesh;
let work: string;
let networkDir: string;
let peerUrl: string;
const txIds: string[] = [];

function peerUrlFromLog(lines: readonly string[]): string | null {
  for (const line of lines) {
    if (!line.includes('HTTP API listening')) continue;
    const url = (JSON.parse(line) as { url?: unknown }).url;
    if (typeof url === 'string') return url;
  }
  return null;
}

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  buildMeshPrograms();
  mesh = await startMesh({ peers: ['utrecht-peer'], logLevel: 'info' });
  const peer = mesh.peers.get('utrecht-peer')!.process;
  peerUrl = await until('the peer URL in its log', async () => peerUrlFromLog(peer.log));
  work = mkdtempSync(join(tmpdir(), 'civic-inspect-mp-'));
  networkDir = join(work, 'net');
  cpSync(mesh.dir, networkDir, { recursive: true, filter: (src) => !src.startsWith(join(mesh.dir, 'data')) });
  const manifestPath = join(networkDir, 'network.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.orderers = manifest.orderers.map((o: { nodeId: string }) => ({
    ...o,
    httpPort: mesh.orderers.node(o.nodeId).httpPort,
  }));
  manifest.peers = manifest.peers
    .filter((p: { peerId: string }) => p.peerId === 'utrecht-peer')
    .map((p: object) => ({ ...p, httpPort: Number(new URL(peerUrl).port) }));
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  // One transaction at a time, each committed before the next: three blocks after genesis.
  const signer = mesh.net.identity('utrecht-parking');
  const client = PeerClient.http(peerUrl, { token: mesh.peerTokens() });
  for (let i = 0; i < 3; i++) {
    const envelope = makeEnvelope(signer, {
      channel: mesh.channel.channel,
      key: `inspect-${i}`,
      value: { i },
    });
    const reply = await requestJson<SubmitReply>(
      mesh.channel.nc,
      subjects(mesh.channel.channel).txSubmit,
      envelope,
      {
        timeoutMs: 10_000,
      },
    );
    expect(reply.status).toBe('ACCEPTED');
    const txId = txIdOf(envelope.payload);
    txIds.push(txId);
    await until(`transaction ${txId} at the peer`, () =>
      client
        .tx(txId)
        .catch((error: unknown) => (error instanceof PeerNotFoundError ? null : Promise.reject(error))),
    );
  }
}, 240_000);

afterAll(async () => {
  await mesh?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const civic = (...args: string[]) => runCivic(args, work, 120_000);

describe('inspection commands on a real network (multi-process)', () => {
  it('civic status: every orderer and the peer up, one leader, as a table', async () => {
    const result = await civic('status', '--network', networkDir);
    console.log(result.stdout); // what an operator sees
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^(orderer\d|utrecht-peer)\s/.test(line));
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => /\sup\s/.test(row))).toBe(true);
    expect(rows.filter((row) => /\sleader\s/.test(row))).toHaveLength(1);
    expect(rows.find((row) => row.startsWith('utrecht-peer'))).toMatch(/peer \(live\)/);
  });

  it('civic tx: the transaction VALID in its block, its proof tied to the peer’s signed checkpoint', async () => {
    const result = await civic('tx', txIds[0]!, '--network', networkDir, '--export', 'proof.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/code:\s+VALID/);
    expect(result.stdout).toContain('proof: verified');
    expect(result.stdout).toMatch(
      /anchored: block \d+ is in the chain of utrecht-peer's signed checkpoint at block \d+/,
    );
    const check = await civic('proof', 'check', 'proof.json', '--network', networkDir);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(`proves transaction ${txIds[0]}`);
  });

  it('civic verify: the peer’s whole chain re-verified from genesis, commit hash recomputed', async () => {
    const head = await PeerClient.http(peerUrl, { token: mesh.peerTokens() }).height();
    const result = await civic('verify', '--network', networkDir, '--no-progress');
    console.log(result.stdout);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('verifies from genesis');
    expect(result.stdout).toMatch(/checkpoint:\s+utrecht-peer's signed checkpoint at block \d+ matches/);
    // The chain only grows: the height verified is at least the one seen before.
    const height = Number(/height:\s+(\d+)/.exec(result.stdout)?.[1]);
    expect(height).toBeGreaterThanOrEqual(head.height);
    if (height === head.height) expect(result.stdout).toContain(head.commitHash);
  });

  it('civic blocks tail: blocks from the stream, each verified, one line each', async () => {
    const result = await civic('blocks', 'tail', '--network', networkDir, '--from', '1', '--count', '2');
    console.log(result.stdout);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^block 1 .* verified/);
    expect(lines[1]).toMatch(/^block 2 .* verified/);
  });
});

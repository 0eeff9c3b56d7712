import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTxProof, signCheckpoint } from '@civic/client';
import { freePort } from '@civic/testkit';
import { mintToken, PEER_TOKEN_AUDIENCE } from '@civic/identity';
import { blockHashOf, canonicalize, txIdOf } from '@civic/protocol';
import { buildCivic, runCivic } from './support/run-civic.js';
import { startStubPeer, stubChain, writeStubNetwork, type StubPeer } from './support/stub-peer.js';

/**
 * The inspection commands as real processes against a stub peer (node:http in this process,
 * serving the REST shapes of services/peer over an in-memory dev-network chain) and offline.
 * The multi-process test against real orderers and a real peer is inspection-mesh.test.ts.
 */
let work: string;
let peer: StubPeer;
let network: { dir: string; remove(): void };

beforeAll(async () => {
  buildCivic();
  work = mkdtempSync(join(tmpdir(), 'civic-inspect-'));
  peer = await startStubPeer(stubChain(4));
  network = writeStubNetwork(peer.chain, Number(new URL(peer.url).port), [
    await freePort(),
    await freePort(),
  ]);
}, 180_000);

afterAll(async () => {
  await peer?.close();
  network?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

const civic = (...args: string[]) => runCivic(args, work);
const txOf = (n: number, i: number) => txIdOf(peer.chain.blocks[n]!.envelopes[i]!.payload);

describe('civic proof check', () => {
  it('accepts an exported proof, and says when it is not anchored', async () => {
    writeFileSync(
      join(work, 'good.json'),
      JSON.stringify(buildTxProof(peer.chain.blocks[2]!, 1, { code: 'VALID' }), null, 2),
    );
    const result = await civic('proof', 'check', 'good.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `OK: good.json proves transaction ${txOf(2, 1)} in block 2 of channel civic`,
    );
    expect(result.stdout).toMatch(/anchored:\s+no: the header is not tied/);
    const trusted = await civic(
      'proof',
      'check',
      'good.json',
      '--trust',
      `2:${blockHashOf(peer.chain.blocks[2]!.header)}`,
    );
    expect(trusted.stdout).toMatch(/anchored:\s+to a block hash you trust/);
    expect((await civic('proof', 'check', 'good.json', '--require-anchor')).status).toBe(1);
  });

  it('anchors a proof to the checkpoint it carries when the network knows the signing peer', async () => {
    const block = peer.chain.blocks[4]!;
    const utrecht = peer.chain.net.network.identities.get('utrecht-peer')!;
    const checkpoint = {
      ...signCheckpoint(
        {
          channel: 'civic',
          peerId: 'utrecht-peer',
          height: 4,
          blockHash: blockHashOf(block.header),
          commitHash: peer.chain.commitHashes[4]!,
        },
        utrecht.key,
      ),
      mspId: 'Utrecht',
      cert: utrecht.cert,
    };
    writeFileSync(join(work, 'anchored.json'), JSON.stringify(buildTxProof(block, 0, { checkpoint })));
    const result = await civic('proof', 'check', 'anchored.json', '--network', network.dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/anchored:\s+to utrecht-peer's signed checkpoint at block 4/);
  });

  it('refuses a tampered proof with the reason and exit code 1', async () => {
    const proof = JSON.parse(JSON.stringify(buildTxProof(peer.chain.blocks[3]!, 0)));
    proof.auditPath[0] = proof.auditPath[0].replace(/^./, (c: string) => (c === 'a' ? 'b' : 'a'));
    writeFileSync(join(work, 'tampered.json'), JSON.stringify(proof));
    const result = await civic('proof', 'check', 'tampered.json');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'civic: tampered.json does not verify: AUDIT_PATH_MISMATCH: the audit path does not lead',
    );
    writeFileSync(join(work, 'garbage.json'), '{"channel": "civic"');
    expect((await civic('proof', 'check', 'garbage.json')).stderr).toContain(
      'does not verify: MALFORMED: proof: is not JSON',
    );
  });
});

describe('civic tx against a stub peer', () => {
  it('shows the transaction, its code and block, and its proof tied to the signed checkpoint', async () => {
    const txId = txOf(2, 1);
    const result = await civic('tx', txId, '--network', network.dir, '--export', 'exported.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`transaction ${txId}`);
    expect(result.stdout).toMatch(/code:\s+MVCC_READ_CONFLICT \(read grant\/1 at 3:0, now at 4:0\)/);
    expect(result.stdout).toMatch(/block:\s+2, transaction 1 of 2/);
    expect(result.stdout).toMatch(/creator:\s+Utrecht: CN=utrecht-parking/);
    expect(result.stdout).toContain('proof: verified');
    expect(result.stdout).toContain(
      "anchored: block 2 is in the chain of utrecht-peer's signed checkpoint at block 4 (2 later headers linked)",
    );
    const exported = JSON.parse(readFileSync(join(work, 'exported.json'), 'utf8'));
    expect(exported.checkpoint.height).toBe(4);
    const check = await civic('proof', 'check', 'exported.json', '--network', network.dir);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('note: the checkpoint of utrecht-peer is at block 4, not 2');
  });

  it('says when the peer has no such transaction, and refuses a bad txId', async () => {
    const { cert, key } = peer.chain.net.network.identities.get('rvo-user1')!;
    const token = mintToken({ cert, key, audience: PEER_TOKEN_AUDIENCE, ttlMs: 60_000, nowMs: Date.now() });
    const missing = await civic('tx', 'ab'.repeat(32), '--peer', peer.url, '--token', token);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`the peer at ${peer.url} has no transaction ${'ab'.repeat(32)}`);
    expect((await civic('tx', 'xyz', '--peer', peer.url)).status).toBe(2);
  });

  it('refuses a proof whose block the later headers do not chain to the checkpoint', async () => {
    const forged = JSON.parse(canonicalize(peer.chain.blocks[3]!));
    forged.header.previousHash = 'ee'.repeat(32);
    peer.override.set(3, { block: forged });
    try {
      const result = await civic('tx', txOf(2, 0), '--network', network.dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("block 3's previousHash does not chain to block 2 of the proof");
    } finally {
      peer.override.clear();
    }
  });
});

describe('civic tx and verify read from the peer as a reader of the channel', () => {
  const tx = () => txOf(1, 0);
  it('mint tokens of a department user of the peer’s organisation, or of --user', async () => {
    const before = peer.readers.length;
    expect((await civic('tx', tx(), '--network', network.dir)).status).toBe(0);
    expect(new Set(peer.readers.slice(before))).toEqual(new Set(['CN=utrecht-user1, OU=client, O=Utrecht']));
    const asRvo = peer.readers.length;
    expect(
      (await civic('verify', '--network', network.dir, '--user', 'rvo-user1', '--no-progress')).status,
    ).toBe(0);
    expect(new Set(peer.readers.slice(asRvo))).toEqual(new Set(['CN=rvo-user1, OU=client, O=RVO']));
  });

  it('say what is missing when the peer refuses (401 without a token, 403 outside readers)', async () => {
    const anonymous = await civic('tx', tx(), '--peer', peer.url);
    expect(anonymous.status).toBe(1);
    expect(anonymous.stderr).toContain('refused with 401');
    expect(anonymous.stderr).toContain('pass --network DIR (and --user NAME) or --token TOKEN');
    const orderers = await civic(
      'verify',
      '--network',
      network.dir,
      '--user',
      'orderers-admin',
      '--no-progress',
    );
    expect(orderers.status).toBe(1);
    expect(orderers.stderr).toMatch(/refused with 403: .*readers policy ANY member not satisfied/);
    expect(orderers.stderr).toContain("not among the channel's readers");
    const unknown = await civic('tx', tx(), '--network', network.dir, '--user', 'nobody');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('--user nobody: no identity "nobody"');
    expect(
      (await civic('tx', tx(), '--network', network.dir, '--user', 'rvo-user1', '--token', 'x')).status,
    ).toBe(2);
  });
});

describe('civic verify against a stub peer', () => {
  it('re-verifies the whole chain and prints height, blockHash and the recomputed commitHash', async () => {
    const result = await civic('verify', '--peer', peer.url, '--network', network.dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`OK: the chain of civic served by ${peer.url} verifies from genesis`);
    expect(result.stdout).toMatch(/height:\s+4 \(5 blocks, 9 transactions/);
    expect(result.stdout).toContain(blockHashOf(peer.chain.blocks[4]!.header));
    expect(result.stdout).toContain(`${peer.chain.commitHashes[4]} (recomputed from the peer's codes)`);
    expect(result.stdout).toMatch(/checkpoint:\s+utrecht-peer's signed checkpoint at block 4 matches/);
  });

  it('names the first block that does not verify, with exit code 1', async () => {
    const tampered = JSON.parse(canonicalize(peer.chain.blocks[3]!));
    tampered.envelopes[0].payload.writes[0].value.n = 99;
    peer.override.set(3, { block: tampered });
    try {
      const result = await civic('verify', '--peer', peer.url, '--network', network.dir, '--no-progress');
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('civic: block 3 does not verify: DataHashError: dataHash');
    } finally {
      peer.override.clear();
    }
  });

  it('names the block whose commit hash the codes do not give', async () => {
    peer.override.set(2, { commitHash: 'cc'.repeat(32) });
    try {
      const result = await civic('verify', '--peer', peer.url, '--network', network.dir, '--no-progress');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `civic: block 2: the peer reports commit hash ${'cc'.repeat(32)}, its codes and the chain give ${peer.chain.commitHashes[2]}`,
      );
    } finally {
      peer.override.clear();
    }
  });
});

describe('civic status against a stub peer', () => {
  it('shows each node, the unreachable ones as down, and exits 1 unless --allow-down', async () => {
    const result = await civic('status', '--network', network.dir, '--timeout-ms', '1000');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /utrecht-peer\s+peer\s+http:\/\/127\.0\.0\.1:\d+\s+up\s+peer \(live\)\s+5\s+0\s+-\s+ready/,
    );
    expect(result.stdout).toMatch(
      /orderer1\s+orderer\s+http:\/\/127\.0\.0\.1:\d+\s+down\s+-\s+-\s+-\s+-\s+down: ECONNREFUSED/,
    );
    expect(result.stderr).toContain('node(s) down: orderer1, orderer2, orderer3, rvo-peer');
    const allowed = await civic(
      'status',
      '--network',
      network.dir,
      '--timeout-ms',
      '1000',
      '--allow-down',
      '--json',
    );
    expect(allowed.status).toBe(0);
    const nodes = JSON.parse(allowed.stdout) as { name: string; up: boolean; blocks: number | null }[];
    expect(nodes.find((n) => n.name === 'utrecht-peer')).toMatchObject({ up: true, blocks: 5 });
  });
});

/**
 * A minimal HTTP peer for CLI tests: the REST shapes of services/peer (libs/ledger
 * LedgerQueries: /height, /blocks/:n, /tx/:txId, /tx/:txId/proof, /checkpoint, /healthz,
 * /readyz) over an in-memory chain of the development network, with codes, commit hashes and
 * checkpoints computed as a peer does, and its reader check (identity's authenticateReader on
 * every route but /healthz and /readyz). Tests tamper with what it serves.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTxProof, codesByTxId, CommitHashChain, signCheckpoint } from '@civic/client';
import {
  authenticateReader,
  createNetwork,
  devNetworkSpec,
  PEER_TOKEN_AUDIENCE,
  ReaderRefusal,
  seededKeySource,
  writeNetwork,
  type NetworkWithGenesis,
} from '@civic/identity';
import {
  blockHashOf,
  buildBlock,
  canonicalize,
  createEnvelope,
  createPayload,
  signBlock,
  txIdOf,
  type Block,
  type Hex,
} from '@civic/protocol';

export const STUB_T0_MS = Date.UTC(2026, 4, 1, 9, 0, 0);

export interface StubChain {
  readonly net: NetworkWithGenesis;
  readonly blocks: Block[];
  readonly codes: string[][];
  readonly commitHashes: Hex[];
}

/** The dev network (seeded) and `count` blocks after genesis, each with `perBlock` parking transactions. */
export function stubChain(count: number, perBlock = 2): StubChain {
  const net = createNetwork(devNetworkSpec('civic'), {
    timeMs: STUB_T0_MS,
    keys: seededKeySource('civic-cli-inspection'),
    genesisNonce: '44'.repeat(32),
  });
  const client = net.network.identities.get('utrecht-parking')!;
  const orderer = net.network.identities.get('orderer2')!;
  const blocks: Block[] = [net.genesis];
  for (let n = 1; n <= count; n++) {
    const envelopes = Array.from({ length: perBlock }, (_, i) =>
      createEnvelope(
        createPayload({
          channel: 'civic',
          namespace: 'parking',
          action: 'check.record',
          txTime: STUB_T0_MS + n * 1000,
          nonce: (n * 100 + i + 1).toString(16).padStart(32, '0'),
          creator: { mspId: client.mspId, cert: client.cert },
          reads: [],
          writes: [{ key: `check/${n}/${i}`, value: { n, i } }],
          event: { type: 'check.recorded', data: { n } },
        }),
        client.key,
      ),
    );
    const block = buildBlock({
      channel: 'civic',
      number: n,
      previousHash: blockHashOf(blocks[n - 1]!.header),
      envelopes,
      time: STUB_T0_MS + n * 1000 + 500,
      raft: { term: 2, index: n + 5 },
      configNumber: 0,
    });
    blocks.push(
      signBlock(block, { nodeId: 'orderer2', mspId: orderer.mspId, cert: orderer.cert, key: orderer.key }),
    );
  }
  const codes = blocks.map((b) => b.envelopes.map((_, i) => (i === 1 ? 'MVCC_READ_CONFLICT' : 'VALID')));
  const chain = new CommitHashChain();
  const commitHashes = blocks.map((b, n) =>
    chain.add(
      n,
      blockHashOf(b.header),
      codesByTxId(
        b.envelopes.map((e) => txIdOf(e.payload)),
        codes[n]!,
      ),
    ),
  );
  return { net, blocks, codes, commitHashes };
}

export interface StubPeer {
  readonly url: string;
  readonly chain: StubChain;
  /** What /blocks/:n serves instead of the chain's block (tampering). */
  readonly override: Map<number, { block?: unknown; commitHash?: Hex }>;
  /** The subject of the reader of every request it answered, in order. */
  readonly readers: string[];
  close(): Promise<void>;
}

export async function startStubPeer(chain: StubChain, peerId = 'utrecht-peer'): Promise<StubPeer> {
  const signer = chain.net.network.identities.get(peerId)!;
  const override = new Map<number, { block?: unknown; commitHash?: Hex }>();
  const readers: string[] = [];
  const height = chain.blocks.length - 1;
  const locate = (txId: string): { n: number; i: number } | null => {
    for (let n = 0; n <= height; n++) {
      const i = chain.blocks[n]!.envelopes.findIndex((e) => txIdOf(e.payload) === txId);
      if (i >= 0) return { n, i };
    }
    return null;
  };
  const checkpoint = () => ({
    ...signCheckpoint(
      {
        channel: 'civic',
        peerId,
        height,
        blockHash: blockHashOf(chain.blocks[height]!.header),
        commitHash: chain.commitHashes[height]!,
      },
      signer.key,
    ),
    mspId: signer.mspId,
    cert: signer.cert,
  });
  const routes: [RegExp, (m: RegExpExecArray) => unknown][] = [
    [/^\/healthz$/, () => ({ status: 'alive', phase: 'live', height })],
    [/^\/readyz$/, () => ({ ready: true, phase: 'live', height, reasons: [] })],
    [
      /^\/height$/,
      () => ({
        height,
        blockHash: blockHashOf(chain.blocks[height]!.header),
        commitHash: chain.commitHashes[height],
      }),
    ],
    [/^\/checkpoint$/, () => checkpoint()],
    [
      /^\/blocks\/(\d+)$/,
      (m) => {
        const n = Number(m[1]);
        const block = chain.blocks[n];
        if (!block) return null;
        const o = override.get(n) ?? {};
        return {
          found: true,
          number: n,
          hash: blockHashOf(block.header),
          block: o.block ?? block,
          codes: chain.codes[n],
          commitHash: o.commitHash ?? chain.commitHashes[n],
        };
      },
    ],
    [
      /^\/tx\/([0-9a-f]{64})\/proof$/,
      (m) => {
        const at = locate(m[1]!);
        if (!at) return null;
        const block = chain.blocks[at.n]!;
        const p = buildTxProof(block, at.i);
        return {
          found: true,
          txId: p.txId,
          block: at.n,
          txIndex: at.i,
          code: chain.codes[at.n]![at.i],
          header: block.header,
          blockHash: p.blockHash,
          envelope: block.envelopes[at.i],
          proof: { leafIndex: at.i, treeSize: p.treeSize, path: p.auditPath },
        };
      },
    ],
    [
      /^\/tx\/([0-9a-f]{64})$/,
      (m) => {
        const at = locate(m[1]!);
        if (!at) return null;
        const block = chain.blocks[at.n]!;
        const code = chain.codes[at.n]![at.i]!;
        return {
          found: true,
          txId: m[1],
          block: at.n,
          txIndex: at.i,
          blockHash: blockHashOf(block.header),
          code,
          reason: code === 'VALID' ? null : 'read grant/1 at 3:0, now at 4:0',
          envelope: block.envelopes[at.i],
        };
      },
    ],
  ];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    if (path !== '/healthz' && path !== '/readyz') {
      const check = authenticateReader(req.headers.authorization, {
        config: chain.net.network.config,
        audience: PEER_TOKEN_AUDIENCE,
        nowMs: Date.now(),
      });
      if (!check.ok) {
        res.writeHead(check.refusal === ReaderRefusal.FORBIDDEN ? 403 : 401, {
          'content-type': 'application/json',
        });
        res.end(JSON.stringify({ error: { code: check.refusal, reason: check.reason } }));
        return;
      }
      readers.push(check.caller.subject);
    }
    for (const [pattern, handle] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      const body = handle(match);
      res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
      res.end(
        body === null ? JSON.stringify({ found: false, reason: `nothing at ${path}` }) : canonicalize(body),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ found: false, reason: `no route ${path}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    chain,
    override,
    readers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Writes the chain's network into a temp folder: utrecht-peer (listed first) at `peerPort`,
 * the other nodes at `closedPorts` (free ports nothing listens on: they show as down, even
 * when a development network runs on the default ports of this machine).
 */
export function writeStubNetwork(
  chain: StubChain,
  peerPort: number,
  closedPorts: readonly number[],
): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'civic-stub-net-'));
  writeNetwork(dir, chain.net.network, {
    genesisBytes: chain.net.genesisBytes,
    createdAt: new Date(STUB_T0_MS).toISOString(),
  });
  const manifestPath = join(dir, 'network.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  type Node = { peerId?: string; httpPort: number };
  let closed = 0;
  const elsewhere = (n: Node): Node => ({
    ...n,
    httpPort: closedPorts[closed++ % closedPorts.length] as number,
  });
  const first = (p: Node) => Number(p.peerId === 'utrecht-peer');
  manifest.orderers = (manifest.orderers as Node[]).map(elsewhere);
  manifest.peers = (manifest.peers as Node[])
    .map((p) => (p.peerId === 'utrecht-peer' ? { ...p, httpPort: peerPort } : elsewhere(p)))
    .sort((a, b) => first(b) - first(a));
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

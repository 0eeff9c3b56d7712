import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveJson, type Subscriber } from '@civic/messaging';
import { canonicalize, keyPairFromSeed, sha256, utf8Bytes } from '@civic/protocol';
import { createTestChannel, freePort, type TestChannel } from '@civic/testkit';
import {
  buildTxProof,
  CheckpointMismatchError,
  ClientArgumentError,
  checkPeerAgainstCheckpoint,
  natsPeerClient,
  PeerClient,
  PeerNotFoundError,
  PeerRequestError,
  PeerResponseError,
  PeerUnavailableError,
  signCheckpoint,
  verifyTxProof,
  type PeerQuery,
} from '../src/index.js';
import { ChainBuilder } from './support/chain.js';

/** Answers as services/peer does (libs/ledger LedgerQueries shapes), from a test chain. */
function peerAnswer(chain: ChainBuilder, query: PeerQuery): { status: number; body: unknown } {
  const key = keyPairFromSeed(sha256(utf8Bytes('peer-client-test')));
  const tip = chain.blocks.length - 1;
  switch (query.query) {
    case 'height':
      return { status: 200, body: { height: tip, blockHash: 'ab'.repeat(32), commitHash: 'cd'.repeat(32) } };
    case 'block': {
      if (!('number' in query))
        return { status: 400, body: { error: { code: 'BAD_REQUEST', reason: 'number expected' } } };
      const block = chain.blocks[query.number];
      if (!block) return { status: 404, body: { found: false, reason: `no block ${query.number}` } };
      const hash = chain.blocks[query.number + 1]?.header.previousHash ?? 'ee'.repeat(32);
      return {
        status: 200,
        body: {
          found: true,
          number: query.number,
          hash,
          block,
          codes: block.envelopes.map(() => 'VALID'),
          commitHash: '77'.repeat(32),
        },
      };
    }
    case 'proof': {
      const block = chain.blocks[1]!;
      const p = buildTxProof(block, 0);
      if (query.txId !== p.txId)
        return { status: 404, body: { found: false, reason: `no transaction ${query.txId}` } };
      return {
        status: 200,
        body: {
          found: true,
          txId: p.txId,
          block: 1,
          txIndex: 0,
          code: 'VALID',
          header: block.header,
          blockHash: p.blockHash,
          envelope: block.envelopes[0],
          proof: { leafIndex: 0, treeSize: 1, path: [] },
        },
      };
    }
    case 'checkpoint':
      return {
        status: 200,
        body: signCheckpoint(
          {
            channel: chain.channel,
            peerId: 'p1',
            height: 1,
            blockHash: 'ab'.repeat(32),
            commitHash: 'cd'.repeat(32),
          },
          key,
        ),
      };
    default:
      return { status: 500, body: { message: 'not in this stub' } };
  }
}

describe('PeerClient over REST', () => {
  let server: Server;
  let url: string;
  const chain = new ChainBuilder('tpeer');
  chain.txBlock(1);
  chain.txBlock(2);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const parts = path.split('/').filter(Boolean);
      let query: PeerQuery | null = null;
      if (parts[0] === 'height') query = { query: 'height' };
      if (parts[0] === 'checkpoint') query = { query: 'checkpoint' };
      if (parts[0] === 'blocks')
        query = /^\d+$/.test(parts[1]!)
          ? { query: 'block', number: Number(parts[1]) }
          : { query: 'block', hash: parts[1]! };
      if (parts[0] === 'tx' && parts[2] === 'proof') query = { query: 'proof', txId: parts[1]! };
      if (parts[0] === 'garbage') {
        res.writeHead(200).end('<html>');
        return;
      }
      const { status, body } =
        query === null ? { status: 500, body: { message: 'boom' } } : peerAnswer(chain, query);
      res.writeHead(status, { 'content-type': 'application/json' }).end(canonicalize(body));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('reads blocks, proofs and checkpoints, and maps 404, 400, 500 and unreachable to typed errors', async () => {
    const peer = PeerClient.http(url);
    expect((await peer.height()).height).toBe(2);
    expect((await peer.block(1)).codes).toEqual(['VALID']);
    const proof = await peer.proof(buildTxProof(chain.blocks[1]!, 0).txId, { checkpoint: true });
    expect(proof.checkpoint?.peerId).toBe('p1');
    expect(verifyTxProof(proof)).toMatchObject({ ok: true, txIdBound: true });
    await expect(peer.block(9)).rejects.toThrow(PeerNotFoundError);
    await expect(peer.block(9)).rejects.toThrow(/not found: no block 9/);
    await expect(peer.block('zz')).rejects.toThrow(PeerRequestError);
    await expect(peer.block('zz')).rejects.toThrow(/refused with 400: number expected/);
    await expect(peer.proof('12'.repeat(32))).rejects.toThrow(PeerNotFoundError);
    await expect(peer.state('ns', 'k')).rejects.toThrow(PeerUnavailableError);
    await expect(PeerClient.http(`http://127.0.0.1:${await freePort()}`).height()).rejects.toThrow(
      PeerUnavailableError,
    );
    await expect(PeerClient.http(`${url}/garbage`).height()).rejects.toThrow(PeerResponseError);
    expect(() => PeerClient.http('ftp://x')).toThrow(/is not http/);
  });

  it('fetches a range of blocks in order and holds the peer to a kept checkpoint', async () => {
    const peer = PeerClient.http(url);
    const numbers: number[] = [];
    for await (const b of peer.blocks(0, 2, 2)) numbers.push(b.number);
    expect(numbers).toEqual([0, 1, 2]);
    const hash1 = chain.blocks[2]!.header.previousHash;
    await expect(
      checkPeerAgainstCheckpoint(peer, {
        channel: 'tpeer',
        peerId: 'p1',
        height: 1,
        blockHash: hash1,
        commitHash: '77'.repeat(32),
      }),
    ).resolves.toBeUndefined();
    await expect(
      checkPeerAgainstCheckpoint(peer, {
        channel: 'tpeer',
        peerId: 'p1',
        height: 1,
        blockHash: hash1,
        commitHash: '78'.repeat(32),
      }),
    ).rejects.toThrow(CheckpointMismatchError);
  });

  it('refuses an answer that is not the documented shape', async () => {
    const server2 = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"height":"x"}'),
    );
    await new Promise<void>((done) => server2.listen(0, '127.0.0.1', done));
    const address = server2.address();
    const peer = PeerClient.http(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    await expect(peer.height()).rejects.toThrow(PeerResponseError);
    await new Promise((done) => server2.close(done));
  });
});

describe('PeerClient over REST with a bearer token', () => {
  let server: Server;
  let url: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    // As services/peer answers: 401 without a valid token, 403 for a caller outside readers.
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      const refuse = (status: number, code: string, reason: string) =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code, reason } }));
      if (req.headers.authorization === 'Bearer reader.token.sig')
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ height: 3, blockHash: 'ab'.repeat(32), commitHash: 'cd'.repeat(32) }));
      else if (req.headers.authorization === 'Bearer outsider.token.sig')
        refuse(403, 'FORBIDDEN', 'readers policy ANY member not satisfied');
      else refuse(401, 'UNAUTHENTICATED', 'an Authorization: Bearer header is required');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('sends a token given as a string, or asks a provider before every request', async () => {
    expect((await PeerClient.http(url, { token: 'reader.token.sig' }).height()).height).toBe(3);
    let asked = 0;
    const provided = PeerClient.http(url, {
      token: async () => {
        asked++;
        return 'reader.token.sig';
      },
    });
    await provided.height();
    await provided.height();
    expect(asked).toBe(2);
    expect(seen.slice(-3)).toEqual([
      'Bearer reader.token.sig',
      'Bearer reader.token.sig',
      'Bearer reader.token.sig',
    ]);
  });

  it('maps 401 and 403 to PeerRequestError with the status and the peer’s reason', async () => {
    const anonymous = PeerClient.http(url).height();
    await expect(anonymous).rejects.toThrow(PeerRequestError);
    await expect(anonymous).rejects.toMatchObject({ status: 401 });
    await expect(anonymous).rejects.toThrow(/refused with 401: an Authorization: Bearer header is required/);
    expect(seen.at(-1)).toBeUndefined();
    const outsider = PeerClient.http(url, { token: 'outsider.token.sig' }).height();
    await expect(outsider).rejects.toMatchObject({ status: 403 });
    await expect(outsider).rejects.toThrow(/readers policy ANY member not satisfied/);
  });

  it('refuses a token that cannot be a bearer token, before sending anything', async () => {
    expect(() => PeerClient.http(url, { token: 'two words' })).toThrow(ClientArgumentError);
    expect(() => PeerClient.http(url, { token: 'line\r\nx-injected: 1' })).toThrow(/must be a bearer token/);
    const before = seen.length;
    await expect(PeerClient.http(url, { token: () => '' }).height()).rejects.toThrow(ClientArgumentError);
    expect(seen.length).toBe(before);
  });
});

describe('PeerClient over the NATS query subject', () => {
  let tc: TestChannel;
  let responder: Subscriber;
  const chain = new ChainBuilder('tpeernats');
  chain.txBlock(1);

  beforeAll(async () => {
    tc = await createTestChannel();
    responder = serveJson<PeerQuery, unknown>(tc.nc, tc.subjects.query('p1'), {}, async (request) => {
      if (request.data.query === 'height')
        throw Object.assign(new Error('store closed'), { code: 'UNAVAILABLE' });
      return peerAnswer(chain, request.data).body;
    });
  });
  afterAll(async () => {
    await responder?.stop();
    await tc?.cleanup();
  });

  it('asks `{query, …}` and maps {found: false}, {error} and responder failures to typed errors', async () => {
    const peer = natsPeerClient(tc.nc, tc.channel, 'p1');
    expect((await peer.block(1)).number).toBe(1);
    await expect(peer.block(5)).rejects.toThrow(PeerNotFoundError);
    await expect(peer.block('cafe')).rejects.toThrow(PeerRequestError);
    await expect(peer.height()).rejects.toThrow(/UNAVAILABLE: store closed/);
    await expect(natsPeerClient(tc.nc, tc.channel, 'nobody', { timeoutMs: 500 }).height()).rejects.toThrow(
      PeerUnavailableError,
    );
  });
});

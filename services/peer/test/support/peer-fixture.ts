import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishBlock } from '@civic/messaging';
import { serializeBlock, type Block, type Signer } from '@civic/protocol';
import {
  certificateToPem,
  mintToken,
  PEER_TOKEN_AUDIENCE,
  privateKeyToPem,
  tokenSource,
} from '@civic/identity';
import {
  createTestChannel,
  createTestDatabase,
  natsUrl,
  type TestChannel,
  type TestDatabase,
} from '@civic/testkit';
import { BlockFactory, createTestNetwork, freshPgliteDir, type TestNetwork } from '@civic/ledger/testing';
import { loadPeerConfig, type PeerConfig } from '../../src/index.js';

export type Engine = 'postgres' | 'pglite';
export const ENGINES: readonly Engine[] = ['postgres', 'pglite'];

/**
 * A channel of its own on the real NATS (streams created), a test network with its genesis
 * block, a block factory, and per peer a database of its own (PostgreSQL or PGlite) with the
 * peer's certificate, key and genesis file on disk.
 */
export class PeerFixture {
  readonly factory: BlockFactory;
  readonly #databases: TestDatabase[] = [];

  private constructor(
    readonly channel: TestChannel,
    readonly net: TestNetwork,
    readonly dir: string,
  ) {
    this.factory = new BlockFactory(net);
  }

  /** `purgeable`: streams that allow purging (to simulate blocks lost to a retention limit). */
  static async create(options: { purgeable?: boolean } = {}): Promise<PeerFixture> {
    const channel = await createTestChannel(
      options.purgeable ? { streams: { denyDeleteAndPurge: false } } : {},
    );
    const net = createTestNetwork({ channel: channel.channel });
    const dir = mkdtempSync(join(tmpdir(), 'civic-peer-'));
    const peer = net.signer('rvo-peer');
    writeFileSync(join(dir, 'peer-cert.pem'), certificateToPem(peer.cert));
    writeFileSync(join(dir, 'peer-key.pem'), privateKeyToPem(peer.key), { mode: 0o600 });
    writeFileSync(join(dir, 'genesis.block'), serializeBlock(net.genesis));
    return new PeerFixture(channel, net, dir);
  }

  /** The environment of a peer on `engine`, with a fresh database. */
  async env(
    peerId: string,
    engine: Engine,
    extra: Record<string, string> = {},
  ): Promise<Record<string, string>> {
    const database: Record<string, string> = {};
    if (engine === 'postgres') {
      const db = await createTestDatabase();
      this.#databases.push(db);
      database.DATABASE_URL = db.url;
    } else {
      database.DATA_DIR = await freshPgliteDir(this.dir);
    }
    return {
      CHANNEL: this.channel.channel,
      PEER_ID: peerId,
      PEER_CERT: join(this.dir, 'peer-cert.pem'),
      PEER_KEY: join(this.dir, 'peer-key.pem'),
      PEER_MSP_ID: 'RVO',
      GENESIS_FILE: join(this.dir, 'genesis.block'),
      NATS_URL: natsUrl(),
      HTTP_PORT: '0',
      VERIFY_WORKERS: '1',
      LOG_LEVEL: 'warn',
      ...database,
      ...extra,
    };
  }

  async config(peerId: string, engine: Engine, extra: Record<string, string> = {}): Promise<PeerConfig> {
    return loadPeerConfig(await this.env(peerId, engine, extra));
  }

  /** A bearer token for the peer's REST API (audience `peer`), minted now by `identity` of the test network. */
  token(identity: Pick<Signer, 'cert' | 'key'> | string = 'rvo-client', ttlMs = 10 * 60_000): string {
    const { cert, key } = typeof identity === 'string' ? this.net.signer(identity) : identity;
    return mintToken({ cert, key, audience: PEER_TOKEN_AUDIENCE, ttlMs, nowMs: Date.now() });
  }

  /** Publishes blocks on the channel's block stream, as the orderer would. */
  async publish(blocks: readonly Block[]): Promise<void> {
    for (const block of blocks) await publishBlock(this.channel.js, this.channel.channel, block);
  }

  async cleanup(): Promise<void> {
    await this.channel.cleanup();
    for (const db of this.#databases) await db.drop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls until `check` holds (bounded: `timeoutMs`), for asynchronous outcomes in tests. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The RVO client of the test network (every fixture's: same seed, same certificates). */
const READER = createTestNetwork({ channel: 'readers' }).signer('rvo-client');

/** A reader's token (RVO client, audience `peer`), re-minted when half its lifetime is gone. */
export const defaultReaderToken = tokenSource({
  cert: READER.cert,
  key: READER.key,
  audience: PEER_TOKEN_AUDIENCE,
  ttlMs: 10 * 60_000,
});

/**
 * GET as a reader of the channel: `token` defaults to {@link defaultReaderToken}; null sends
 * no Authorization header. `headers` of the answer kept for WWW-Authenticate.
 */
export async function getJson(
  url: string,
  token: string | null = defaultReaderToken(),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are checked field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

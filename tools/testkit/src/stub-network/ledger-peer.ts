/**
 * A stand-in for the peer service in tests of what sits above it: libs/ledger's commit pipeline over a
 * PostgreSQL database of its own (or PGlite), fed from the blocks stream; it publishes a commit
 * receipt per block and answers the gateway's queries (state, height, history, tx) on
 * `civic.<channel>.query.<peerId>` with libs/ledger's LedgerQueries, in the shape NatsPeerClient sends.
 */
import { Ledger, LedgerQueries, openLedgerStore, type LedgerStore } from '@civic/ledger';
import {
  publishCommit,
  serveJson,
  streamNames,
  subjects,
  tailStream,
  type StreamTail,
  type Subscriber,
} from '@civic/messaging';
import { blockHashOf, type Block, type Signer } from '@civic/protocol';
import type { JetStreamClient } from '@nats-io/jetstream';
import { createTestDatabase, type TestDatabase } from '../postgres.js';
import type { NatsConnection } from '@nats-io/nats-core';

export interface LedgerPeerOptions {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly channel: string;
  readonly peerId: string;
  readonly genesis: Block;
  /** The peer's identity (signs checkpoints). */
  readonly signer: Signer;
  /**
   * Where the peer keeps its chain: a PostgreSQL database of its own, created now and dropped by
   * stop() (default: about 0.5 s to start); an existing database; or in-memory PGlite (about 15 s
   * to start on this machine's two cores).
   */
  readonly database?: 'postgres' | 'pglite' | { readonly url: string };
  /** Extra delay before each block is committed (a peer that lags behind). */
  readonly commitDelayMs?: () => number;
}

type Query = {
  query?: unknown;
  namespace?: unknown;
  key?: unknown;
  limit?: unknown;
  before?: unknown;
  txId?: unknown;
};

export class LedgerPeer {
  #tail: StreamTail<unknown> | null = null;
  #server: Subscriber | null = null;
  #loop: Promise<void> = Promise.resolve();

  private constructor(
    readonly options: LedgerPeerOptions,
    readonly ledger: Ledger,
    readonly store: LedgerStore,
    readonly queries: LedgerQueries,
    private readonly ownDatabase: TestDatabase | null,
  ) {}

  static async start(options: LedgerPeerOptions): Promise<LedgerPeer> {
    const database = options.database ?? 'postgres';
    const own = database === 'postgres' ? await createTestDatabase('civic_peer') : null;
    const databaseUrl = own?.url ?? (typeof database === 'object' ? database.url : undefined);
    const store = await openLedgerStore({
      channel: options.channel,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    const ledger = await Ledger.open({
      store,
      channel: options.channel,
      genesisHash: blockHashOf(options.genesis.header),
    });
    const queries = new LedgerQueries(store, {
      channel: options.channel,
      peerId: options.peerId,
      signer: options.signer,
    });
    const peer = new LedgerPeer(options, ledger, store, queries, own);
    peer.#server = serveJson<Query, unknown>(
      options.nc,
      subjects(options.channel).query(options.peerId),
      { concurrencyMax: 16 },
      (msg) => peer.#answer(msg.data),
    );
    peer.#tail = await tailStream(options.js, streamNames(options.channel).blocks, {
      startSeq: ledger.height + 2,
    });
    peer.#loop = peer.#consume();
    return peer;
  }

  get height(): number {
    return this.ledger.height;
  }

  async #consume(): Promise<void> {
    for await (const msg of this.#tail!) {
      const delay = this.options.commitDelayMs?.() ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const [outcome] = await this.ledger.append([msg.data]);
      await publishCommit(this.options.js, this.options.channel, this.options.peerId, outcome!.receipt);
    }
  }

  /** The ledger's own query code; a miss throws NotFoundError (the requester sees its code). */
  async #answer(q: Query): Promise<unknown> {
    switch (q.query) {
      case 'state':
        return this.queries.state(q.namespace, q.key);
      case 'height':
        return this.queries.height();
      case 'history':
        return this.queries.history(q.namespace, q.key, q.limit, q.before);
      case 'tx':
        return this.queries.tx(q.txId);
      default:
        throw new Error(`unknown query ${String(q.query)}`);
    }
  }

  async stop(): Promise<void> {
    await this.#server?.stop();
    await this.#tail?.stop();
    await this.#loop.catch(() => undefined);
    await this.store.close();
    await this.ownDatabase?.drop();
  }
}

/**
 * A stand-in for the peer service in tests of what sits above it: libs/ledger's commit pipeline over an
 * in-memory PGlite store (or PostgreSQL), fed from the blocks stream; it publishes a commit
 * receipt per block and answers the gateway's queries (state, height, history, tx) on
 * `civic.<channel>.query.<peerId>` in the shape NatsPeerClient sends.
 */
import { Ledger, openLedgerStore, type LedgerStore } from '@civic/ledger';
import {
  publishCommit,
  serveJson,
  streamNames,
  subjects,
  tailStream,
  type StreamTail,
  type Subscriber,
} from '@civic/messaging';
import { blockHashOf, type Block } from '@civic/protocol';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

export interface LedgerPeerOptions {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly channel: string;
  readonly peerId: string;
  readonly genesis: Block;
  readonly databaseUrl?: string;
  /** Extra delay before each block is committed (a peer that lags behind). */
  readonly commitDelayMs?: () => number;
}

type Query = {
  query: string;
  namespace?: string;
  key?: string;
  limit?: number;
  before?: { block: number; txIndex: number };
  txId?: string;
};

export class LedgerPeer {
  #tail: StreamTail<unknown> | null = null;
  #server: Subscriber | null = null;
  #loop: Promise<void> = Promise.resolve();

  private constructor(
    readonly options: LedgerPeerOptions,
    readonly ledger: Ledger,
    readonly store: LedgerStore,
  ) {}

  static async start(options: LedgerPeerOptions): Promise<LedgerPeer> {
    const store = await openLedgerStore({
      channel: options.channel,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    });
    const ledger = await Ledger.open({
      store,
      channel: options.channel,
      genesisHash: blockHashOf(options.genesis.header),
    });
    const peer = new LedgerPeer(options, ledger, store);
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

  async #answer(q: Query): Promise<unknown> {
    switch (q.query) {
      case 'state': {
        const entry = await this.store.getState({ namespace: q.namespace!, key: q.key! });
        return entry === null
          ? { found: false }
          : { found: true, value: JSON.parse(entry.value), version: entry.version };
      }
      case 'height':
        return { height: this.ledger.height };
      case 'history': {
        const before =
          q.before === undefined ? undefined : { block: q.before.block, index: q.before.txIndex };
        const page = await this.store.getHistory(
          { namespace: q.namespace!, key: q.key! },
          q.limit ?? 100,
          before,
        );
        return {
          ...(page.next === undefined ? {} : { next: { block: page.next.block, txIndex: page.next.index } }),
          entries: page.entries.map((e) => ({
            block: e.block,
            txIndex: e.index,
            txId: e.txId,
            creatorMspId: e.creatorMsp,
            creatorSubject: e.creatorSubject,
            blockTime: e.blockTime,
            txTime: e.txTime,
            value: e.value === null ? null : JSON.parse(e.value),
            deleted: e.value === null,
          })),
        };
      }
      case 'tx': {
        const found = await this.store.getTx(q.txId!);
        return found === null
          ? { found: false }
          : { found: true, block: found.block, txIndex: found.tx.index, code: found.tx.code };
      }
      default:
        throw new Error(`unknown query ${q.query}`);
    }
  }

  async stop(): Promise<void> {
    await this.#server?.stop();
    await this.#tail?.stop();
    await this.#loop.catch(() => undefined);
    await this.store.close();
  }
}

/**
 * PeerClient over NATS request/reply on `civic.<channel>.query.<peerId>` (docs/peer.md). Each
 * query is one request with its own timeout; a failure is a PeerQueryError naming the query.
 */
import { RemoteHandlerError, requestJson, subjects, type ChannelSubjects } from '@civic/messaging';
import type { NatsConnection } from '@nats-io/nats-core';
import { PeerQueryError } from './errors.js';
import type { HeightReply, HistoryCursor, HistoryReply, StateReply, TxReply } from '@civic/protocol';
import type { KeyHistoryPage, PeerClient, TxStatus } from './peer.js';
import type { VersionedValue } from './recording-context.js';

export interface NatsPeerClientOptions {
  readonly nc: NatsConnection;
  readonly channel: string;
  readonly peerId: string;
  /**
   * Patience per query. A point read on a local peer takes about a millisecond; the bound only
   * matters when the peer is down or overloaded, and a decision makes a few dozen reads.
   */
  readonly queryTimeoutMs?: number;
}

export const PEER_QUERY_TIMEOUT_MS = 5_000;

/** Error codes a peer answers a miss with (its NotFoundError), besides a `found: false` reply. */
const NOT_FOUND_CODES: readonly string[] = ['NotFoundError', 'NOT_FOUND'];

/** A miss: the peer's `{found: false, reason}` (docs/peer.md), or its not-found error. */
interface Miss {
  readonly found: false;
}

export class NatsPeerClient implements PeerClient {
  readonly peerId: string;
  readonly #nc: NatsConnection;
  readonly #subject: string;
  readonly #timeoutMs: number;

  constructor(options: NatsPeerClientOptions) {
    this.peerId = options.peerId;
    this.#nc = options.nc;
    const s: ChannelSubjects = subjects(options.channel);
    this.#subject = s.query(options.peerId);
    this.#timeoutMs = options.queryTimeoutMs ?? PEER_QUERY_TIMEOUT_MS;
  }

  async getState(namespace: string, key: string): Promise<VersionedValue | null> {
    const reply = await this.#ask<StateReply | Miss>('state', { namespace, key });
    if (!reply.found) return null;
    if (typeof reply.version !== 'string') {
      throw new PeerQueryError(this.peerId, 'state', `reply for ${namespace}/${key} has no version`);
    }
    return { value: reply.value, version: reply.version };
  }

  async height(): Promise<number> {
    const reply = await this.#ask<HeightReply>('height', {});
    if (!Number.isSafeInteger(reply.height))
      throw new PeerQueryError(this.peerId, 'height', 'no height in reply');
    return reply.height;
  }

  async history(
    namespace: string,
    key: string,
    options: { limit: number; before?: HistoryCursor },
  ): Promise<KeyHistoryPage> {
    const reply = await this.#ask<HistoryReply>('history', { namespace, key, ...options });
    if (!Array.isArray(reply.entries))
      throw new PeerQueryError(this.peerId, 'history', 'no entries in reply');
    return reply.next === undefined
      ? { entries: reply.entries }
      : { entries: reply.entries, next: reply.next };
  }

  async tx(txId: string): Promise<TxStatus | null> {
    const reply = await this.#ask<TxReply | Miss>('tx', { txId });
    if (!reply.found) return null;
    return { txId, block: reply.block, txIndex: reply.txIndex, code: reply.code };
  }

  /** One query; a miss (a `found: false` reply or the peer's not-found error) is `{ found: false }`. */
  async #ask<T>(query: string, body: Record<string, unknown>): Promise<T> {
    let reply: T;
    try {
      reply = await requestJson<T>(
        this.#nc,
        this.#subject,
        { query, ...body },
        { timeoutMs: this.#timeoutMs },
      );
    } catch (cause) {
      if (cause instanceof RemoteHandlerError && NOT_FOUND_CODES.includes(cause.code)) {
        return { found: false } satisfies Miss as T;
      }
      throw new PeerQueryError(this.peerId, query, (cause as Error).message, { cause });
    }
    // A refused query is answered `{ error: { code, reason } }` (docs/peer.md).
    const error = (reply as { error?: { code?: unknown; reason?: unknown } } | null)?.error;
    if (error !== undefined) {
      throw new PeerQueryError(this.peerId, query, `${String(error?.code)}: ${String(error?.reason)}`);
    }
    if (reply === null || typeof reply !== 'object')
      throw new PeerQueryError(this.peerId, query, 'reply is not an object');
    return reply;
  }
}

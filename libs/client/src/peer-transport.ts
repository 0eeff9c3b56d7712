/**
 * How PeerClient reaches a peer: one query in, one JSON answer out. The REST transport
 * (peer-http.ts) and the NATS transport (peer-nats.ts) only change the framing, as the peer's
 * own API does (libs/ledger LedgerQueries behind both).
 */

/** One query of the peer's read API. */
export type PeerQuery =
  | { readonly query: 'height' }
  | { readonly query: 'state'; readonly namespace: string; readonly key: string }
  | {
      readonly query: 'history';
      readonly namespace: string;
      readonly key: string;
      readonly limit?: number;
      readonly before?: { readonly block: number; readonly txIndex: number };
    }
  | { readonly query: 'block'; readonly number: number }
  | { readonly query: 'block'; readonly hash: string }
  | { readonly query: 'tx'; readonly txId: string }
  | { readonly query: 'proof'; readonly txId: string }
  | { readonly query: 'checkpoint' };

export interface PeerTransport {
  /** Where it points, for messages: a URL or a subject. */
  readonly target: string;
  /**
   * The answer's JSON, or a typed error: PeerNotFoundError, PeerRequestError (a 4xx, a refused
   * query), PeerUnavailableError (5xx, unreachable, timeout), PeerResponseError (not JSON).
   */
  ask(query: PeerQuery): Promise<unknown>;
}

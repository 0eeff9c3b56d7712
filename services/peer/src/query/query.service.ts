import { Inject, Injectable } from '@nestjs/common';
import { BadQueryError, LedgerQueries, NotFoundError } from '@civic/ledger';
import type { PeerConfig } from '../config/peer-config.js';
import type { PeerIdentity } from '../identity/peer-identity.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { PEER_CONFIG, PEER_IDENTITY, PEER_METRICS } from '../tokens.js';

export const QueryType = {
  HEIGHT: 'height',
  STATE: 'state',
  HISTORY: 'history',
  BLOCK: 'block',
  TX: 'tx',
  PROOF: 'proof',
  CHECKPOINT: 'checkpoint',
} as const;
export type QueryType = (typeof QueryType)[keyof typeof QueryType];

const TYPES = new Set<string>(Object.values(QueryType));

/** How a query ended, for the transports: an answer, a miss (404) or a bad request (400). */
export type QueryOutcome =
  | { readonly kind: 'ok'; readonly body: unknown }
  | { readonly kind: 'not-found'; readonly body: { readonly found: false; readonly reason: string } }
  | {
      readonly kind: 'bad-request';
      readonly body: { readonly error: { readonly code: 'BAD_REQUEST'; readonly reason: string } };
    };

/**
 * The queries of docs/peer.md, one entry point for NATS and REST: `{type, ...arguments}`
 * (`query` is accepted for `type`, as the gateway sends it). Never throws for bad input.
 */
@Injectable()
export class QueryService {
  #queries: LedgerQueries | undefined;

  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_IDENTITY) private readonly identity: PeerIdentity,
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    private readonly ledgerService: LedgerService,
  ) {}

  /** Built on first use: the store opens after the providers are constructed. */
  get #ledgerQueries(): LedgerQueries {
    this.#queries ??= new LedgerQueries(this.ledgerService.store, {
      channel: this.config.channel,
      peerId: this.config.peerId,
      signer: this.identity.signer,
    });
    return this.#queries;
  }

  async run(request: unknown): Promise<QueryOutcome> {
    const type = queryType(request);
    return this.#measured(type ?? 'invalid', () => this.#dispatch(type, request as Record<string, unknown>));
  }

  /**
   * A block's wire bytes (REST `GET /blocks/{id}/wire`): the body is the canonical JSON text
   * itself, not a JSON answer wrapping it, so a verifier hashes exactly what the stream carries.
   */
  async blockWire(id: unknown): Promise<QueryOutcome> {
    return this.#measured('block-wire', async () => {
      try {
        return ok((await this.#ledgerQueries.blockWire(id)).wire);
      } catch (error) {
        return failure(error);
      }
    });
  }

  /** Runs one query and counts it, with its outcome and duration, under `label`. */
  async #measured(label: string, query: () => Promise<QueryOutcome>): Promise<QueryOutcome> {
    const started = performance.now();
    const outcome = await query();
    this.metrics.queries.inc({ type: label, outcome: outcome.kind });
    this.metrics.querySeconds.observe({ type: label }, (performance.now() - started) / 1000);
    return outcome;
  }

  async #dispatch(type: QueryType | undefined, args: Record<string, unknown>): Promise<QueryOutcome> {
    try {
      switch (type) {
        case QueryType.HEIGHT:
          return ok(await this.#ledgerQueries.height());
        case QueryType.STATE:
          return ok(await this.#ledgerQueries.state(args.namespace, args.key));
        case QueryType.HISTORY:
          return ok(await this.#ledgerQueries.history(args.namespace, args.key, args.limit, args.before));
        case QueryType.BLOCK:
          return ok(await this.#ledgerQueries.block(args.number ?? args.hash));
        case QueryType.TX:
          return ok(await this.#ledgerQueries.tx(args.txId));
        case QueryType.PROOF:
          return ok(await this.#ledgerQueries.proof(args.txId));
        case QueryType.CHECKPOINT:
          return ok(await this.#ledgerQueries.checkpoint());
        default:
          return badRequest(`type must be one of ${[...TYPES].join(', ')}`);
      }
    } catch (error) {
      return failure(error);
    }
  }
}

/** A bad query is a 400, a miss a 404; anything else is the peer's own fault and propagates. */
function failure(error: unknown): QueryOutcome {
  if (error instanceof BadQueryError) return badRequest(error.message);
  if (error instanceof NotFoundError)
    return { kind: 'not-found', body: { found: false, reason: error.message } };
  throw error;
}

function queryType(request: unknown): QueryType | undefined {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return undefined;
  const { type, query } = request as { type?: unknown; query?: unknown };
  const name = type ?? query;
  return typeof name === 'string' && TYPES.has(name) ? (name as QueryType) : undefined;
}

function ok(body: unknown): QueryOutcome {
  return { kind: 'ok', body };
}

function badRequest(reason: string): QueryOutcome {
  return { kind: 'bad-request', body: { error: { code: 'BAD_REQUEST', reason } } };
}

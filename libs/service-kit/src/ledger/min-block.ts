/**
 * The `minBlock` consistency token (docs/service-kit.md, "Read your writes"). Each instance reads
 * its own organisation's peer, which may be a block or two behind the peer that answered another
 * organisation's write. A caller that holds a write's `tx.block` sends it as `?minBlock=N` (or the
 * header `Civic-Min-Block: N`); the request then waits until this instance's peer has committed
 * block N, at most `MIN_BLOCK_WAIT_MS`, and answers 503 PEER_BEHIND (`Retry-After: 1`) when the
 * peer is still behind. The wait is the gateway's, the one its endorsers use for `minHeight`
 * (CommitWatcher.waitForHeight: commit receipts, and the peer asked every `commitPollMs`).
 */
import { Inject, Injectable } from '@nestjs/common';
import { PeerBehindError, type Gateway } from '@civic/gateway';
import type { ServiceEnv } from '../config/service-env.js';
import { ApiError } from '../http/api-error.js';
import { GATEWAY, SERVICE_CONFIG } from '../tokens.js';

/** The query parameter. */
export const MIN_BLOCK_PARAM = 'minBlock';
/** The request header (fastify hands headers over in lower case). */
export const MIN_BLOCK_HEADER = 'Civic-Min-Block';

const DECIMAL = /^[0-9]{1,16}$/;

function invalid(message: string): ApiError {
  return new ApiError(400, { code: 'INVALID_INPUT', field: MIN_BLOCK_PARAM, message });
}

function parseOne(raw: unknown, where: string): number | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string') throw invalid(`${where} must be given once, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (!DECIMAL.test(raw) || !Number.isSafeInteger(value)) {
    throw invalid(
      `${where} must be a block number (a non-negative decimal integer), got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * The block a request asks for, or null when it asks for none. Both places are checked (a
 * malformed value is 400 wherever it is); when both are given the query's value is used, so
 * one request can override a header a client sets on every call.
 */
export function requestedMinBlock(query: unknown, headers: Readonly<Record<string, unknown>>): number | null {
  const fromQuery = parseOne(
    (query as Record<string, unknown> | null | undefined)?.[MIN_BLOCK_PARAM],
    MIN_BLOCK_PARAM,
  );
  const fromHeader = parseOne(headers[MIN_BLOCK_HEADER.toLowerCase()], MIN_BLOCK_HEADER);
  return fromQuery ?? fromHeader;
}

@Injectable()
export class MinBlockService {
  constructor(
    @Inject(GATEWAY) private readonly gateway: Gateway | null,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceEnv,
  ) {}

  /**
   * Resolves with the peer's height once it is at least `block`; 503 PEER_BEHIND with the
   * figures after MIN_BLOCK_WAIT_MS; 503 LEDGER_UNAVAILABLE without a ledger or when the peer
   * does not answer (the kit's mapping of the gateway's errors).
   */
  async waitFor(block: number): Promise<number> {
    if (this.gateway === null) {
      throw new ApiError(503, {
        code: 'LEDGER_UNAVAILABLE',
        message: `no ledger: cannot wait for block ${block}`,
      });
    }
    const waitMs = this.config.minBlockWaitMs;
    try {
      return await this.gateway.watcher.waitForHeight(block, waitMs);
    } catch (error) {
      if (!(error instanceof PeerBehindError)) throw error;
      throw new ApiError(
        503,
        {
          code: 'PEER_BEHIND',
          message: `this instance's peer ${error.peerId} is at block ${error.height}, not yet ${block} (waited ${waitMs} ms); retry`,
          peerId: error.peerId,
          height: error.height,
          minBlock: block,
          waitedMs: waitMs,
        },
        { cause: error, headers: { 'Retry-After': '1' } },
      );
    }
  }
}

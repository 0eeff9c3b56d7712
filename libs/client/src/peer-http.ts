/**
 * The peer's REST API as a PeerTransport, over fetch (Node 18+ and browsers). Routes (see
 * docs/client.md, "Peer API"): GET /height, /state/:ns/:key, /history/:ns/:key?limit&beforeBlock
 * &beforeTx, /blocks/:numberOrHash, /tx/:txId, /tx/:txId/proof, /checkpoint.
 */
import {
  ClientArgumentError,
  PeerNotFoundError,
  PeerRequestError,
  PeerResponseError,
  PeerUnavailableError,
} from './errors.js';
import type { PeerQuery, PeerTransport } from './peer-transport.js';

export interface HttpPeerOptions {
  /** Per request (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  readonly fetch?: typeof fetch;
}

/** Longest error text kept from a peer's answer. */
const DETAIL_CHARS_MAX = 300;

function pathOf(q: PeerQuery): string {
  const e = encodeURIComponent;
  switch (q.query) {
    case 'height':
      return '/height';
    case 'state':
      return `/state/${e(q.namespace)}/${e(q.key)}`;
    case 'history': {
      const params = new URLSearchParams();
      if (q.limit !== undefined) params.set('limit', String(q.limit));
      if (q.before !== undefined) {
        params.set('beforeBlock', String(q.before.block));
        params.set('beforeTx', String(q.before.txIndex));
      }
      const search = params.toString();
      return `/history/${e(q.namespace)}/${e(q.key)}${search ? `?${search}` : ''}`;
    }
    case 'block':
      return `/blocks/${e(String('number' in q ? q.number : q.hash))}`;
    case 'tx':
      return `/tx/${e(q.txId)}`;
    case 'proof':
      return `/tx/${e(q.txId)}/proof`;
    case 'checkpoint':
      return '/checkpoint';
  }
}

function detailOf(text: string): string {
  try {
    const body = JSON.parse(text) as {
      message?: unknown;
      reason?: unknown;
      error?: { reason?: unknown } | unknown;
    };
    const nested =
      body.error !== null && typeof body.error === 'object'
        ? (body.error as { reason?: unknown }).reason
        : body.error;
    const message = body.reason ?? nested ?? body.message;
    if (message !== undefined)
      return String(Array.isArray(message) ? message.join('; ') : message).slice(0, DETAIL_CHARS_MAX);
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, DETAIL_CHARS_MAX) || '(no detail)';
}

export function httpPeerTransport(baseUrl: string, options: HttpPeerOptions = {}): PeerTransport {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch (cause) {
    throw new ClientArgumentError(`peer URL ${JSON.stringify(baseUrl)} is not a URL`, { cause });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ClientArgumentError(`peer URL ${baseUrl} is not http(s)`);
  }
  const root = base.href.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    target: root,
    async ask(query) {
      const url = `${root}${pathOf(query)}`;
      let response: Response;
      try {
        response = await doFetch(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json' },
        });
      } catch (cause) {
        throw new PeerUnavailableError(url, null, (cause as Error).message, { cause });
      }
      const text = await response.text().catch(() => '');
      if (response.status === 404) throw new PeerNotFoundError(url, detailOf(text));
      if (response.status >= 500) throw new PeerUnavailableError(url, response.status, detailOf(text));
      if (response.status >= 400) throw new PeerRequestError(url, response.status, detailOf(text));
      if (!response.ok) throw new PeerResponseError(url, `status ${response.status}`);
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new PeerResponseError(url, 'the answer is not JSON', { cause });
      }
    },
  };
}

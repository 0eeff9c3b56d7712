/**
 * The peer's REST API as a PeerTransport, over fetch (Node 18+ and browsers). Routes (see
 * docs/client.md, "PeerClient"): GET /height, /state/:ns/:key, /history/:ns/:key?limit
 * &beforeBlock&beforeTx, /blocks/:numberOrHash, /tx/:txId, /tx/:txId/proof, /checkpoint. A peer
 * answers them only to a reader of the channel: pass its bearer token (docs/peer.md, "REST
 * authentication"); a 401 or 403 is a PeerRequestError with that status and the peer's reason.
 */
import {
  ClientArgumentError,
  PeerNotFoundError,
  PeerRequestError,
  PeerResponseError,
  PeerUnavailableError,
} from './errors.js';
import type { PeerQuery, PeerTransport } from './peer-transport.js';

/**
 * A bearer token (audience `peer`, e.g. from `civic token --aud peer`), or a function asked for
 * one before every request: tokens live at most 15 minutes, so a long-running reader mints
 * them as it goes (and may cache one until shortly before it expires).
 */
export type PeerToken = string | (() => string | Promise<string>);

export interface HttpPeerOptions {
  /** Per request (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  readonly fetch?: typeof fetch;
  /** Sent as `Authorization: Bearer <token>`; without one, no Authorization header. */
  readonly token?: PeerToken;
}

/** RFC 6750 b64token: what may follow `Bearer ` (no spaces, no line breaks). */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function checkedToken(token: unknown, what: string): string {
  if (typeof token !== 'string' || !BEARER_TOKEN.test(token)) {
    throw new ClientArgumentError(
      `${what} must be a bearer token (base64url characters), got ${typeof token}`,
    );
  }
  return token;
}

/** The Authorization header value for a request (undefined without a token). */
async function authorizationOf(token: PeerToken | undefined): Promise<string | undefined> {
  if (token === undefined) return undefined;
  const value = typeof token === 'function' ? await token() : token;
  return `Bearer ${checkedToken(value, typeof token === 'function' ? 'the token provider’s answer' : 'token')}`;
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
  const { token } = options;
  if (typeof token === 'string') checkedToken(token, 'token');
  else if (token !== undefined && typeof token !== 'function') {
    throw new ClientArgumentError('token must be a string or a function returning one');
  }
  return {
    target: root,
    async ask(query) {
      const url = `${root}${pathOf(query)}`;
      const authorization = await authorizationOf(token);
      let response: Response;
      try {
        response = await doFetch(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json', ...(authorization === undefined ? {} : { authorization }) },
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

import { loadSigner, mintToken, type LoadedNetwork } from '@civic/identity';
import { txIdOf, type TxPayload } from '@civic/protocol';
import { readerTokens } from '../commands/client-support.js';
import { CliError } from '../output.js';

/** A JSON reply, read loosely through {@link pick}. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** A transaction a write produced, as the domain services answer it (`tx`). */
export interface TxRef {
  readonly txId: string;
  readonly block: number;
  readonly endorsedBy: readonly string[];
}

/** One block as a peer's query API serves it: its transactions and this peer's codes. */
export interface PeerBlock {
  readonly number: number;
  readonly txIds: readonly string[];
  readonly codes: readonly string[];
  readonly commitHash: string;
}

export interface PeerHeight {
  readonly height: number;
  readonly commitHash: string;
}

const REQUEST_TIMEOUT_MS = 60_000;
const TOKEN_TTL_MS = 5 * 60_000;
const HOST = 'http://127.0.0.1';

/** The value at a dotted path of a parsed JSON body, or undefined. */
export function pick(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The `tx` of a write's reply. */
export function txOf(reply: Reply): TxRef {
  const txId = pick(reply.body, 'tx.txId');
  const block = pick(reply.body, 'tx.block');
  if (typeof txId !== 'string' || typeof block !== 'number')
    throw new CliError(`the reply names no transaction: ${JSON.stringify(reply.body).slice(0, 300)}`);
  const endorsedBy = pick(reply.body, 'tx.endorsedBy');
  return { txId, block, endorsedBy: Array.isArray(endorsedBy) ? endorsedBy.map(String) : [] };
}

/**
 * The demo's view of the running mesh, all from `network.json`: each domain service's REST URL,
 * bearer tokens of the department users (minted like `civic token`), the peers' query API (read
 * with a token of a department user of each peer's organisation, as `civic tx` does).
 */
export class DemoClient {
  /** Per peer URL: its reader's tokens. */
  readonly #peerTokens = new Map<string, () => string>();

  constructor(readonly network: LoadedNetwork) {}

  serviceUrl(domain: string, mspId: string): string {
    const s = this.network.services.find((x) => x.domain === domain && x.mspId === mspId);
    if (s === undefined) throw new CliError(`network.json has no ${domain} service for ${mspId}`);
    return `${HOST}:${s.httpPort}`;
  }

  get peers(): readonly { readonly peerId: string; readonly url: string }[] {
    return this.network.peers.map((p) => ({ peerId: p.peerId, url: `${HOST}:${p.httpPort}` }));
  }

  /** Whether every instance of a domain answers `/readyz`. */
  async domainRuns(domain: string): Promise<boolean> {
    const instances = this.network.services.filter((s) => s.domain === domain);
    const ready = await Promise.all(
      instances.map((s) => this.#get(`${HOST}:${s.httpPort}/readyz`).then((r) => r.status === 200)),
    );
    return instances.length > 0 && ready.every(Boolean);
  }

  /** A call to a domain service as `user` (an identity of network.json). */
  async call(
    domain: string,
    mspId: string,
    user: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Reply> {
    const signer = loadSigner(this.network, user);
    const token = mintToken({
      cert: signer.cert,
      key: signer.key,
      audience: domain,
      ttlMs: TOKEN_TTL_MS,
      nowMs: Date.now(),
    });
    return this.#request(`${this.serviceUrl(domain, mspId)}${path}`, method, body, token);
  }

  async height(peerUrl: string): Promise<PeerHeight> {
    const reply = await this.#get(`${peerUrl}/height`, this.#readerToken(peerUrl));
    const height = pick(reply.body, 'height');
    if (reply.status !== 200 || typeof height !== 'number')
      throw new CliError(`${peerUrl}/height answered ${reply.status}`);
    return { height, commitHash: String(pick(reply.body, 'commitHash')) };
  }

  async block(peerUrl: string, number: number): Promise<PeerBlock | null> {
    const reply = await this.#get(`${peerUrl}/blocks/${number}`, this.#readerToken(peerUrl));
    if (reply.status === 404) return null;
    if (reply.status !== 200) throw new CliError(`${peerUrl}/blocks/${number} answered ${reply.status}`);
    const envelopes = pick(reply.body, 'block.envelopes');
    // The peers' blocks carry envelopes: txId = hex(SHA-256(JCS(payload))).
    const txIds: string[] = [];
    const codes = pick(reply.body, 'codes');
    if (Array.isArray(envelopes)) {
      for (const envelope of envelopes) txIds.push(txIdOf(pick(envelope, 'payload') as TxPayload));
    }
    return {
      number,
      txIds,
      codes: Array.isArray(codes) ? codes.map(String) : [],
      commitHash: String(pick(reply.body, 'commitHash')),
    };
  }

  /** Waits (bounded) until every peer holds block `number`. */
  async untilPeersHave(number: number, timeoutMs = 15_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (const peer of this.peers) {
      while ((await this.height(peer.url)).height < number) {
        if (performance.now() > deadline)
          throw new CliError(`${peer.peerId} did not reach block ${number} within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  #readerToken(peerUrl: string): string {
    let next = this.#peerTokens.get(peerUrl);
    if (next === undefined) {
      next = readerTokens(this.network, peerUrl);
      this.#peerTokens.set(peerUrl, next);
    }
    return next();
  }

  #get(url: string, token?: string): Promise<Reply> {
    return this.#request(url, 'GET', undefined, token).catch(() => ({ status: 0, body: null }));
  }

  async #request(url: string, method: string, body?: unknown, token?: string): Promise<Reply> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new CliError(
        `${method} ${url}: ${(error as Error).message}; is the mesh running (npm start)?`,
        undefined,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : (JSON.parse(text) as unknown);
    } catch {
      // Not JSON: kept as text.
    }
    return { status: response.status, body: parsed };
  }
}

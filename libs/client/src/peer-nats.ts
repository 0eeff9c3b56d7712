/**
 * The peer's query subject `civic.<channel>.query.<peerId>` as a PeerTransport. The request is
 * the query object (`{query: "tx", txId}`…; the peer also reads `type`), the reply the same
 * JSON as the REST API. A miss is the ordinary reply `{found: false, reason}` and a bad query
 * `{error: {code, reason}}` (the REST API's 404 and 400 bodies); a failing responder answers
 * with messaging's error headers (RemoteHandlerError). All become the client's typed errors.
 */
import {
  NoRespondersError,
  RemoteHandlerError,
  RequestTimeoutError,
  requestJson,
  subjects,
} from '@civic/messaging';
import type { NatsConnection } from '@nats-io/nats-core';
import { PeerNotFoundError, PeerRequestError, PeerUnavailableError } from './errors.js';
import { isObject } from './json-read.js';
import { PeerClient } from './peer-client.js';
import type { PeerTransport } from './peer-transport.js';

const NOT_FOUND = new Set(['NotFoundError', 'NOT_FOUND']);
const BAD_REQUEST = new Set(['BadQueryError', 'BAD_REQUEST', 'BAD_QUERY']);

function refusal(subject: string, reply: unknown): Error | null {
  if (!isObject(reply)) return null;
  if (reply.found === false) return new PeerNotFoundError(subject, String(reply.reason ?? 'not found'));
  const error = reply.error;
  if (isObject(error))
    return new PeerRequestError(subject, 400, `${String(error.code)}: ${String(error.reason)}`);
  return null;
}

function transportError(subject: string, error: unknown): Error {
  if (error instanceof RemoteHandlerError) {
    if (NOT_FOUND.has(error.code)) return new PeerNotFoundError(subject, error.remoteMessage);
    if (BAD_REQUEST.has(error.code))
      return new PeerRequestError(subject, 400, error.remoteMessage, { cause: error });
    return new PeerUnavailableError(subject, 500, `${error.code}: ${error.remoteMessage}`, { cause: error });
  }
  if (error instanceof NoRespondersError || error instanceof RequestTimeoutError) {
    return new PeerUnavailableError(subject, null, error.message, { cause: error });
  }
  return new PeerUnavailableError(subject, null, (error as Error).message, { cause: error });
}

export function natsPeerTransport(
  nc: NatsConnection,
  channel: string,
  peerId: string,
  options: { readonly timeoutMs?: number } = {},
): PeerTransport {
  const subject = subjects(channel).query(peerId);
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    target: subject,
    async ask(query) {
      let reply: unknown;
      try {
        reply = await requestJson<unknown>(nc, subject, query, { timeoutMs });
      } catch (error) {
        throw transportError(subject, error);
      }
      const refused = refusal(subject, reply);
      if (refused !== null) throw refused;
      return reply;
    },
  };
}

/** A PeerClient over the query subject of `peerId`. */
export function natsPeerClient(
  nc: NatsConnection,
  channel: string,
  peerId: string,
  options: { readonly timeoutMs?: number } = {},
): PeerClient {
  return new PeerClient(natsPeerTransport(nc, channel, peerId, options));
}

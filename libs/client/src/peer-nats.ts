/**
 * The peer's query subject `civic.<channel>.query.<peerId>` as a PeerTransport: the request is
 * the query object (`{query: "tx", txId}`…), the reply the same JSON as the REST API. A
 * responder failure comes back as messaging's RemoteHandlerError with the peer's error name as
 * code (NotFoundError, BadQueryError), mapped to the client's typed errors.
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
import type { PeerTransport } from './peer-transport.js';

const NOT_FOUND = new Set(['NotFoundError', 'NOT_FOUND']);
const BAD_REQUEST = new Set(['BadQueryError', 'BAD_REQUEST', 'BAD_QUERY']);

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
      try {
        return await requestJson<unknown>(nc, subject, query, { timeoutMs });
      } catch (error) {
        if (error instanceof RemoteHandlerError) {
          if (NOT_FOUND.has(error.code)) throw new PeerNotFoundError(subject, error.remoteMessage);
          if (BAD_REQUEST.has(error.code))
            throw new PeerRequestError(subject, 400, error.remoteMessage, { cause: error });
          throw new PeerUnavailableError(subject, 500, `${error.code}: ${error.remoteMessage}`, {
            cause: error,
          });
        }
        if (error instanceof NoRespondersError || error instanceof RequestTimeoutError) {
          throw new PeerUnavailableError(subject, null, error.message, { cause: error });
        }
        throw new PeerUnavailableError(subject, null, (error as Error).message, { cause: error });
      }
    },
  };
}

/**
 * A reader of the channel, as a peer's REST API admits one (docs/peer.md, "REST
 * authentication"): a bearer token that verifies for the peer's audience against the config in
 * force at the current time, of a caller the config's `readers` policy admits.
 */
import { checkReaders } from '../config/policies.js';
import { bearerTokenOf, verifyToken, type Caller, type VerifyTokenOptions } from './token.js';

export const ReaderRefusal = {
  /** No bearer token, or one that does not verify: HTTP 401. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid token of a caller outside the readers policy: HTTP 403. */
  FORBIDDEN: 'FORBIDDEN',
} as const;
export type ReaderRefusal = (typeof ReaderRefusal)[keyof typeof ReaderRefusal];

export type ReaderCheck =
  | { readonly ok: true; readonly caller: Caller }
  | {
      readonly ok: false;
      readonly refusal: ReaderRefusal;
      /** Whether a bearer token was presented (RFC 6750: a 401 then says `error="invalid_token"`). */
      readonly tokenGiven: boolean;
      /** Why, for the answer's body: the token's flaw, or the policy and what is missing. */
      readonly reason: string;
    };

/**
 * Checks the `Authorization` header of a request; never throws on bad input. `options.config`
 * is the config in force (its roots, revocations and `readers` policy); `options.audience` the
 * server's (PEER_TOKEN_AUDIENCE for a peer).
 */
export function authenticateReader(
  authorization: string | readonly string[] | undefined,
  options: VerifyTokenOptions,
): ReaderCheck {
  const token = bearerTokenOf(authorization);
  if (token === null) {
    return {
      ok: false,
      refusal: ReaderRefusal.UNAUTHENTICATED,
      tokenGiven: false,
      reason: 'an Authorization: Bearer header is required',
    };
  }
  const verified = verifyToken(token, options);
  if (!verified.ok) {
    return {
      ok: false,
      refusal: ReaderRefusal.UNAUTHENTICATED,
      tokenGiven: true,
      reason: `invalid token: ${verified.reason}`,
    };
  }
  const readers = checkReaders(options.config, verified.caller);
  if (!readers.ok) {
    return {
      ok: false,
      refusal: ReaderRefusal.FORBIDDEN,
      tokenGiven: true,
      reason: `${verified.caller.subject} may not read channel ${options.config.channel}: ${readers.reason}`,
    };
  }
  return { ok: true, caller: verified.caller };
}

/**
 * Who may read through the peer's REST API: a caller with a certificate-bound bearer token
 * (audience `peer`) whose identity satisfies the channel's `readers` policy, both checked against
 * the config in force at this peer's head, at the current time (identity's authenticateReader).
 * The NATS query subject is not checked here: who may publish on it is the NATS server's
 * subject permissions (docs/operations.md).
 */
import { Inject, Injectable } from '@nestjs/common';
import { authenticateReader, PEER_TOKEN_AUDIENCE, ReaderRefusal, type Caller } from '@civic/identity';
import type { PeerConfig } from '../config/peer-config.js';
import type { PeerIdentity } from '../identity/peer-identity.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { PEER_CONFIG, PEER_IDENTITY, PEER_METRICS } from '../tokens.js';

/** The error codes of a refusal, in the body `{error: {code, reason}}` of the peer's REST answers. */
export const ReaderRefusalCode = {
  ...ReaderRefusal,
  /** 503: no config to check against yet (no block 0 and no genesis file). */
  NOT_READY: 'NOT_READY',
} as const;
export type ReaderRefusalCode = (typeof ReaderRefusalCode)[keyof typeof ReaderRefusalCode];

export type ReaderDecision =
  | {
      readonly ok: true;
      /** Null when authentication is off (PEER_REST_AUTH=off). */
      readonly caller: Caller | null;
    }
  | {
      readonly ok: false;
      readonly status: 401 | 403 | 503;
      readonly code: ReaderRefusalCode;
      readonly reason: string;
      /** A token was presented (RFC 6750: the 401 then says `error="invalid_token"`). */
      readonly tokenGiven: boolean;
    };

/** Where a caller without a token gets one (the 401's reason). */
const TOKEN_HINT = `a token for audience ${PEER_TOKEN_AUDIENCE}: civic token --network DIR --user NAME --aud ${PEER_TOKEN_AUDIENCE}`;

@Injectable()
export class ReaderAccess {
  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_IDENTITY) private readonly identity: PeerIdentity,
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    private readonly ledgerService: LedgerService,
  ) {}

  get enabled(): boolean {
    return this.config.restAuth === 'on';
  }

  /** Decides one request from its Authorization header; never throws. */
  decide(authorization: string | readonly string[] | undefined, nowMs: number = Date.now()): ReaderDecision {
    if (!this.enabled) return { ok: true, caller: null };
    const decision = this.#decide(authorization, nowMs);
    if (!decision.ok) this.metrics.restRefusals.inc({ status: String(decision.status) });
    return decision;
  }

  #decide(authorization: string | readonly string[] | undefined, nowMs: number): ReaderDecision {
    const config = this.ledgerService.configInForce() ?? this.identity.genesisConfig ?? null;
    if (config === null) {
      return {
        ok: false,
        status: 503,
        code: ReaderRefusalCode.NOT_READY,
        reason:
          'no channel config to check tokens against yet: the peer has not committed block 0 and has no genesis file',
        tokenGiven: authorization !== undefined,
      };
    }
    const check = authenticateReader(authorization, { config, audience: PEER_TOKEN_AUDIENCE, nowMs });
    if (check.ok) return check;
    const { refusal, reason, tokenGiven } = check;
    return refusal === ReaderRefusal.FORBIDDEN
      ? { ok: false, status: 403, code: refusal, reason, tokenGiven }
      : {
          ok: false,
          status: 401,
          code: refusal,
          reason: tokenGiven ? reason : `${reason} (${TOKEN_HINT})`,
          tokenGiven,
        };
  }
}

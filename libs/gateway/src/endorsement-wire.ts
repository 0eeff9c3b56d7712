/**
 * The messages on `civic.<channel>.endorse.<mspId>` (queue group `endorsers`): the creator sends
 * the payload it built, the input its logic ran on and the height of the state it read; the
 * endorser answers with its endorsement or a refusal with a code and a reason.
 */
import type { Endorsement, TxPayload } from '@civic/protocol';

export interface EndorseRequest {
  readonly payload: TxPayload;
  /** The input the creator's logic ran on; the endorser runs the same logic on it. */
  readonly input: unknown;
  /**
   * The endorser waits until its peer has committed at least this block before it runs the
   * logic: the creator read state at that height, and an endorser behind it would differ.
   */
  readonly minHeight: number;
}

export type EndorseReply =
  | { readonly status: 'ENDORSED'; readonly endorsement: Endorsement }
  | {
      readonly status: 'REFUSED';
      readonly code: string;
      readonly reason: string;
      /** The domain's refusal (rule, message, figures) when the logic refused on this state. */
      readonly violation?: unknown;
      /** The endorser's peer height when it refused (STATE_DIFFERS, NOT_READY). */
      readonly height?: number;
    };

/** Refusal codes of the endorser itself; a rule violation carries the domain's own code. */
export const EndorseRefusal = {
  /** The request is not a well-formed EndorseRequest, or the input is malformed for the logic. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The payload names another channel. */
  WRONG_CHANNEL: 'WRONG_CHANNEL',
  /** This endorser has no logic for the payload's namespace and action. */
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  /** The creator's certificate does not resolve in the config in force (code from identity). */
  UNKNOWN_IDENTITY: 'UNKNOWN_IDENTITY',
  EXPIRED_IDENTITY: 'EXPIRED_IDENTITY',
  /** The payload's txTime is too far from this endorser's clock (backdating, or a broken clock). */
  TX_TIME_SKEW: 'TX_TIME_SKEW',
  /** This endorser's peer did not reach `minHeight` in time. */
  NOT_READY: 'NOT_READY',
  /** The logic accepted on this state, but its reads, writes or event differ from the payload's. */
  STATE_DIFFERS: 'STATE_DIFFERS',
  /** The logic refused without a rule code of its own. */
  RULE_VIOLATION: 'RULE_VIOLATION',
  /** The endorser failed (its peer unreachable, a bug): the reason says what. */
  INTERNAL: 'INTERNAL',
} as const;
export type EndorseRefusal = (typeof EndorseRefusal)[keyof typeof EndorseRefusal];

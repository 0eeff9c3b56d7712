/**
 * The `.deliver` exchange (docs/protocol.md, "Delivering blocks"): blocks of a height range,
 * each in its own message to the requester's inbox, then one terminator. Responders (the
 * orderers, from their block stores) answer in the queue group `deliverers`; deliver.ts is the
 * requesting side every service and the SDK use.
 *
 * Request (JSON, with a reply inbox): `{from, to?, wait?, waitMs?}`:
 * - `from`: first block number; `to`: last one (inclusive), default open-ended;
 * - `wait: false` (default): blocks not yet cut fail at once (`NOT_FOUND`), nothing is sent;
 * - `wait: true`: the responder sends what it has, then each block as it is stored, until
 *   `to` is sent or `waitMs` (default 30 s, at most 60 s) has passed.
 *
 * One reply carries at most DELIVER_BLOCKS_MAX blocks and about DELIVER_BYTES_MAX bytes (a
 * bound on the requester's buffers); the terminator's `next` says where to continue.
 *
 * Block message: header `Civic-Deliver: block`, `Civic-Block-Number: n`, body = the block's
 * canonical JSON. Terminator: header `Civic-Deliver: end`, body
 * `{status: "END", next, height}` or `{status: "ERROR", code, reason}`.
 */
export const DELIVER_KIND_HEADER = 'Civic-Deliver';
export const DELIVER_NUMBER_HEADER = 'Civic-Block-Number';
export const DeliverKind = { BLOCK: 'block', END: 'end' } as const;

export const DELIVER_BLOCKS_MAX = 256;
export const DELIVER_BYTES_MAX = 8 * 1024 * 1024;
export const DELIVER_WAIT_MS_DEFAULT = 30_000;
export const DELIVER_WAIT_MS_MAX = 60_000;

export const DeliverErrorCode = {
  /** The request is not JSON or not `{from, to?, wait?, waitMs?}` (the responder says which member). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** A requested block is not cut (wait: false), or no longer held. */
  NOT_FOUND: 'NOT_FOUND',
  /** Requester side: nobody serves `.deliver`. */
  NO_RESPONDERS: 'NO_RESPONDERS',
  /** Requester side: the reply went silent for longer than the idle timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The responder failed, is overloaded, or sent something out of order. */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type DeliverErrorCode = (typeof DeliverErrorCode)[keyof typeof DeliverErrorCode];

export interface DeliverRequest {
  readonly from: number;
  readonly to?: number;
  readonly wait?: boolean;
  readonly waitMs?: number;
}

export type DeliverEnd =
  | { readonly status: 'END'; readonly next: number; readonly height: number }
  | { readonly status: 'ERROR'; readonly code: string; readonly reason: string };

/** A checked request: defaults filled, `to` null when open-ended. */
export interface ParsedDeliverRequest {
  readonly from: number;
  readonly to: number | null;
  readonly wait: boolean;
  readonly waitMs: number;
}

/** The checked request, or why it is not one. */
export function parseDeliverRequest(
  value: unknown,
): { ok: true; request: ParsedDeliverRequest } | { ok: false; reason: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'request must be an object' };
  const { from, to, wait, waitMs, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return { ok: false, reason: `unknown field ${extra[0]}` };
  if (!Number.isSafeInteger(from) || (from as number) < 0)
    return { ok: false, reason: 'from must be an integer ≥ 0' };
  if (to !== undefined && (!Number.isSafeInteger(to) || (to as number) < (from as number)))
    return { ok: false, reason: 'to must be an integer ≥ from' };
  if (wait !== undefined && typeof wait !== 'boolean') return { ok: false, reason: 'wait must be a boolean' };
  if (
    waitMs !== undefined &&
    (!Number.isSafeInteger(waitMs) || (waitMs as number) < 1 || (waitMs as number) > DELIVER_WAIT_MS_MAX)
  )
    return { ok: false, reason: `waitMs must be an integer in [1, ${DELIVER_WAIT_MS_MAX}]` };
  return {
    ok: true,
    request: {
      from: from as number,
      to: to === undefined ? null : (to as number),
      wait: wait === true,
      waitMs: (waitMs as number | undefined) ?? DELIVER_WAIT_MS_DEFAULT,
    },
  };
}

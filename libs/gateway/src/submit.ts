/**
 * Hands an envelope to the orderers on `civic.<channel>.tx.submit` (queue group `orderers`: any
 * orderer answers, followers forward to the leader). On a timeout, no responder, or a refusal
 * that says "try again" (no leader, not ready, overloaded) it sends THE SAME envelope again after
 * a backoff (the retryable codes are protocol's RETRYABLE_SUBMIT_CODES): the txId is the same, so the orderers and the peers' duplicate check make sure it is
 * ordered and committed at most once. A refusal that says the txId is known already means an
 * earlier attempt got through; the commit code will tell.
 */
import {
  JsonEncoding,
  NoRespondersError,
  RemoteHandlerError,
  RequestTimeoutError,
  requestJson,
  TransportError,
} from '@civic/messaging';
import { isRetryableSubmitCode, SubmitCode, type Envelope, type SubmitReply } from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { GatewayArgumentError, SubmitRejectedError, SubmitUnavailableError } from './errors.js';

export interface SubmitOptions {
  readonly nc: NatsConnection;
  readonly subject: string;
  /** Patience per attempt. */
  readonly timeoutMs: number;
  /** Attempts in all (the first plus resends). */
  readonly attemptsMax: number;
  /** First backoff; doubles per attempt up to backoffMaxMs, plus up to 50 % random jitter. */
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
  /** Uniform [0, 1) for the jitter (injected for tests). */
  readonly random: () => number;
  readonly onRetry?: (attempt: number, reason: string) => void;
}

export interface SubmitResult {
  readonly txId: string;
  readonly attempts: number;
  /** True when the orderers said the txId was admitted by an earlier attempt. */
  readonly alreadySubmitted: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isTransient(error: unknown): boolean {
  return (
    error instanceof RequestTimeoutError ||
    error instanceof NoRespondersError ||
    error instanceof TransportError ||
    // A responder that sheds load answers OVERLOADED itself (messaging's serveJson).
    (error instanceof RemoteHandlerError && isRetryableSubmitCode(error.code))
  );
}

export async function submitEnvelope(
  envelope: Envelope,
  txId: string,
  options: SubmitOptions,
): Promise<SubmitResult> {
  if (!Number.isSafeInteger(options.attemptsMax) || options.attemptsMax < 1) {
    throw new GatewayArgumentError('submit: attemptsMax must be a positive integer');
  }
  let lastReason = '';
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attemptsMax; attempt++) {
    if (attempt > 1) {
      const base = Math.min(options.backoffMaxMs, options.backoffMs * 2 ** (attempt - 2));
      await sleep(Math.round(base * (1 + options.random() / 2)));
    }
    let reply: SubmitReply;
    try {
      reply = await requestJson<SubmitReply>(options.nc, options.subject, envelope, {
        timeoutMs: options.timeoutMs,
        // The orderers keep the envelope's canonical bytes: send them so, nothing to re-encode.
        encoding: JsonEncoding.CANONICAL,
      });
    } catch (error) {
      if (!isTransient(error)) throw error;
      lastError = error;
      lastReason = (error as Error).message;
      options.onRetry?.(attempt, lastReason);
      continue;
    }
    if (reply?.status === 'ACCEPTED') return { txId, attempts: attempt, alreadySubmitted: false };
    if (reply?.status !== 'REJECTED') {
      throw new SubmitRejectedError(
        txId,
        'BAD_REPLY',
        `unexpected reply ${JSON.stringify(reply).slice(0, 200)}`,
      );
    }
    // The txId is known: an earlier send of this very envelope was admitted.
    if (reply.code === SubmitCode.DUPLICATE_TXID) return { txId, attempts: attempt, alreadySubmitted: true };
    if (!isRetryableSubmitCode(reply.code)) throw new SubmitRejectedError(txId, reply.code, reply.reason);
    lastError = undefined;
    lastReason = `${reply.code}: ${reply.reason}`;
    options.onRetry?.(attempt, lastReason);
  }
  throw new SubmitUnavailableError(
    txId,
    options.attemptsMax,
    `not accepted (${lastReason})`,
    lastError === undefined ? undefined : { cause: lastError },
  );
}

/**
 * The endorser's side: answers `civic.<channel>.endorse.<ownMspId>` in a queue group (replicas
 * of one organisation's service share the requests). An organisation may run several domain
 * services (Utrecht runs subsidies and parking), all on the same subject: each serves its own
 * namespaces in a queue group of its own (`endorsers.<namespace>`) and leaves requests for other
 * namespaces unanswered, so exactly one service of the right namespace answers. For each request it
 * checks the payload, waits until its own peer reached the creator's height, re-runs the same
 * logic on its own peer's state with the creator's mspId and txTime, compares the reads, writes,
 * event and private hashes with the payload's, and signs the txId — or refuses with a code and a
 * reason that travel back to the creator's caller.
 */
import { resolveIdentity } from '@civic/identity';
import { NO_REPLY, serveJson, QueueGroup, subjects, type Subscriber } from '@civic/messaging';
import {
  endorsePayload,
  parsePayload,
  parseRfc3339Ms,
  TxType,
  txIdOf,
  type Signer,
  type TxPayload,
} from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { SpanKind, withSpan } from '@civic/telemetry';
import type { CommitWatcher } from './commit-watcher.js';
import type { ConfigSource } from './config-source.js';
import { EndorseRefusal, type EndorseReply, type EndorseRequest } from './endorsement-wire.js';
import { PeerBehindError } from './errors.js';
import { violationCode, violationMessage, type EndorsementLogic } from './logic.js';
import type { GatewayBounds } from './options.js';
import type { PeerClient } from './peer.js';
import { effectsDiffer, effectsOf, RecordingTxContext } from './recording-context.js';

export interface EndorserOptions {
  readonly nc: NatsConnection;
  readonly channel: string;
  readonly signer: Signer;
  readonly peer: PeerClient;
  readonly watcher: CommitWatcher;
  readonly config: ConfigSource;
  readonly clock: () => number;
  readonly bounds: GatewayBounds;
  /** The logic for a namespace and action, or undefined when this organisation does not endorse it. */
  readonly logicFor: (namespace: string, action: string) => EndorsementLogic | undefined;
  /**
   * The namespaces this endorser serves. Requests for other namespaces get no reply from it (the
   * organisation's service for that namespace answers them). Omitted: it answers every request,
   * refusing unknown namespaces with UNKNOWN_ACTION (one service per organisation).
   */
  readonly namespaces?: readonly string[];
  /**
   * Whether an input error thrown by the logic is the caller's fault (BAD_REQUEST) rather than
   * the endorser's (INTERNAL). Default: every thrown error except the gateway's own is BAD_REQUEST.
   */
  readonly isInputError?: (error: unknown) => boolean;
  /** Told about every answer (for logs and metrics). */
  readonly onAnswer?: (answer: EndorseAnswer) => void;
}

export interface EndorseAnswer {
  readonly txId: string | null;
  readonly namespace: string | null;
  readonly action: string | null;
  readonly creatorMspId: string | null;
  readonly reply: EndorseReply;
  readonly durationMs: number;
}

export interface EndorserHandle {
  readonly subject: string;
  stop(): Promise<void>;
}

type Refusal = Extract<EndorseReply, { status: 'REFUSED' }>;

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
  }
}

function refuse(code: string, reason: string, extra: Partial<Refusal> = {}): never {
  throw new Refused({ status: 'REFUSED', code, reason, ...extra });
}

function readRequest(
  raw: unknown,
  channel: string,
): { payload: TxPayload; input: unknown; minHeight: number } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    refuse(EndorseRefusal.BAD_REQUEST, 'request object expected');
  const request = raw as Partial<EndorseRequest>;
  let payload: TxPayload;
  try {
    payload = parsePayload(request.payload);
  } catch (error) {
    refuse(EndorseRefusal.BAD_REQUEST, `payload: ${(error as Error).message}`);
  }
  if (payload.type !== TxType.TX)
    refuse(EndorseRefusal.BAD_REQUEST, 'only transactions of type "tx" are endorsed here');
  if (payload.channel !== channel)
    refuse(
      EndorseRefusal.WRONG_CHANNEL,
      `payload is for channel ${payload.channel}, this endorser serves ${channel}`,
    );
  const minHeight = request.minHeight;
  if (typeof minHeight !== 'number' || !Number.isSafeInteger(minHeight) || minHeight < -1) {
    refuse(EndorseRefusal.BAD_REQUEST, 'minHeight must be an integer >= -1');
  }
  if (!Object.hasOwn(request, 'input')) refuse(EndorseRefusal.BAD_REQUEST, 'input is missing');
  return { payload, input: request.input, minHeight };
}

export function serveEndorsements(options: EndorserOptions): EndorserHandle {
  const subject = subjects(options.channel).endorse(options.signer.mspId);
  const served = options.namespaces;
  if (
    served !== undefined &&
    (served.length === 0 || served.some((ns) => !/^[a-z][a-z0-9-]{0,63}$/.test(ns)))
  ) {
    throw new TypeError(
      `serveEndorsements: namespaces must be namespace names, got ${JSON.stringify(served)}`,
    );
  }
  const queue =
    served === undefined ? QueueGroup.ENDORSERS : `${QueueGroup.ENDORSERS}.${[...served].sort().join('.')}`;
  const subscriber: Subscriber = serveJson<unknown, EndorseReply>(
    options.nc,
    subject,
    {
      queue,
      concurrencyMax: options.bounds.endorseConcurrencyMax,
      pendingMax: options.bounds.endorsePendingMax,
    },
    // Runs in the requester's trace context (libs/messaging): one server span per request.
    (msg) =>
      isForOthers(served, msg.data)
        ? NO_REPLY
        : withSpan(
            'endorse',
            { kind: SpanKind.SERVER, attributes: { 'civic.endorser': options.signer.mspId } },
            (span) =>
              answer(msg.data).then((reply) => {
                span.setAttribute(
                  'civic.reply',
                  reply.status === 'ENDORSED' ? 'ENDORSED' : `REFUSED ${reply.code}`,
                );
                return reply;
              }),
          ),
  );
  return { subject, stop: () => subscriber.stop() };

  async function answer(data: unknown): Promise<EndorseReply> {
    const started = performance.now();
    let payload: TxPayload | null = null;
    let reply: EndorseReply;
    try {
      const request = readRequest(data, options.channel);
      payload = request.payload;
      reply = await endorse(options, request);
    } catch (error) {
      reply =
        error instanceof Refused
          ? error.refusal
          : {
              status: 'REFUSED',
              code: EndorseRefusal.INTERNAL,
              reason: (error as Error).message ?? String(error),
            };
    }
    options.onAnswer?.({
      txId: payload === null ? null : txIdOf(payload),
      namespace: payload?.namespace ?? null,
      action: payload?.action ?? null,
      creatorMspId: payload?.creator.mspId ?? null,
      reply,
      durationMs: performance.now() - started,
    });
    return reply;
  }
}

/**
 * Whether a request is for a namespace another service of the organisation serves. A request
 * whose namespace cannot be read is answered (with BAD_REQUEST) by whichever service gets it.
 */
function isForOthers(served: readonly string[] | undefined, data: unknown): boolean {
  const namespace = (data as { payload?: { namespace?: unknown } } | null)?.payload?.namespace;
  return served !== undefined && typeof namespace === 'string' && !served.includes(namespace);
}

async function endorse(
  options: EndorserOptions,
  request: { payload: TxPayload; input: unknown; minHeight: number },
): Promise<EndorseReply> {
  const { payload, input, minHeight } = request;
  const { bounds, signer } = options;
  const logic = options.logicFor(payload.namespace, payload.action);
  if (logic === undefined) {
    refuse(
      EndorseRefusal.UNKNOWN_ACTION,
      `${signer.mspId} does not endorse ${payload.namespace}/${payload.action}`,
    );
  }
  const config = await options.config.current();
  const creator = resolveIdentity(config, payload.creator, payload.txTime);
  if (!creator.ok)
    refuse(
      creator.code === 'EXPIRED_IDENTITY' ? EndorseRefusal.EXPIRED_IDENTITY : EndorseRefusal.UNKNOWN_IDENTITY,
      `creator: ${creator.reason}`,
    );
  const skewMs = Math.abs(parseRfc3339Ms(payload.txTime) - options.clock());
  if (skewMs > bounds.txTimeSkewMaxMs) {
    refuse(
      EndorseRefusal.TX_TIME_SKEW,
      `txTime ${payload.txTime} is ${Math.round(skewMs / 1000)} s from this endorser's clock (at most ${bounds.txTimeSkewMaxMs / 1000} s)`,
    );
  }
  try {
    await options.watcher.waitForHeight(minHeight, bounds.minHeightWaitMs);
  } catch (error) {
    if (error instanceof PeerBehindError) {
      refuse(EndorseRefusal.NOT_READY, error.message, { height: error.height });
    }
    throw error;
  }
  const ctx = new RecordingTxContext({
    mspId: payload.creator.mspId,
    txTime: payload.txTime,
    namespace: payload.namespace,
    source: options.peer,
  });
  let outcome;
  try {
    outcome = await logic(ctx, input, {
      endorserMspId: signer.mspId,
      namespace: payload.namespace,
      action: payload.action,
    });
  } catch (error) {
    const isInput = options.isInputError?.(error) ?? true;
    refuse(
      isInput ? EndorseRefusal.BAD_REQUEST : EndorseRefusal.INTERNAL,
      (error as Error).message ?? String(error),
    );
  }
  if (!outcome.ok) {
    const height = await options.watcher.refreshHeight().catch(() => options.watcher.knownHeight);
    refuse(
      violationCode(outcome.violation, EndorseRefusal.RULE_VIOLATION),
      violationMessage(outcome.violation),
      {
        violation: outcome.violation,
        height,
      },
    );
  }
  const differs = effectsDiffer(
    { reads: payload.reads, writes: payload.writes, event: payload.event, private: payload.private ?? [] },
    effectsOf(ctx),
  );
  if (differs !== null) {
    const height = await options.watcher.refreshHeight().catch(() => options.watcher.knownHeight);
    refuse(EndorseRefusal.STATE_DIFFERS, differs, { height });
  }
  return { status: 'ENDORSED', endorsement: endorsePayload(payload, signer) };
}

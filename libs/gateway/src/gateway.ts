/**
 * The gateway of one organisation's domain service: runs a transaction's logic on the own peer's
 * state, builds and signs the payload, collects the endorsements the action's policy needs,
 * submits the envelope and waits for the commit code; on MVCC_READ_CONFLICT it starts over on
 * the newer state, a bounded number of times. It also serves the organisation's endorsements
 * (endorser.ts). See docs/gateway.md.
 */
import { explainPolicy, signersOf } from '@civic/identity';
import { subjects, type ChannelSubjects } from '@civic/messaging';
import { SpanKind, withSpan } from '@civic/telemetry';
import {
  createEnvelope,
  createPayload,
  parseCertificate,
  toHex,
  txIdOf,
  ValidationCode,
  type Signer,
} from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { CommitWatcher } from './commit-watcher.js';
import { PeerConfigSource, type ConfigSource } from './config-source.js';
import { collectEndorsements } from './endorse-client.js';
import { planEndorsements, policyContextOf } from './endorsement-plan.js';
import { EndorseRefusal } from './endorsement-wire.js';
import { serveEndorsements, type EndorserHandle, type EndorserOptions } from './endorser.js';
import {
  CommitFailedError,
  EndorsementRefusedError,
  GatewayArgumentError,
  GatewayClosedError,
  PolicyUnsatisfiableError,
} from './errors.js';
import type { LogicOutcome, TxLogic } from './logic.js';
import { NatsPeerClient } from './nats-peer-client.js';
import { resolveBounds, type GatewayBounds } from './options.js';
import type { PeerClient } from './peer.js';
import { RecordingTxContext } from './recording-context.js';
import { submitEnvelope } from './submit.js';

export interface GatewayOptions {
  readonly channel: string;
  readonly nc: NatsConnection;
  /** The organisation's service identity (identity's `loadSigner` gives one): creates and endorses. */
  readonly signer: Signer;
  /** The organisation's own peer: state is read there and its commit receipts are awaited. */
  readonly peerId: string;
  /** Replaces the NATS query client of `peerId` (tests, an in-process peer). */
  readonly peer?: PeerClient;
  /** Where the channel config comes from; default: the own peer's state `config`/`channel`. */
  readonly config?: ConfigSource;
  /** Epoch ms for txTime (and the endorser's skew check). Default Date.now. */
  readonly clock?: () => number;
  /** Random bytes for nonces and [0,1) jitter. Default crypto.getRandomValues. */
  readonly randomBytes?: (length: number) => Uint8Array;
  readonly bounds?: Partial<GatewayBounds>;
  /** Told about rebuilds, resends and background errors (for logs). */
  readonly onEvent?: (event: GatewayEvent) => void;
}

export type GatewayEvent =
  | { readonly kind: 'rebuild'; readonly attempt: number; readonly reason: string }
  | { readonly kind: 'resend'; readonly txId: string; readonly attempt: number; readonly reason: string }
  | { readonly kind: 'error'; readonly error: unknown };

export interface SubmitRequest<I, T, V> {
  readonly namespace: string;
  /** The payload's action (the route below may change it once the logic has decided). */
  readonly action: string;
  readonly input: I;
  readonly logic: TxLogic<I, T, V>;
  /**
   * After the logic accepted: the action and the endorsing organisations its result needs, e.g.
   * a grant above its scheme's threshold goes as `grant-endorsed` with the co-endorser.
   */
  readonly route?: (value: T) => { readonly action?: string; readonly endorsers?: readonly string[] };
  /** Organisations to ask; default: the smallest set that satisfies the action's policy. */
  readonly endorsers?: readonly string[];
}

export interface SubmitTimings {
  /** Running the logic (point reads from the peer), last attempt. */
  readonly buildMs: number;
  readonly endorseMs: number;
  /** From the first send to the orderers' acceptance. */
  readonly orderMs: number;
  /** From acceptance to the peer's commit code. */
  readonly commitMs: number;
  /** The whole submit, every attempt. */
  readonly totalMs: number;
}

export type SubmitOutcome<T, V> =
  | {
      readonly status: 'COMMITTED';
      readonly value: T;
      readonly txId: string;
      readonly block: number;
      readonly action: string;
      readonly txTime: string;
      /** Organisations whose endorsements the envelope carries. */
      readonly endorsedBy: readonly string[];
      /** Times the transaction was built (1 + rebuilds). */
      readonly attempts: number;
      readonly timings: SubmitTimings;
    }
  | { readonly status: 'REFUSED'; readonly violation: V; readonly attempts: number };

/** A key/value reader over the own peer's committed state, recording nothing. */
export interface NamespaceReader {
  get<T = unknown>(key: string): Promise<T | undefined>;
}

const defaultRandom = (length: number): Uint8Array =>
  globalThis.crypto.getRandomValues(new Uint8Array(length));

function roleOf(cert: string): string {
  const ou = parseCertificate(cert).subject.filter((a) => a.type === 'OU');
  if (ou.length !== 1) throw new GatewayArgumentError('signer certificate has no single OU (role)');
  return ou[0]!.value;
}

export class Gateway {
  readonly channel: string;
  readonly mspId: string;
  readonly peer: PeerClient;
  readonly config: ConfigSource;
  readonly bounds: GatewayBounds;
  readonly subjects: ChannelSubjects;
  readonly watcher: CommitWatcher;
  readonly #options: GatewayOptions;
  readonly #role: string;
  readonly #clock: () => number;
  readonly #random: (length: number) => Uint8Array;
  readonly #endorsers = new Set<EndorserHandle>();
  #closed = false;

  constructor(options: GatewayOptions) {
    if (options === null || typeof options !== 'object' || !options.nc || !options.signer) {
      throw new GatewayArgumentError('Gateway: options {channel, nc, signer, peerId} expected');
    }
    this.#options = options;
    this.channel = options.channel;
    this.subjects = subjects(options.channel);
    this.mspId = options.signer.mspId;
    this.#role = roleOf(options.signer.cert);
    this.#clock = options.clock ?? Date.now;
    this.#random = options.randomBytes ?? defaultRandom;
    this.bounds = resolveBounds(options.bounds);
    this.peer =
      options.peer ??
      new NatsPeerClient({ nc: options.nc, channel: options.channel, peerId: options.peerId });
    this.config = options.config ?? new PeerConfigSource(this.peer, this.#clock);
    this.watcher = new CommitWatcher({
      nc: options.nc,
      channel: options.channel,
      peer: this.peer,
      pollMs: this.bounds.commitPollMs,
      pendingMax: this.bounds.pendingCommitsMax,
      onError: (error) => this.#emit({ kind: 'error', error }),
    });
    this.watcher.start();
  }

  /** The service identity (creator and endorser). */
  get signer(): Signer {
    return this.#options.signer;
  }

  get clock(): () => number {
    return this.#clock;
  }

  /**
   * Runs the logic, builds, endorses, submits and awaits the commit; see docs/gateway.md. One
   * span `tx <namespace>/<action>` covers it, parent of the endorsement and submit spans.
   */
  async submit<I, T, V>(request: SubmitRequest<I, T, V>): Promise<SubmitOutcome<T, V>> {
    const name = `tx ${String(request?.namespace)}/${String(request?.action)}`;
    return withSpan(name, { kind: SpanKind.INTERNAL }, async (span) => {
      const outcome = await this.#submit(request);
      span.setAttributes(
        outcome.status === 'COMMITTED'
          ? { 'civic.tx_id': outcome.txId, 'civic.block': outcome.block, 'civic.attempts': outcome.attempts }
          : { 'civic.outcome': 'REFUSED', 'civic.attempts': outcome.attempts },
      );
      return outcome;
    });
  }

  async #submit<I, T, V>(request: SubmitRequest<I, T, V>): Promise<SubmitOutcome<T, V>> {
    this.#assertOpen();
    if (typeof request?.logic !== 'function')
      throw new GatewayArgumentError('submit: logic function expected');
    const started = performance.now();
    let lastFailure: Error | null = null;
    for (let attempt = 1; attempt <= this.bounds.rebuildsMax + 1; attempt++) {
      this.#assertOpen();
      if (lastFailure !== null) this.#emit({ kind: 'rebuild', attempt, reason: lastFailure.message });
      const result = await this.#attempt(request, attempt, started);
      if (result.kind === 'done') return result.outcome;
      lastFailure = result.failure;
      if (result.waitForHeight !== null) {
        await this.watcher
          .waitForHeight(result.waitForHeight, this.bounds.minHeightWaitMs)
          .catch(() => undefined);
      }
    }
    throw lastFailure!;
  }

  /** Runs `logic` on the own peer's state without submitting (checks, dry runs). */
  async evaluate<I, T, V>(namespace: string, logic: TxLogic<I, T, V>, input: I): Promise<LogicOutcome<T, V>> {
    const ctx = new RecordingTxContext({
      mspId: this.mspId,
      txTime: new Date(this.#clock()).toISOString(),
      namespace,
      source: this.peer,
    });
    return logic(ctx, input);
  }

  /** A reader over the committed state of `namespace` (read views). */
  reader(namespace: string): NamespaceReader {
    return {
      get: async <T>(key: string): Promise<T | undefined> => {
        const entry = await this.peer.getState(namespace, key);
        return entry === null ? undefined : (entry.value as T);
      },
    };
  }

  /** Serves this organisation's endorsements on `civic.<channel>.endorse.<mspId>`. */
  serveEndorsements(options: Pick<EndorserOptions, 'logicFor'> & Partial<EndorserOptions>): EndorserHandle {
    this.#assertOpen();
    const handle = serveEndorsements({
      nc: this.#options.nc,
      channel: this.channel,
      signer: this.#options.signer,
      peer: this.peer,
      watcher: this.watcher,
      config: this.config,
      clock: this.#clock,
      bounds: this.bounds,
      ...options,
    });
    this.#endorsers.add(handle);
    return handle;
  }

  /** Stops the endorsers (they finish what they hold) and the commit watcher. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#endorsers].map((e) => e.stop()));
    await this.watcher.stop();
  }

  async #attempt<I, T, V>(
    request: SubmitRequest<I, T, V>,
    attempt: number,
    started: number,
  ): Promise<
    | { kind: 'done'; outcome: SubmitOutcome<T, V> }
    | { kind: 'retry'; failure: Error; waitForHeight: number | null }
  > {
    const { bounds } = this;
    const config = await this.config.current();
    const txTimeMs = this.#clock();
    const ctx = new RecordingTxContext({
      mspId: this.mspId,
      txTime: new Date(txTimeMs).toISOString(),
      namespace: request.namespace,
      source: this.peer,
    });
    const t0 = performance.now();
    const outcome = await request.logic(ctx, request.input);
    const buildMs = performance.now() - t0;
    if (!outcome.ok)
      return {
        kind: 'done',
        outcome: { status: 'REFUSED', violation: outcome.violation, attempts: attempt },
      };
    if (ctx.event === null)
      throw new GatewayArgumentError(
        `${request.namespace}/${request.action}: the logic accepted but emitted no event`,
      );

    const route = request.route?.(outcome.value) ?? {};
    const action = route.action ?? request.action;
    const wanted = route.endorsers ?? request.endorsers;
    const plan = planEndorsements(config, {
      namespace: request.namespace,
      action,
      creator: { mspId: this.mspId, role: this.#role },
      ...(wanted !== undefined ? { endorsers: wanted } : {}),
    });
    const signer = this.#options.signer;
    const payload = createPayload({
      channel: this.channel,
      namespace: request.namespace,
      action,
      txTime: txTimeMs,
      nonce: toHex(this.#random(32)),
      creator: { mspId: signer.mspId, cert: signer.cert },
      reads: ctx.readSet(),
      writes: ctx.writeSet(),
      event: ctx.event,
      ...(ctx.privateHashes.length > 0 ? { private: ctx.privateHashes } : {}),
    });
    const txId = txIdOf(payload);
    // The endorsers must have at least the state read here: the newest block among the versions
    // read, or the newest receipt seen (no extra round trip to the peer).
    const minHeight = Math.max(this.watcher.knownHeight, ctx.highestReadBlock());

    const t1 = performance.now();
    let endorsements;
    try {
      endorsements = await collectEndorsements(
        { nc: this.#options.nc, subjects: this.subjects, timeoutMs: bounds.endorseTimeoutMs },
        { payload, txId, input: request.input, minHeight, endorsers: plan.endorsers, config },
      );
    } catch (error) {
      // An endorser that accepted on newer state, or whose peer is not there yet, may agree
      // after a rebuild. A rule it refuses on its own state goes to the caller as it is: the
      // same logic on that state would refuse here too.
      if (
        error instanceof EndorsementRefusedError &&
        attempt <= bounds.rebuildsMax &&
        (error.code === EndorseRefusal.STATE_DIFFERS || error.code === EndorseRefusal.NOT_READY)
      ) {
        const newer = error.height !== null && error.height > minHeight;
        return { kind: 'retry', failure: error, waitForHeight: newer ? error.height : null };
      }
      throw error;
    }
    const endorseMs = performance.now() - t1;
    const envelope = createEnvelope(payload, signer.key, endorsements);
    this.#checkPolicy(config, envelope, plan.policy, request.namespace, action);

    const pending = this.watcher.expect(txId, bounds.commitTimeoutMs);
    const t2 = performance.now();
    try {
      await withSpan('orderer submit', { kind: SpanKind.CLIENT, attributes: { 'civic.tx_id': txId } }, () =>
        submitEnvelope(envelope, txId, {
          nc: this.#options.nc,
          subject: this.subjects.txSubmit,
          timeoutMs: bounds.submitTimeoutMs,
          attemptsMax: bounds.submitAttemptsMax,
          backoffMs: bounds.submitBackoffMs,
          backoffMaxMs: bounds.submitBackoffMaxMs,
          random: () => this.#random(1)[0]! / 256,
          onRetry: (n, reason) => this.#emit({ kind: 'resend', txId, attempt: n, reason }),
        }),
      );
    } catch (error) {
      pending.cancel(error as Error);
      pending.promise.catch(() => undefined);
      throw error;
    }
    const t3 = performance.now();
    const committed = await pending.promise;
    const t4 = performance.now();
    if (committed.code === ValidationCode.VALID) {
      return {
        kind: 'done',
        outcome: {
          status: 'COMMITTED',
          value: outcome.value,
          txId,
          block: committed.block,
          action,
          txTime: payload.txTime,
          endorsedBy: plan.endorsers,
          attempts: attempt,
          timings: { buildMs, endorseMs, orderMs: t3 - t2, commitMs: t4 - t3, totalMs: t4 - started },
        },
      };
    }
    const failure = new CommitFailedError(txId, committed.code, committed.block, attempt);
    if (committed.code === ValidationCode.MVCC_READ_CONFLICT && attempt <= bounds.rebuildsMax) {
      return { kind: 'retry', failure, waitForHeight: committed.block };
    }
    if (committed.code === ValidationCode.ENDORSEMENT_POLICY_FAILURE) this.config.invalidate();
    throw failure;
  }

  /** The signers of the envelope must satisfy the policy before it goes to the orderers. */
  #checkPolicy(
    config: Parameters<typeof signersOf>[0],
    envelope: Parameters<typeof signersOf>[1],
    policy: string,
    namespace: string,
    action: string,
  ): void {
    const signers = signersOf(config, envelope, envelope.payload.txTime);
    if (!signers.ok)
      throw new PolicyUnsatisfiableError(namespace, action, policy, `${signers.code}: ${signers.reason}`);
    const explained = explainPolicy(policy, signers.signers, policyContextOf(config));
    if (!explained.satisfied) throw new PolicyUnsatisfiableError(namespace, action, policy, explained.reason);
  }

  #assertOpen(): void {
    if (this.#closed) throw new GatewayClosedError('gateway closed');
  }

  #emit(event: GatewayEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A logging hook must not break a submission.
    }
  }
}

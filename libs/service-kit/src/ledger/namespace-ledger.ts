/**
 * A domain service's one path to the chain, for one namespace: each REST write is one
 * transaction of an action, its domain logic run through the gateway (on the own peer's state,
 * endorsed where the policy asks, committed), measured and logged (submitMeasured). A refused
 * rule becomes the service's REST error. `dryRun` runs an action's rules on the current state
 * without submitting: a service uses it before it touches a private store, so that a refused
 * request leaves nothing behind. Services subclass `namespaceLedgerOf(spec)` as their injectable
 * ledger.
 */
import { Inject, Injectable, type Type } from '@nestjs/common';
import {
  violationCode,
  violationMessage,
  type Gateway,
  type NamespaceReader,
  type SubmitOutcome,
  type TxLogic,
} from '@civic/gateway';
import type { Logger } from 'pino';
import type { ApiError } from '../http/api-error.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { GATEWAY, LOGGER, METRICS } from '../tokens.js';
import type { BatchResult } from './batch-queue.js';
import { submitMeasured, txRefOf, type TxRef } from './submit-measured.js';

export interface Written<T> {
  readonly value: T;
  readonly tx: TxRef;
}

export interface NamespaceSpec<A extends string, V> {
  readonly namespace: string;
  /** The logic of an action, as creators and endorsers run it. */
  readonly logicOf: (action: A) => TxLogic<unknown, unknown, V>;
  /** The REST error of a refusal. */
  readonly refusal: (violation: V) => ApiError;
}

export class NamespaceLedger<A extends string, V> {
  /** Point reads of the namespace's committed state (read views; nothing recorded). */
  readonly reader: NamespaceReader;

  constructor(
    readonly gateway: Gateway,
    private readonly metrics: ServiceMetrics,
    private readonly logger: Logger,
    private readonly spec: NamespaceSpec<A, V>,
  ) {
    this.reader = gateway.reader(spec.namespace);
  }

  /** Submits `action` with `input`; a refusal throws its REST error, nothing written. */
  async write<T>(action: A, input: unknown): Promise<Written<T>> {
    const outcome = await this.submit<T>(action, input);
    if (outcome.status === 'REFUSED') throw this.spec.refusal(outcome.violation);
    return { value: outcome.value, tx: txRefOf(outcome) };
  }

  /** As `write`, but hands a refusal back instead of throwing (callers that retry or clean up). */
  submit<T>(action: A, input: unknown): Promise<SubmitOutcome<T, V>> {
    return submitMeasured(this.gateway, this.metrics, this.logger, {
      namespace: this.spec.namespace,
      action,
      input,
      logic: this.spec.logicOf(action) as TxLogic<unknown, T, V>,
    });
  }

  /** Runs `action`'s rules on the current state; throws the refusal, writes nothing. */
  async dryRun(action: A, input: unknown): Promise<void> {
    const outcome = await this.gateway.evaluate(this.spec.namespace, this.spec.logicOf(action), input);
    if (!outcome.ok) throw this.spec.refusal(outcome.violation);
  }

  /** A committed record of the namespace, or undefined. */
  read<T>(key: string): Promise<T | undefined> {
    return this.reader.get<T>(key);
  }

  /**
   * Sends a batch as one `action` transaction (a BatchQueue's `send`): committed is RECORDED, a
   * refusal is REFUSED with its rule and message (the queue then sends the items one by one);
   * anything else throws, and the queue sends the batch again later.
   */
  async sendBatch(action: A, input: unknown): Promise<BatchResult> {
    const outcome = await this.submit(action, input);
    if (outcome.status === 'COMMITTED') return { status: 'RECORDED' };
    return {
      status: 'REFUSED',
      rule: violationCode(outcome.violation, 'REFUSED'),
      message: violationMessage(outcome.violation),
    };
  }

  /** The organisation this instance acts for. */
  get mspId(): string {
    return this.gateway.mspId;
  }
}

/**
 * The injectable NamespaceLedger of one namespace (the gateway, metrics and logger injected by
 * the kit's tokens): `@Injectable() class ParkingLedger extends namespaceLedgerOf({...}) {}`.
 */
export function namespaceLedgerOf<A extends string, V>(
  spec: NamespaceSpec<A, V>,
): Type<NamespaceLedger<A, V>> {
  @Injectable()
  class InjectedNamespaceLedger extends NamespaceLedger<A, V> {
    constructor(
      @Inject(GATEWAY) gateway: Gateway,
      @Inject(METRICS) metrics: ServiceMetrics,
      @Inject(LOGGER) logger: Logger,
    ) {
      super(gateway, metrics, logger, spec);
    }
  }
  return InjectedNamespaceLedger;
}

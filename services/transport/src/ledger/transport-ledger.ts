/**
 * The service's one path to the chain: each write is one `transport` transaction run through the
 * gateway (the action's domain function on this organisation's peer, endorsed where the policy
 * asks, committed), measured and logged by the kit. A refused rule becomes its REST answer.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Gateway, NamespaceReader, SubmitOutcome } from '@civic/gateway';
import {
  GATEWAY,
  LOGGER,
  METRICS,
  submitMeasured,
  txRefOf,
  type Logger,
  type TxRef,
} from '@civic/service-kit';
import { transportLogic, TRANSPORT_NAMESPACE, type TransportAction } from '../domain/index.js';
import { violationError, type ViolationJson } from '../http/transport-errors.js';
import type { TransportMetrics } from '../observability/metrics.js';

export interface Written<T> {
  readonly value: T;
  readonly tx: TxRef;
}

@Injectable()
export class TransportLedger {
  readonly reader: NamespaceReader;

  constructor(
    @Inject(GATEWAY) readonly gateway: Gateway,
    @Inject(METRICS) private readonly metrics: TransportMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.reader = gateway.reader(TRANSPORT_NAMESPACE);
  }

  /** Submits `action`; a refusal throws its REST error (nothing was written). */
  async write<T>(action: TransportAction, input: unknown): Promise<Written<T>> {
    const outcome = await this.submit<T>(action, input);
    if (outcome.status === 'REFUSED') throw violationError(outcome.violation);
    return { value: outcome.value, tx: txRefOf(outcome) };
  }

  /** As `write`, handing a refusal back (callers that clean up or retry). */
  submit<T>(action: TransportAction, input: unknown): Promise<SubmitOutcome<T, ViolationJson>> {
    return submitMeasured(this.gateway, this.metrics, this.logger, {
      namespace: TRANSPORT_NAMESPACE,
      action,
      input,
      logic: transportLogic<unknown, T>(action) as never,
    });
  }

  /** The organisation this instance acts for. */
  get mspId(): string {
    return this.gateway.mspId;
  }
}

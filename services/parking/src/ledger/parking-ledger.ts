/**
 * The service's one path to the chain: each REST write is one `parking` transaction run through
 * the gateway (the domain function of its action, on this organisation's peer, endorsed where
 * the policy asks, committed), measured and logged by the kit. A refused rule becomes its REST
 * answer. `dryRun` runs the same function on the current state without submitting: the service
 * uses it before it touches a private store, so that a refused request leaves nothing behind.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Gateway, SubmitOutcome } from '@civic/gateway';
import {
  GATEWAY,
  LOGGER,
  METRICS,
  submitMeasured,
  txRefOf,
  type Logger,
  type TxRef,
} from '@civic/service-kit';
import { PARKING_NAMESPACE, type ParkingAction } from '../domain/index.js';
import { violationError, type ViolationJson } from '../http/parking-errors.js';
import type { ParkingMetrics } from '../observability/metrics.js';
import { parkingLogic } from './parking-logic.js';

export interface Written<T> {
  readonly value: T;
  readonly tx: TxRef;
}

@Injectable()
export class ParkingLedger {
  constructor(
    @Inject(GATEWAY) readonly gateway: Gateway,
    @Inject(METRICS) private readonly metrics: ParkingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Submits `action` with `input`; a refusal throws its REST error, nothing written. */
  async write<T>(action: ParkingAction, input: unknown): Promise<Written<T>> {
    const outcome = await this.submit<T>(action, input);
    if (outcome.status === 'REFUSED') throw violationError(outcome.violation);
    return { value: outcome.value, tx: txRefOf(outcome) };
  }

  /** As `write`, but hands a refusal back instead of throwing (callers that retry or clean up). */
  submit<T>(action: ParkingAction, input: unknown): Promise<SubmitOutcome<T, ViolationJson>> {
    return submitMeasured(this.gateway, this.metrics, this.logger, {
      namespace: PARKING_NAMESPACE,
      action,
      input,
      logic: parkingLogic<T>(action),
    });
  }

  /** Runs `action`'s rules on the current state; throws the refusal, writes nothing. */
  async dryRun(action: ParkingAction, input: unknown): Promise<void> {
    const outcome = await this.gateway.evaluate(PARKING_NAMESPACE, parkingLogic(action), input);
    if (!outcome.ok) throw violationError(outcome.violation);
  }

  /** A committed record of the namespace, or undefined. */
  read<T>(key: string): Promise<T | undefined> {
    return this.gateway.reader(PARKING_NAMESPACE).get<T>(key);
  }
}

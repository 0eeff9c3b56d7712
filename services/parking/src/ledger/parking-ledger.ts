/**
 * The parking service's one path to the chain: the kit's NamespaceLedger for the `parking`
 * namespace, with the domain's logic per action and its refusals as REST errors.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Gateway } from '@civic/gateway';
import { GATEWAY, LOGGER, METRICS, NamespaceLedger, type Logger } from '@civic/service-kit';
import { PARKING_NAMESPACE, type ParkingAction } from '../domain/index.js';
import { violationError, type ViolationJson } from '../http/parking-errors.js';
import type { ParkingMetrics } from '../observability/metrics.js';
import { parkingLogic } from './parking-logic.js';

export type { Written } from '@civic/service-kit';

@Injectable()
export class ParkingLedger extends NamespaceLedger<ParkingAction, ViolationJson> {
  constructor(
    @Inject(GATEWAY) gateway: Gateway,
    @Inject(METRICS) metrics: ParkingMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(gateway, metrics, logger, {
      namespace: PARKING_NAMESPACE,
      logicOf: (action) => parkingLogic(action),
      refusal: (violation) => violationError(violation),
    });
  }
}

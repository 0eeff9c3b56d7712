/**
 * The transport service's one path to the chain: the kit's NamespaceLedger for the `transport`
 * namespace, with the domain's logic per action and its refusals as REST errors.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Gateway } from '@civic/gateway';
import { GATEWAY, LOGGER, METRICS, NamespaceLedger, type Logger } from '@civic/service-kit';
import { transportLogic, TRANSPORT_NAMESPACE, type TransportAction } from '../domain/index.js';
import { violationError, type ViolationJson } from '../http/transport-errors.js';
import type { TransportMetrics } from '../observability/metrics.js';

export type { Written } from '@civic/service-kit';

@Injectable()
export class TransportLedger extends NamespaceLedger<TransportAction, ViolationJson> {
  constructor(
    @Inject(GATEWAY) gateway: Gateway,
    @Inject(METRICS) metrics: TransportMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(gateway, metrics, logger, {
      namespace: TRANSPORT_NAMESPACE,
      logicOf: (action) => transportLogic(action) as never,
      refusal: (violation) => violationError(violation),
    });
  }
}

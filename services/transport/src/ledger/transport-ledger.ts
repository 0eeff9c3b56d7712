/**
 * The transport service's one path to the chain: the kit's NamespaceLedger for the `transport`
 * namespace, with the domain's logic per action and its refusals as REST errors.
 */
import { Injectable } from '@nestjs/common';
import { namespaceLedgerOf } from '@civic/service-kit';
import { transportLogic, TRANSPORT_NAMESPACE, type TransportAction } from '../domain/index.js';
import { violationError, type ViolationJson } from '../http/transport-errors.js';

export type { Written } from '@civic/service-kit';

@Injectable()
export class TransportLedger extends namespaceLedgerOf<TransportAction, ViolationJson>({
  namespace: TRANSPORT_NAMESPACE,
  logicOf: (action) => transportLogic(action),
  refusal: (violation) => violationError(violation),
}) {}

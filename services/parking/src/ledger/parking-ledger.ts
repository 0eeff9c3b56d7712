/**
 * The parking service's one path to the chain: the kit's NamespaceLedger for the `parking`
 * namespace, with the domain's logic per action and its refusals as REST errors.
 */
import { Injectable } from '@nestjs/common';
import { namespaceLedgerOf } from '@civic/service-kit';
import { PARKING_NAMESPACE, type ParkingAction } from '../domain/index.js';
import { violationError, type ViolationJson } from '../http/parking-errors.js';
import { parkingLogic } from './parking-logic.js';

export type { Written } from '@civic/service-kit';

@Injectable()
export class ParkingLedger extends namespaceLedgerOf<ParkingAction, ViolationJson>({
  namespace: PARKING_NAMESPACE,
  logicOf: (action) => parkingLogic(action),
  refusal: (violation) => violationError(violation),
}) {}

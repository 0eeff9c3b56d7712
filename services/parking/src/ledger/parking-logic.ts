/**
 * The parking actions as the gateway runs them, on the creator and on endorsers: the domain's
 * `runParkingAction` (which throws a ParkingRuleViolation on refusal, before any write) turned
 * into the gateway's accept-or-refuse outcome by the kit's `violationLogic`. The violation
 * travels as its JSON, so an endorser's refusal reaches the creator's caller with its rule,
 * message and source.
 */
import type { TxLogic } from '@civic/gateway';
import { namespaceLogicFor, violationLogic } from '@civic/service-kit/rules';
import { isParkingAction, PARKING_NAMESPACE, runParkingAction, type ParkingAction } from '../domain/index.js';
import type { ViolationJson } from '../http/parking-errors.js';

export function parkingLogic<T>(action: ParkingAction): TxLogic<unknown, T, ViolationJson> {
  return violationLogic((ctx, input) => runParkingAction(ctx, action, input));
}

/** What this organisation's endorser runs for a (namespace, action); undefined for anything else. */
export const parkingLogicFor = namespaceLogicFor(PARKING_NAMESPACE, isParkingAction, parkingLogic);

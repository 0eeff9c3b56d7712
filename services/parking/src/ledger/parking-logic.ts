/**
 * The parking actions as the gateway runs them, on the creator and on endorsers: the domain's
 * `runParkingAction` (which throws a ParkingRuleViolation on refusal, before any write) turned
 * into the gateway's accept-or-refuse outcome. The violation travels as its JSON, so an
 * endorser's refusal reaches the creator's caller with its rule, message and source.
 */
import type { EndorsementLogic, LogicOutcome, TxContext, TxLogic } from '@civic/gateway';
import {
  isParkingAction,
  PARKING_NAMESPACE,
  ParkingRuleViolation,
  runParkingAction,
  type ParkingAction,
} from '../domain/index.js';
import type { ViolationJson } from '../http/parking-errors.js';

export function parkingLogic<T>(action: ParkingAction): TxLogic<unknown, T, ViolationJson> {
  return async (ctx: TxContext, input: unknown): Promise<LogicOutcome<T, ViolationJson>> => {
    try {
      return { ok: true, value: (await runParkingAction(ctx, action, input)) as T };
    } catch (error) {
      if (error instanceof ParkingRuleViolation) return { ok: false, violation: error.toJSON() };
      throw error;
    }
  };
}

/** What this organisation's endorser runs for a (namespace, action); undefined for anything else. */
export function parkingLogicFor(namespace: string, action: string): EndorsementLogic | undefined {
  if (namespace !== PARKING_NAMESPACE || !isParkingAction(action)) return undefined;
  const logic = parkingLogic(action);
  return (ctx, input) => logic(ctx, input);
}

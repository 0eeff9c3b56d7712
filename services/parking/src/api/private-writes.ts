/**
 * Private data and its transaction, as one step: the domain's rules run first on the current
 * state (a dry run, nothing written anywhere), then the private records are put, then the
 * transaction is submitted. When the transaction is refused or definitely not committed, the
 * private records are deleted again, so that a refused request leaves no personal data behind.
 * When its fate is unknown (commit timeout) they stay: the transaction may still commit.
 */
import { CommitTimeoutError } from '@civic/gateway';
import type { ParkingAction, PrivateWrite } from '../domain/index.js';
import { txRefOf } from '@civic/service-kit';
import { violationError } from '../http/parking-errors.js';
import type { ParkingLedger, Written } from '../ledger/parking-ledger.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';

export async function writeWithPrivateData<T>(
  ledger: ParkingLedger,
  store: ParkingPrivateStore,
  writes: readonly PrivateWrite[],
  action: ParkingAction,
  input: unknown,
): Promise<Written<T>> {
  await ledger.dryRun(action, input);
  await store.putAll(writes);
  const undo = async () => {
    for (const w of writes) await store.delete(w.collection, w.key);
  };
  let outcome;
  try {
    outcome = await ledger.submit<T>(action, input);
  } catch (error) {
    if (!(error instanceof CommitTimeoutError)) await undo();
    throw error;
  }
  if (outcome.status === 'REFUSED') {
    await undo();
    throw violationError(outcome.violation);
  }
  return { value: outcome.value, tx: txRefOf(outcome) };
}

/**
 * The in-memory world state for tests of the subsidies logic: the gateway's MemoryLedger
 * (`@civic/gateway/testing`, the same RecordingTxContext the service runs on) over the
 * `subsidies` namespace.
 */
import { MemoryLedger as GatewayMemoryLedger } from '@civic/gateway/testing';
import type { DomainEvent } from '@civic/protocol';
import { NAMESPACE } from './keys.js';

export { MemoryCode, type HistoryEntry, type MemoryTx } from '@civic/gateway/testing';
export type RecordedEvent = DomainEvent;

export class MemoryLedger extends GatewayMemoryLedger {
  constructor() {
    super(NAMESPACE);
  }
}

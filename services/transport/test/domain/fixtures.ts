/**
 * A small transport world for domain tests: the gateway's MemoryLedger as the chain, a map per
 * company as its private store, and helpers that run each action the way the services do
 * (`prepareUpload` then `records.upload`).
 */
import { MemoryLedger, type MemoryCode, type MemoryTx } from '@civic/gateway/testing';
import type { ActivityInput } from '../../src/rules/index.js';
import {
  prepareUpload,
  transportLogic,
  TRANSPORT_NAMESPACE,
  type CardRecord,
  type StoredUpload,
  type TransportAction,
  type UploadResult,
} from '../../src/domain/index.js';

export const CARD = 'NB00000000001100';
export const CARD2 = 'NB00000000002200';
export const DRIVER_ID = 'ab'.repeat(32);
/** After the worked timelines of test/rules (which start Monday 2024-01-01). */
export const TX_TIME = '2024-06-01T00:00:00.000Z';

let saltCounter = 0;
export function freshSalt(): string {
  saltCounter += 1;
  return saltCounter.toString(16).padStart(64, '0');
}

/** A refusal as the logic returns it (TransportRuleViolation.toJSON()). */
export interface Violation {
  readonly rule: string;
  readonly category: string;
  readonly message: string;
  readonly errors: readonly { readonly code: string }[];
  readonly [detail: string]: unknown;
}

export type Outcome<T = unknown> =
  | { ok: true; value: T; code: MemoryCode | null; tx: MemoryTx }
  | { ok: false; violation: Violation; code: null; tx: MemoryTx };

export class World {
  readonly ledger = new MemoryLedger(TRANSPORT_NAMESPACE);
  /** Private stores by company: uploadId → salt and canonical content. */
  readonly stores = new Map<string, Map<string, StoredUpload>>();

  async run<T = unknown>(
    mspId: string,
    action: TransportAction,
    input: unknown,
    txTime = TX_TIME,
  ): Promise<Outcome<T>> {
    const { outcome, code, tx } = await this.ledger.run(mspId, txTime, (ctx) =>
      transportLogic(action)(ctx, input),
    );
    return outcome.ok
      ? { ok: true, value: outcome.value as T, code, tx }
      : { ok: false, violation: outcome.violation as unknown as Violation, code: null, tx };
  }

  issue(cardNumber = CARD, overrides: Record<string, unknown> = {}): Promise<Outcome<CardRecord>> {
    return this.run<CardRecord>('RDW', 'card.issue', {
      cardNumber,
      driverId: DRIVER_ID,
      driverKey: null,
      company: 'Haulier',
      validFrom: '2023-06-01',
      validUntil: '2028-05-31',
      ...overrides,
    });
  }

  store(company: string): Map<string, StoredUpload> {
    let store = this.stores.get(company);
    if (store === undefined) this.stores.set(company, (store = new Map()));
    return store;
  }

  /** Prepares and runs an upload as the company's service does; stores it when it commits. */
  async upload(
    activities: readonly ActivityInput[] | unknown,
    options: { company?: string; cardNumber?: string; txTime?: string; extra?: Record<string, unknown> } = {},
  ): Promise<Outcome<UploadResult>> {
    const company = options.company ?? 'Haulier';
    const cardNumber = options.cardNumber ?? CARD;
    const txTime = options.txTime ?? TX_TIME;
    const salt = freshSalt();
    const store = this.store(company);
    const prepared = await prepareUpload({
      reader: this.ledger.reader(),
      load: async (ref) => store.get(ref.uploadId)!,
      company,
      cardNumber,
      records: { activities, ...options.extra },
      salt,
      now: txTime,
    });
    const outcome = await this.run<UploadResult>(company, 'records.upload', prepared.input, txTime);
    if (outcome.ok && outcome.code === 'VALID') {
      store.set(outcome.value.upload.uploadId, { salt, content: prepared.canonical.content });
    }
    return outcome;
  }
}

import { ROOT_CONTEXT, trace, type Context, type Link, type SpanContext } from '@opentelemetry/api';
import { BoundedMap } from './bounded-map.js';

/** The trace of one transaction as the orderer's intake saw it. */
export interface TxTrace {
  /** The intake span (its trace is the change's trace, begun at the REST call). */
  readonly spanContext: SpanContext;
  /** Epoch ms when the envelope was admitted. */
  readonly admittedAtMs: number;
}

/** Transactions remembered at once; beyond it the oldest are forgotten (their blocks get no link). */
export const TX_TRACES_MAX = 20_000;

/**
 * Carries each transaction's trace from the orderer's intake to the block that holds it. The
 * wire contract has no room for trace data in an envelope or a block, so the leader keeps, per
 * txId, the span context of the intake that admitted it; when it publishes the block it makes
 * one `orderer.block` span parented on the first traced transaction and linked to the others,
 * and sends that span's context in the block message's headers, where each peer's commit span
 * picks it up. Only recording (sampled) spans are remembered: with tracing off this stays empty.
 */
export class TxTraces {
  readonly #byTxId: BoundedMap<string, TxTrace>;

  constructor(capacity = TX_TRACES_MAX) {
    this.#byTxId = new BoundedMap(capacity);
  }

  get size(): number {
    return this.#byTxId.size;
  }

  remember(txId: string, spanContext: SpanContext, admittedAtMs: number): void {
    this.#byTxId.set(txId, { spanContext, admittedAtMs });
  }

  /**
   * The traces of a block's transactions (removed from memory): the parent context for the
   * block's span (the first traced transaction's), links to all of them, and the earliest
   * admission time. Null when none of them was traced.
   */
  takeBlock(txIds: readonly string[]): { parent: Context; links: Link[]; firstAdmittedAtMs: number } | null {
    const found: TxTrace[] = [];
    for (const txId of txIds) {
      const entry = this.#byTxId.take(txId);
      if (entry !== undefined) found.push(entry);
    }
    const first = found[0];
    if (first === undefined) return null;
    return {
      parent: trace.setSpanContext(ROOT_CONTEXT, first.spanContext),
      links: found.map((f) => ({ context: f.spanContext })),
      firstAdmittedAtMs: Math.min(...found.map((f) => f.admittedAtMs)),
    };
  }
}

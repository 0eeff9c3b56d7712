import { SpanKind, startSpan, TxTraces, type Span } from '@civic/telemetry';
import { txIdOf, type Block } from '@civic/protocol';

/**
 * The trace of each admitted transaction, kept by this process until its block is published
 * (docs/telemetry.md): intake remembers the span context of the admission, the block publisher
 * makes the block's span from them. One orderer per process, so one registry per process.
 */
export const ORDERER_TX_TRACES = new TxTraces();

/** Ends an intake span with the outcome; an admitted transaction's trace is remembered. */
export function endIntakeSpan(span: Span, reply: { status: string; txId?: string; code?: string }): void {
  span.setAttribute('civic.submit.status', reply.status);
  if (reply.txId !== undefined) span.setAttribute('civic.tx_id', reply.txId);
  if (reply.code !== undefined) span.setAttribute('civic.submit.code', reply.code);
  if (reply.status === 'ACCEPTED' && reply.txId !== undefined && span.isRecording())
    ORDERER_TX_TRACES.remember(reply.txId, span.spanContext(), Date.now());
  span.end();
}

/**
 * The span of a block about to be published, parented on its first traced transaction and
 * linked to all of them, from the first admission to now (batching, Raft, the fsync); its
 * context goes into the block message's headers. Undefined when no transaction was traced
 * here: with tracing off nothing is computed (the registry stays empty, and `blockOf` is not
 * called, so the block need not be parsed).
 */
export function blockSpan(blockOf: () => Block): Span | undefined {
  if (ORDERER_TX_TRACES.size === 0) return undefined;
  const block = blockOf();
  const traced = ORDERER_TX_TRACES.takeBlock(block.envelopes.map((e) => txIdOf(e.payload)));
  if (traced === null) return undefined;
  return startSpan('orderer block', {
    kind: SpanKind.PRODUCER,
    parent: traced.parent,
    links: traced.links,
    startTimeMs: traced.firstAdmittedAtMs,
    attributes: {
      'civic.block': block.header.number,
      'civic.block.tx_count': block.envelopes.length,
      'civic.block.traced_txs': traced.links.length,
    },
  });
}

/**
 * Where a client fetches blocks by number: `.deliver` over NATS, a peer's REST API, files. A
 * source yields blocks `from..to` (inclusive) in order, as parsed blocks, JSON values or wire
 * bytes; it may end early when it has no more.
 */
export type BlockSource = (from: number, to: number) => AsyncIterable<unknown>;

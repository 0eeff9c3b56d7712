import type { Hex } from '@civic/protocol';

/**
 * The txIds this orderer must refuse as duplicates: those in the chain and those accepted,
 * remembered for a bounded time. Intake refuses any envelope whose txTime is more than
 * `windowMs` from its clock; a txId is a hash over the payload, txTime included, so a
 * duplicate of a remembered transaction has the same txTime and is remembered until
 * `txTime + windowMs + marginMs`, past which intake refuses it for its txTime anyway. The
 * margin covers clock differences between orderers. Memory is bounded by `entriesMax`.
 */
export interface TxIdWindowOptions {
  /** Most distance between a txTime and the clock at intake. Longer: more memory; shorter: clients must resubmit sooner. */
  readonly windowMs: number;
  /** Extra retention for clock skew between orderers. */
  readonly marginMs: number;
  /** Most txIds held; admissions beyond it are refused (OVERLOADED) rather than forgotten. */
  readonly entriesMax: number;
}

export class TxIdWindow {
  private readonly expiries = new Map<Hex, number>();
  /** Bucket (expiry / bucketMs, floored) → txIds expiring in it: eviction without a scan. */
  private readonly buckets = new Map<number, Hex[]>();
  private readonly bucketMs: number;

  constructor(readonly options: TxIdWindowOptions) {
    const { windowMs, marginMs, entriesMax } = options;
    if (!Number.isSafeInteger(windowMs) || windowMs < 1)
      throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`);
    if (!Number.isSafeInteger(marginMs) || marginMs < 0)
      throw new RangeError(`marginMs must be an integer ≥ 0, got ${marginMs}`);
    if (!Number.isSafeInteger(entriesMax) || entriesMax < 1)
      throw new RangeError(`entriesMax must be a positive integer, got ${entriesMax}`);
    this.bucketMs = Math.max(1000, Math.ceil((windowMs + marginMs) / 64));
  }

  get size(): number {
    return this.expiries.size;
  }

  get full(): boolean {
    return this.expiries.size >= this.options.entriesMax;
  }

  has(txId: Hex): boolean {
    return this.expiries.has(txId);
  }

  /** Remembers `txId` (a transaction of `txTimeMs`). Chain txIds pass `force`: they are never refused. */
  add(txId: Hex, txTimeMs: number, force = false): boolean {
    if (this.expiries.has(txId)) return true;
    if (!force && this.full) return false;
    const expiry = txTimeMs + this.options.windowMs + this.options.marginMs;
    this.expiries.set(txId, expiry);
    const bucket = Math.floor(expiry / this.bucketMs);
    const list = this.buckets.get(bucket);
    if (list === undefined) this.buckets.set(bucket, [txId]);
    else list.push(txId);
    return true;
  }

  /** Whether a transaction of `txTimeMs` would still be remembered at `nowMs`. */
  covers(txTimeMs: number, nowMs: number): boolean {
    return txTimeMs + this.options.windowMs + this.options.marginMs > nowMs;
  }

  /** Forgets txIds whose retention ended before `nowMs`; returns how many. */
  evict(nowMs: number): number {
    const current = Math.floor(nowMs / this.bucketMs);
    let evicted = 0;
    for (const [bucket, txIds] of this.buckets) {
      if (bucket >= current) continue;
      for (const txId of txIds) if (this.expiries.delete(txId)) evicted += 1;
      this.buckets.delete(bucket);
    }
    return evicted;
  }
}

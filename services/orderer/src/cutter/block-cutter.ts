/**
 * The block cutter: which envelopes go into which block, as a pure state machine fed with
 * envelopes and clock values (no timers: the leader asks `deadline()` and calls `cutIfDue`).
 * Fabric's rules, with a config transaction always alone in its block:
 *
 * - a config transaction cuts what is pending, then forms a block of its own;
 * - an envelope larger than `preferredMaxBytes` cuts what is pending, then forms a block of its own;
 * - an envelope that would push the pending bytes over `preferredMaxBytes` cuts first;
 * - the pending batch is cut when it reaches `maxMessageCount`, or `timeoutMs` after its first
 *   envelope arrived.
 *
 * So a block never has more than `maxMessageCount` envelopes, nor more than `preferredMaxBytes`
 * of envelopes unless it holds a single one (≤ `absoluteMaxBytes`, which intake enforces).
 */
export interface BatchLimits {
  readonly maxMessageCount: number;
  readonly preferredMaxBytes: number;
  readonly absoluteMaxBytes: number;
  readonly timeoutMs: number;
}

export interface Cuttable {
  /** Bytes the envelope counts for (its canonical JSON). */
  readonly size: number;
  readonly isConfig: boolean;
}

export class BlockCutter<T extends Cuttable> {
  private pending: T[] = [];
  private pendingBytesNow = 0;
  private firstAtMs: number | null = null;

  constructor(private limits: BatchLimits) {
    checkLimits(limits);
  }

  /** New limits (a config block committed); they apply from the next envelope on. */
  setLimits(limits: BatchLimits): void {
    checkLimits(limits);
    this.limits = limits;
  }

  get currentLimits(): BatchLimits {
    return this.limits;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get pendingBytes(): number {
    return this.pendingBytesNow;
  }

  /** Adds an envelope arriving at `nowMs`; returns the batches this cuts (0 to 2), in order. */
  add(item: T, nowMs: number): T[][] {
    if (item.size > this.limits.absoluteMaxBytes) {
      throw new RangeError(
        `envelope of ${item.size} bytes exceeds absoluteMaxBytes ${this.limits.absoluteMaxBytes}`,
      );
    }
    const cut: T[][] = [];
    if (item.isConfig || item.size > this.limits.preferredMaxBytes) {
      if (this.pending.length > 0) cut.push(this.take());
      cut.push([item]);
      return cut;
    }
    if (this.pendingBytesNow + item.size > this.limits.preferredMaxBytes) cut.push(this.take());
    if (this.pending.length === 0) this.firstAtMs = nowMs;
    this.pending.push(item);
    this.pendingBytesNow += item.size;
    if (this.pending.length >= this.limits.maxMessageCount) cut.push(this.take());
    return cut;
  }

  /** When the pending batch is due (epoch ms), or null when nothing is pending. */
  deadline(): number | null {
    return this.firstAtMs === null ? null : this.firstAtMs + this.limits.timeoutMs;
  }

  /** The pending batch if its timeout has passed at `nowMs`, else null. */
  cutIfDue(nowMs: number): T[] | null {
    const due = this.deadline();
    return due !== null && nowMs >= due ? this.take() : null;
  }

  /** Drops the pending batch (a deposed leader) and returns what it held. */
  clear(): T[] {
    return this.take();
  }

  private take(): T[] {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytesNow = 0;
    this.firstAtMs = null;
    return batch;
  }
}

function checkLimits(limits: BatchLimits): void {
  const { maxMessageCount, preferredMaxBytes, absoluteMaxBytes, timeoutMs } = limits;
  for (const [name, value] of Object.entries({
    maxMessageCount,
    preferredMaxBytes,
    absoluteMaxBytes,
    timeoutMs,
  })) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`batch ${name} must be a positive integer, got ${value}`);
  }
  if (preferredMaxBytes > absoluteMaxBytes) {
    throw new RangeError(
      `batch preferredMaxBytes ${preferredMaxBytes} exceeds absoluteMaxBytes ${absoluteMaxBytes}`,
    );
  }
}

import { assert } from './errors.js';

/**
 * The append messages sent to one follower and not yet acknowledged, as a ring of
 * (last index, bytes). Full when either the count or the byte bound is reached: the leader then
 * pauses replication to that follower (flow control, bounded memory).
 */
export class Inflights {
  private readonly lastIndexes: number[];
  private readonly sizes: number[];
  private start = 0;
  private count = 0;
  private bytes = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
  ) {
    assert(capacity > 0 && maxBytes > 0, 'inflights bounds must be positive');
    this.lastIndexes = new Array<number>(capacity).fill(0);
    this.sizes = new Array<number>(capacity).fill(0);
  }

  /** Records a message whose last entry is `lastIndex`. Indexes must increase. */
  add(lastIndex: number, bytes: number): void {
    assert(!this.full(), 'inflights are full');
    if (this.count > 0) {
      const newest = this.lastIndexes[(this.start + this.count - 1) % this.capacity] as number;
      assert(lastIndex > newest, `inflight index ${lastIndex} does not follow ${newest}`);
    }
    const slot = (this.start + this.count) % this.capacity;
    this.lastIndexes[slot] = lastIndex;
    this.sizes[slot] = bytes;
    this.count++;
    this.bytes += bytes;
  }

  /** Frees every message whose last index is ≤ `index` (they are acknowledged). */
  freeLE(index: number): void {
    while (this.count > 0 && (this.lastIndexes[this.start] as number) <= index) {
      this.bytes -= this.sizes[this.start] as number;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
    if (this.count === 0) this.start = 0;
  }

  /** Frees the oldest message (it was probably lost): lets one probe through a full window. */
  freeFirstOne(): void {
    if (this.count > 0) this.freeLE(this.lastIndexes[this.start] as number);
  }

  full(): boolean {
    return this.count === this.capacity || this.bytes >= this.maxBytes;
  }

  size(): number {
    return this.count;
  }

  sizeBytes(): number {
    return this.bytes;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
    this.bytes = 0;
  }
}

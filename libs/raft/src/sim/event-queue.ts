/**
 * The simulator's agenda: a binary min-heap of callbacks ordered by (time, insertion order),
 * so two events at the same microsecond always run in the order they were scheduled.
 */
interface Scheduled {
  readonly timeUs: number;
  readonly seq: number;
  readonly run: () => void;
}

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;

  constructor(private readonly maxEvents: number) {}

  get size(): number {
    return this.heap.length;
  }

  schedule(timeUs: number, run: () => void): void {
    if (this.heap.length >= this.maxEvents)
      throw new Error(`event queue exceeds its bound of ${this.maxEvents}`);
    const item: Scheduled = { timeUs, seq: this.seq++, run };
    const heap = this.heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent] as Scheduled)) break;
      heap[i] = heap[parent] as Scheduled;
      i = parent;
    }
    heap[i] = item;
  }

  /** Removes and returns the earliest event, or undefined when empty. */
  pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    const n = heap.length;
    while (true) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right] as Scheduled, heap[left] as Scheduled) ? right : left;
      if (!before(heap[child] as Scheduled, last)) break;
      heap[i] = heap[child] as Scheduled;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  peekTime(): number | undefined {
    return this.heap[0]?.timeUs;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}

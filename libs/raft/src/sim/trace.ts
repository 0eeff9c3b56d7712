import { StringHash } from './hash.js';

/**
 * The event trace of one run: every line feeds the trace hash (two runs of a seed must give
 * the same hash); the last `tailLines` are kept for a failure report, or all with `keepAll`.
 */
export class Trace {
  private readonly hash = new StringHash();
  private readonly tail: string[] = [];
  private next = 0;
  readonly all: string[] | null;
  lines = 0;

  constructor(
    private readonly tailLines: number,
    keepAll: boolean,
  ) {
    this.all = keepAll ? [] : null;
  }

  record(timeUs: number, line: string): void {
    const text = `${timeUs} ${line}`;
    this.hash.update(text);
    this.lines++;
    if (this.all !== null) this.all.push(text);
    if (this.tailLines === 0) return;
    if (this.tail.length < this.tailLines) this.tail.push(text);
    else this.tail[this.next] = text;
    this.next = (this.next + 1) % this.tailLines;
  }

  /** The last lines, oldest first. */
  lastLines(): string[] {
    if (this.tail.length < this.tailLines) return [...this.tail];
    return [...this.tail.slice(this.next), ...this.tail.slice(0, this.next)];
  }

  hashHex(): string {
    return this.hash.hex();
  }
}

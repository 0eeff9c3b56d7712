import type { Entry, Snapshot } from './types.js';

/**
 * The part of the log not yet persisted: entries (and possibly a snapshot before them) that the
 * next Ready hands to the driver. `offset` is the index of entries[0]; everything before it is
 * in Storage (or in `snapshot`).
 */
export class Unstable {
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];

  constructor(public offset: number) {}

  /** The first index known from an unstable snapshot. */
  maybeFirstIndex(): number | undefined {
    return this.snapshot === null ? undefined : this.snapshot.metadata.index + 1;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot === null ? undefined : this.snapshot.metadata.index;
  }

  maybeTerm(index: number): number | undefined {
    if (index < this.offset) {
      const snap = this.snapshot;
      return snap !== null && snap.metadata.index === index ? snap.metadata.term : undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || index > last) return undefined;
    return (this.entries[index - this.offset] as Entry).term;
  }

  /**
   * Entries up to (index, term) were persisted. Ignored when the entry at `index` has changed
   * meanwhile (a newer leader replaced it after the Ready was taken).
   */
  stableTo(index: number, term: number): void {
    if (index < this.offset) return;
    if (this.maybeTerm(index) !== term) return;
    this.entries = this.entries.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  stableSnapTo(index: number): void {
    if (this.snapshot !== null && this.snapshot.metadata.index === index) this.snapshot = null;
  }

  restore(snapshot: Snapshot): void {
    this.offset = snapshot.metadata.index + 1;
    this.entries = [];
    this.snapshot = snapshot;
  }

  /** Appends, replacing any entries at or after the first new index. */
  truncateAndAppend(entries: readonly Entry[]): void {
    const first = (entries[0] as Entry).index;
    if (first === this.offset + this.entries.length) {
      for (const entry of entries) this.entries.push(entry);
    } else if (first <= this.offset) {
      // Replaces everything unstable; Storage's conflicting suffix is overwritten when persisted.
      this.offset = first;
      this.entries = [...entries];
    } else {
      this.entries = this.entries.slice(0, first - this.offset).concat(entries);
    }
  }
}

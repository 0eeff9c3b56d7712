import { entrySizeBytes } from './config.js';
import { assert, CompactedError, CorruptStateError } from './errors.js';
import { limitSize } from './memory-storage.js';
import type { Storage } from './storage.js';
import type { Entry, Snapshot } from './types.js';
import { Unstable } from './unstable.js';

/**
 * The log as one node sees it: Storage (persisted) followed by Unstable (not yet persisted),
 * plus the commit and apply positions. committed ≤ lastIndex, applied ≤ committed.
 */
export class RaftLog {
  readonly unstable: Unstable;
  committed: number;
  applied: number;

  constructor(
    readonly storage: Storage,
    private readonly maxCommittedBytes: number,
  ) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    const term = this.term(this.lastIndex());
    assert(term !== undefined, 'the last entry has no term');
    return term;
  }

  /** The term at `index`, or undefined when the index is compacted away or past the end. */
  term(index: number): number | undefined {
    const dummy = this.firstIndex() - 1;
    if (index < dummy || index > this.lastIndex()) return undefined;
    return this.unstable.maybeTerm(index) ?? this.storage.term(index);
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Candidates' logs at least as up to date as ours get our vote (Raft §5.4.1). */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** Appends entries after the committed prefix (a leader or a follower's accepted suffix). */
  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const after = (entries[0] as Entry).index - 1;
    assert(after >= this.committed, `append after ${after} would overwrite committed ${this.committed}`);
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /**
   * A follower's append: if our entry at prevIndex has prevTerm, keep what matches, replace
   * from the first conflict, commit up to min(leaderCommit, last new index). Returns the last
   * new index, or undefined when prevIndex/prevTerm do not match.
   */
  maybeAppend(
    prevIndex: number,
    prevTerm: number,
    leaderCommit: number,
    entries: readonly Entry[],
  ): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      assert(
        conflict > this.committed,
        `entry ${conflict} conflicts with the committed log (commit ${this.committed})`,
      );
      this.append(entries.slice(conflict - prevIndex - 1));
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** The first index whose term differs from ours (or that we lack), 0 when all match. */
  private findConflict(entries: readonly Entry[]): number {
    for (const entry of entries) {
      if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    }
    return 0;
  }

  /**
   * The largest index ≤ `index` whose term is ≤ `term`, with that term (0 when unknown): lets a
   * leader skip a whole term of conflicting entries per round trip (Raft §5.3 optimization).
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    const floor = this.firstIndex() - 1;
    for (let i = Math.min(index, this.lastIndex()); i >= floor; i--) {
      const ourTerm = this.term(i);
      if (ourTerm === undefined) return { index: i, term: 0 };
      if (ourTerm <= term) return { index: i, term: ourTerm };
    }
    return { index: floor, term: 0 };
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) {
      throw new CorruptStateError(`commit index ${index} is past the last index ${this.lastIndex()}`);
    }
    this.committed = index;
  }

  /**
   * The leader's commit rule: commit `index` only if its entry is of the current term (Raft
   * §5.4.2, Figure 8); earlier entries commit with it. `unsafeAnyTerm` exists only so that the
   * simulator can prove it catches the violation.
   */
  maybeCommit(index: number, term: number, unsafeAnyTerm: boolean): boolean {
    if (index <= this.committed) return false;
    if (!unsafeAnyTerm && this.term(index) !== term) return false;
    this.commitTo(index);
    return true;
  }

  appliedTo(index: number): void {
    if (index === 0) return;
    assert(
      index <= this.committed && index >= this.applied,
      `applied ${index} out of [${this.applied}, ${this.committed}]`,
    );
    this.applied = index;
  }

  /** Entries [lo, lastIndex] within maxBytes, or undefined when lo is compacted. */
  entriesFrom(lo: number, maxBytes: number): Entry[] | undefined {
    if (lo < this.firstIndex()) return undefined;
    return this.slice(lo, this.lastIndex() + 1, maxBytes);
  }

  /** Entries [lo, hi) within maxBytes (at least one). lo must not be compacted. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    const first = this.firstIndex();
    if (lo < first) throw new CompactedError(lo, first);
    assert(hi <= this.lastIndex() + 1, `slice end ${hi} past last index ${this.lastIndex()}`);
    if (lo >= hi) return [];
    const offset = this.unstable.offset;
    if (hi <= offset) return this.storage.entries(lo, hi, maxBytes);
    if (lo >= offset) return limitSize(this.unstable.entries, lo - offset, hi - offset, maxBytes);
    const result = this.storage.entries(lo, offset, maxBytes);
    if (lo + result.length < offset) return result; // the byte limit was reached in Storage
    let bytes = 0;
    for (const entry of result) bytes += entrySizeBytes(entry);
    for (let index = offset; index < hi; index++) {
      const entry = this.unstable.entries[index - offset] as Entry;
      bytes += entrySizeBytes(entry);
      if (bytes > maxBytes) break;
      result.push(entry);
    }
    return result;
  }

  /** Committed entries not yet applied, within maxCommittedBytes. */
  nextCommittedEntries(): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (lo > this.committed) return [];
    return this.slice(lo, this.committed + 1, this.maxCommittedBytes);
  }

  hasNextCommittedEntries(): boolean {
    return Math.max(this.applied + 1, this.firstIndex()) <= this.committed;
  }

  /** The newest snapshot, unstable first. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  restore(snapshot: Snapshot): void {
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }

  /** The last index that is persisted and still part of this log (0 while a snapshot is not). */
  persistedIndex(): number {
    return this.unstable.snapshot === null ? this.unstable.offset - 1 : 0;
  }

  /** Entries not yet persisted (a copy, safe to hand to the driver). */
  unstableEntries(): Entry[] {
    return this.unstable.entries.slice();
  }
}

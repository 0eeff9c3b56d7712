import type { Raft } from '../raft.js';
import type { Ready } from '../ready.js';
import type { Entry, Message, NodeId, Snapshot } from '../types.js';
import { MessageType, Role } from '../types.js';
import type { SimHost } from './host.js';
import { decodeAppState, entryDigest } from './host.js';

export const Invariant = {
  OneLeaderPerTerm: 'one leader per term',
  LogMatching: 'log matching',
  LeaderCompleteness: 'leader completeness',
  CommittedNeverChanges: 'a committed entry never changes',
  AppliedPrefix: 'applied sequences are prefixes of one another',
  AppliedCommittedOnly: 'only committed entries are applied',
  TermMonotonic: 'term never decreases',
  CommitMonotonic: 'commit index never decreases',
  VoteOncePerTerm: 'one vote per term',
  AckedDurable: 'acknowledged entries are in every later leader log',
  Liveness: 'one stable leader and every node caught up after a heal',
  Exception: 'no exception escapes the state machine',
} as const;
export type Invariant = (typeof Invariant)[keyof typeof Invariant];

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
  constructor(
    readonly invariant: Invariant,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

function violate(invariant: Invariant, detail: string): never {
  throw new InvariantViolation(invariant, detail);
}

interface CommittedEntry {
  readonly term: number;
  readonly digest: number;
  /** The term of the node that first saw it committed: it was committed at or before this term. */
  readonly atTerm: number;
}

interface Ack {
  readonly proposalId: string;
  readonly index: number;
  readonly term: number;
  readonly digest: number;
  /** Committed at or before this term: every leader of this term or a later one must hold it. */
  readonly atTerm: number;
}

/**
 * Checks Raft's safety properties incrementally, after every event, over the real state of
 * every node (not over what nodes claim in messages). Each check costs O(what changed), so
 * that it can run after every event of long campaigns.
 */
export class InvariantChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** (index, term) → identity of the entry and of its predecessor's term, across all logs. */
  private readonly logIdentity = new Map<string, { digest: number; prevTerm: number }>();
  private readonly committed: (CommittedEntry | undefined)[] = [];
  private committedMax = 0;
  /** index → application digest after applying it (the canonical applied sequence). */
  private readonly appliedDigests: (number | undefined)[] = [];
  private readonly votes = new Map<string, NodeId>();
  readonly acks: Ack[] = [];

  constructor(private readonly hosts: readonly SimHost[]) {
    // The bootstrap snapshot: index 1, term 1, empty application state.
    this.committed[1] = { term: 1, digest: 0, atTerm: 1 };
    this.appliedDigests[1] = 0;
    this.committedMax = 1;
  }

  committedCount(): number {
    return this.committedMax;
  }

  /** After any event on `host`: the in-memory state of its process. */
  observe(host: SimHost): void {
    const r = host.raft;
    if (r === null) return;
    if (r.term < host.seenTerm)
      violate(Invariant.TermMonotonic, `${host.id} went from term ${host.seenTerm} to ${r.term}`);
    if (r.log.committed < host.seenCommit) {
      violate(
        Invariant.CommitMonotonic,
        `${host.id} went from commit ${host.seenCommit} to ${r.log.committed}`,
      );
    }
    if (r.term === host.seenTerm && host.seenVote !== null && r.vote !== host.seenVote) {
      violate(
        Invariant.VoteOncePerTerm,
        `${host.id} changed its vote in term ${r.term} from ${host.seenVote} to ${r.vote}`,
      );
    }
    const becameLeader =
      r.role === Role.Leader && (host.seenRole !== Role.Leader || host.seenTerm !== r.term);
    if (r.role === Role.Leader) {
      const other = this.leaderOfTerm.get(r.term);
      if (other !== undefined && other !== host.id)
        violate(Invariant.OneLeaderPerTerm, `${other} and ${host.id} both lead term ${r.term}`);
      this.leaderOfTerm.set(r.term, host.id);
    }
    if (r.log.committed > host.checkedCommit) {
      this.recordCommitted(host, r, host.checkedCommit + 1, r.log.committed);
      host.checkedCommit = r.log.committed;
    }
    if (becameLeader) {
      this.checkLeaderHasCommitted(host, r, 1);
      this.checkLeaderHasAcks(host, r);
    }
    host.seenTerm = r.term;
    host.seenCommit = r.log.committed;
    host.seenVote = r.vote;
    host.seenRole = r.role;
  }

  private checkIdentity(id: NodeId, entry: Entry, prevTerm: number): void {
    const key = `${entry.index}:${entry.term}`;
    const digest = entryDigest(entry);
    const known = this.logIdentity.get(key);
    if (known === undefined) {
      this.logIdentity.set(key, { digest, prevTerm });
      return;
    }
    if (known.digest !== digest)
      violate(
        Invariant.LogMatching,
        `${id} holds a different entry at index ${entry.index} term ${entry.term}`,
      );
    if (prevTerm !== -1 && known.prevTerm !== -1 && known.prevTerm !== prevTerm) {
      violate(
        Invariant.LogMatching,
        `${id}: entry ${entry.index} term ${entry.term} follows term ${prevTerm}, elsewhere ${known.prevTerm}`,
      );
    }
  }

  private recordCommitted(host: SimHost, r: Raft, lo: number, hi: number): void {
    const from = Math.max(lo, r.log.firstIndex());
    if (from > hi) return;
    const entries = r.log.slice(from, hi + 1, Number.MAX_SAFE_INTEGER);
    let fresh = false;
    for (const entry of entries) {
      const digest = entryDigest(entry);
      const known = this.committed[entry.index];
      if (known === undefined) {
        this.committed[entry.index] = { term: entry.term, digest, atTerm: r.term };
        fresh = true;
      } else if (known.term !== entry.term || known.digest !== digest) {
        violate(
          Invariant.CommittedNeverChanges,
          `${host.id} committed index ${entry.index} term ${entry.term}, committed before with term ${known.term}`,
        );
      }
    }
    if (hi > this.committedMax) this.committedMax = hi;
    if (!fresh) return;
    // Newly committed entries must already be in the log of every leader of this term or later.
    for (const other of this.hosts) {
      const lr = other.raft;
      if (lr !== null && lr.role === Role.Leader && lr.term >= r.term)
        this.checkLeaderHasCommitted(other, lr, from);
    }
  }

  /** Leader completeness: every entry committed at or before the leader's term is in its log. */
  private checkLeaderHasCommitted(host: SimHost, r: Raft, fromIndex: number): void {
    const first = r.log.firstIndex();
    const snapIndex = first - 1;
    const snapKnown = this.committed[snapIndex];
    if (snapIndex >= fromIndex && snapKnown !== undefined && snapKnown.term !== r.log.term(snapIndex)) {
      violate(
        Invariant.LeaderCompleteness,
        `leader ${host.id} (term ${r.term}) has a snapshot at ${snapIndex} of another term`,
      );
    }
    const lo = Math.max(first, fromIndex);
    const last = r.log.lastIndex();
    for (let index = lo; index <= this.committedMax; index++) {
      const known = this.committed[index];
      if (known === undefined || known.atTerm > r.term) continue;
      if (index > last)
        violate(
          Invariant.LeaderCompleteness,
          `leader ${host.id} (term ${r.term}) lacks committed index ${index}`,
        );
    }
    if (lo > Math.min(last, this.committedMax)) return;
    const entries = r.log.slice(lo, Math.min(last, this.committedMax) + 1, Number.MAX_SAFE_INTEGER);
    for (const entry of entries) {
      const known = this.committed[entry.index];
      if (known === undefined || known.atTerm > r.term) continue;
      if (known.term !== entry.term || known.digest !== entryDigest(entry)) {
        violate(
          Invariant.LeaderCompleteness,
          `leader ${host.id} (term ${r.term}) has another entry at committed index ${entry.index}`,
        );
      }
    }
  }

  private checkLeaderHasAcks(host: SimHost, r: Raft): void {
    const first = r.log.firstIndex();
    const last = r.log.lastIndex();
    for (const ack of this.acks) {
      // A leader of an earlier term may be elected later in real time (its votes were late);
      // Leader Completeness speaks of leaders of later terms.
      if (ack.atTerm > r.term) continue;
      if (ack.index < first - 1) continue; // inside the leader's snapshot (checked by digests)
      if (ack.index > last || r.log.term(ack.index) !== ack.term) {
        violate(
          Invariant.AckedDurable,
          `leader ${host.id} (term ${r.term}) lacks acknowledged ${ack.proposalId} at ${ack.index}`,
        );
      }
    }
  }

  /**
   * Before a Ready's writes become durable: the disk's term, commit and vote, and log matching
   * of the entries written. (Entries only in memory vanish in a crash without a trace: a lone
   * node may then reuse a term it never persisted, legitimately.)
   */
  onPersist(host: SimHost, ready: Ready): void {
    const first = ready.entries[0];
    if (first !== undefined) {
      let prevTerm = -1;
      const snap = ready.snapshot;
      if (snap !== null && snap.metadata.index === first.index - 1) prevTerm = snap.metadata.term;
      else if (
        first.index - 1 >= host.storage.firstIndex() - 1 &&
        first.index - 1 <= host.storage.lastIndex()
      ) {
        prevTerm = host.storage.term(first.index - 1);
      }
      for (let i = 0; i < ready.entries.length; i++) {
        const entry = ready.entries[i] as Entry;
        this.checkIdentity(host.id, entry, i === 0 ? prevTerm : (ready.entries[i - 1] as Entry).term);
      }
    }
    const hard = ready.hardState;
    if (hard === null) return;
    const before = host.durable;
    if (hard.term < before.term)
      violate(Invariant.TermMonotonic, `${host.id} persists term ${hard.term} after ${before.term}`);
    if (hard.commit < before.commit)
      violate(Invariant.CommitMonotonic, `${host.id} persists commit ${hard.commit} after ${before.commit}`);
    if (hard.term === before.term && before.vote !== null && hard.vote !== before.vote) {
      violate(
        Invariant.VoteOncePerTerm,
        `${host.id} persists a vote for ${hard.vote} in term ${hard.term}, after ${before.vote}`,
      );
    }
  }

  /** Every message leaving a node: votes granted, and terms never going back (across restarts). */
  onSend(host: SimHost, message: Message): void {
    if (message.type === MessageType.VoteResp && !message.reject) {
      const key = `${host.id}/${message.term}`;
      const earlier = this.votes.get(key);
      if (earlier !== undefined && earlier !== message.to) {
        violate(
          Invariant.VoteOncePerTerm,
          `${host.id} granted its term ${message.term} vote to ${earlier} and ${message.to}`,
        );
      }
      this.votes.set(key, message.to);
    }
    // Pre-vote requests and grants carry a prospective term, not the sender's.
    const prospective =
      message.type === MessageType.PreVote || (message.type === MessageType.PreVoteResp && !message.reject);
    if (prospective) return;
    if (message.term < host.sentTerm) {
      violate(
        Invariant.TermMonotonic,
        `${host.id} sent ${message.type} at term ${message.term} after term ${host.sentTerm}`,
      );
    }
    host.sentTerm = message.term;
  }

  onInstallSnapshot(host: SimHost, snapshot: Snapshot): void {
    const { index, term } = snapshot.metadata;
    const known = this.committed[index];
    if (known === undefined || known.term !== term) {
      violate(
        Invariant.AppliedCommittedOnly,
        `${host.id} installs a snapshot at ${index} term ${term} that is not committed`,
      );
    }
    const digest = decodeAppState(snapshot.data).digest;
    if (this.appliedDigests[index] !== digest) {
      violate(
        Invariant.AppliedPrefix,
        `${host.id} installs a snapshot at ${index} whose state differs from what was applied`,
      );
    }
  }

  /** After `host` applied `entry` (host.app is the state after it). */
  onApply(host: SimHost, entry: Entry): void {
    const known = this.committed[entry.index];
    if (known === undefined)
      violate(
        Invariant.AppliedCommittedOnly,
        `${host.id} applied index ${entry.index}, never seen committed`,
      );
    if (known.term !== entry.term || known.digest !== entryDigest(entry)) {
      violate(
        Invariant.AppliedCommittedOnly,
        `${host.id} applied index ${entry.index} term ${entry.term}, committed with term ${known.term}`,
      );
    }
    const canonical = this.appliedDigests[entry.index];
    if (canonical === undefined) this.appliedDigests[entry.index] = host.app.digest;
    else if (canonical !== host.app.digest)
      violate(Invariant.AppliedPrefix, `${host.id} state after index ${entry.index} differs`);
  }

  /** A client was told its entry is committed. */
  onAck(proposalId: string, entry: Entry): void {
    const atTerm = this.committed[entry.index]?.atTerm ?? entry.term;
    this.acks.push({ proposalId, index: entry.index, term: entry.term, digest: entryDigest(entry), atTerm });
  }

  /** End of run: every durable log checked in full against the committed entries and each other. */
  finalAudit(): void {
    for (const host of this.hosts) {
      const storage = host.storage;
      const first = storage.firstIndex();
      const entries = storage.entries(first, storage.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
      const committed = storage.hardStateNow().commit;
      entries.forEach((entry, i) => {
        const prevTerm = i === 0 ? storage.term(entry.index - 1) : (entries[i - 1] as Entry).term;
        this.checkIdentity(host.id, entry, prevTerm);
        const known = this.committed[entry.index];
        if (
          entry.index <= committed &&
          known !== undefined &&
          (known.term !== entry.term || known.digest !== entryDigest(entry))
        ) {
          violate(
            Invariant.CommittedNeverChanges,
            `${host.id} holds another entry at committed index ${entry.index}`,
          );
        }
      });
    }
  }
}

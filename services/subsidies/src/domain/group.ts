/**
 * The single undertaking (Art. 2(2) of Regulation (EU) 2023/2831) found by point reads.
 *
 * Undertakings with any of the four control relations, directly or "through one or more other
 * undertakings" (Art. 2(2), last subparagraph), are one single undertaking: the connected
 * component of the control graph, in both directions, so a parent, its subsidiaries and their
 * sister companies all belong to it. Mergers (Art. 3(8)) join the histories the same way, through
 * the `absorbed`/`mergedInto` fields. The search does not pass through a public body (recital 4):
 * two undertakings each linked only to the same public body are not linked to each other.
 *
 * Every record visited is a point read, so any concurrent change of links or of the merger records
 * of a member invalidates a decision that counted the group.
 */
import { keys } from './keys.js';
import { MAX_GROUP_MEMBERS } from './limits.js';
import type { AidRegister, UndertakingRecord } from './records.js';
import { type Outcome, RuleCode, accept, refuse } from './violations.js';

/** What the domain needs from state: a point read. A TxContext is one; so is a peer query client. */
export interface StateReader {
  get<T = unknown>(key: string): Promise<T | undefined>;
}

export interface SingleUndertaking {
  /** The undertaking the search started from. */
  readonly kvk: string;
  /** Every KvK number counted as the single undertaking, sorted, including `kvk`. */
  readonly members: readonly string[];
  readonly records: ReadonlyMap<string, UndertakingRecord>;
}

/** The single undertaking `kvk` belongs to; refused when `kvk` or a linked record is not registered. */
export async function findSingleUndertaking(
  reader: StateReader,
  kvk: string,
): Promise<Outcome<SingleUndertaking>> {
  const records = new Map<string, UndertakingRecord>();
  const queue = [kvk];
  // Bound: each iteration adds one member, and the loop refuses past MAX_GROUP_MEMBERS.
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (records.has(current)) continue;
    if (records.size >= MAX_GROUP_MEMBERS) {
      return refuse(
        RuleCode.LIMIT_EXCEEDED,
        `single undertaking of ${kvk} has more than ${MAX_GROUP_MEMBERS} members`,
        {
          bound: 'MAX_GROUP_MEMBERS',
          limit: MAX_GROUP_MEMBERS,
        },
      );
    }
    const record = await reader.get<UndertakingRecord>(keys.undertaking(current));
    if (record === undefined) {
      const where = current === kvk ? '' : ` (linked from the single undertaking of ${kvk})`;
      return refuse(RuleCode.UNDERTAKING_NOT_FOUND, `undertaking ${current} is not registered${where}`, {
        key: keys.undertaking(current),
      });
    }
    records.set(current, record);
    if (record.publicBody && current !== kvk) continue;
    for (const next of neighbours(record)) if (!records.has(next)) queue.push(next);
  }
  const members = [...records.keys()].filter((m) => m === kvk || !records.get(m)!.publicBody).sort();
  return accept({ kvk, members, records });
}

/** The undertaking alone, for rules that do not count the group (aid that is not de minimis aid). */
export async function findUndertaking(reader: StateReader, kvk: string): Promise<Outcome<SingleUndertaking>> {
  const record = await reader.get<UndertakingRecord>(keys.undertaking(kvk));
  if (record === undefined) {
    return refuse(RuleCode.UNDERTAKING_NOT_FOUND, `undertaking ${kvk} is not registered`, {
      key: keys.undertaking(kvk),
    });
  }
  return accept({ kvk, members: [kvk], records: new Map([[kvk, record]]) });
}

/** The aid registers of every member, read by key in member order (absent registers are empty). */
export async function readRegisters(
  reader: StateReader,
  members: readonly string[],
): Promise<ReadonlyMap<string, AidRegister>> {
  const registers = new Map<string, AidRegister>();
  for (const member of members) {
    const register = await reader.get<AidRegister>(keys.aidRegister(member));
    registers.set(member, register ?? { kvk: member, entries: [] });
  }
  return registers;
}

function neighbours(record: UndertakingRecord): string[] {
  const linked = [
    ...record.controls.map((link) => link.kvk),
    ...record.controlledBy.map((link) => link.kvk),
    ...record.absorbed,
    ...(record.mergedInto === null ? [] : [record.mergedInto]),
  ];
  return [...new Set(linked)].sort();
}

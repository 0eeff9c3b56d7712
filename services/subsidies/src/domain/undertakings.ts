/**
 * Undertakings, their control links and mergers. Any authority on the ledger may record them
 * (after checking the trade register off-chain); each is one transaction that writes the records
 * of both ends, so the group search (group.ts) sees the same links from either side.
 */
import type { TxContext } from '@civic/gateway';
import { SubsidiesEvent } from './actions.js';
import { keys } from './keys.js';
import { MAX_ABSORBED, MAX_LINKS_PER_UNDERTAKING } from './limits.js';
import {
  type ControlBasis,
  ControlBasis as Basis,
  type ControlLink,
  type UndertakingRecord,
  ceasedReason,
} from './records.js';
import * as v from './validate.js';
import { type Outcome, RuleCode, accept, refuse } from './violations.js';

/** The private data collection the name hash refers to (the registering authority's store). */
export const UNDERTAKING_COLLECTION = 'undertakings';

export interface RegisterUndertakingInput {
  readonly kvk: string;
  /** Salted SHA-256 (hex) of the name and identifying data, computed by the service. */
  readonly privateDataHash: string;
  readonly publicBody: boolean;
}

export interface LinkUndertakingsInput {
  /** The controlling undertaking. */
  readonly parentKvk: string;
  /** The controlled undertaking. */
  readonly childKvk: string;
  readonly basis: ControlBasis;
  readonly since: string;
}

export interface UnlinkUndertakingsInput {
  readonly parentKvk: string;
  readonly childKvk: string;
  /** The last day of control (for the event; the link ends for decisions from this transaction on). */
  readonly until: string;
}

export interface RecordMergerInput {
  /** The acquiring undertaking, or the new undertaking the others merge into (registered first). */
  readonly survivingKvk: string;
  readonly mergedKvks: readonly string[];
  readonly effectiveDate: string;
}

export function parseRegisterUndertakingInput(raw: unknown): RegisterUndertakingInput {
  const input = v.object(raw, 'input');
  return {
    kvk: v.kvkNumber(input.kvk, 'input.kvk'),
    privateDataHash: v.hex64(input.privateDataHash, 'input.privateDataHash'),
    publicBody: input.publicBody === undefined ? false : v.boolean(input.publicBody, 'input.publicBody'),
  };
}

export function parseLinkUndertakingsInput(raw: unknown): LinkUndertakingsInput {
  const input = v.object(raw, 'input');
  return {
    parentKvk: v.kvkNumber(input.parentKvk, 'input.parentKvk'),
    childKvk: v.kvkNumber(input.childKvk, 'input.childKvk'),
    basis: v.oneOf(input.basis, 'input.basis', Object.values(Basis)),
    since: v.isoDate(input.since, 'input.since'),
  };
}

export function parseUnlinkUndertakingsInput(raw: unknown): UnlinkUndertakingsInput {
  const input = v.object(raw, 'input');
  return {
    parentKvk: v.kvkNumber(input.parentKvk, 'input.parentKvk'),
    childKvk: v.kvkNumber(input.childKvk, 'input.childKvk'),
    until: v.isoDate(input.until, 'input.until'),
  };
}

export function parseRecordMergerInput(raw: unknown): RecordMergerInput {
  const input = v.object(raw, 'input');
  const merged = v.list(input.mergedKvks, 'input.mergedKvks', 1, MAX_ABSORBED);
  return {
    survivingKvk: v.kvkNumber(input.survivingKvk, 'input.survivingKvk'),
    mergedKvks: merged.map((kvk, i) => v.kvkNumber(kvk, `input.mergedKvks[${i}]`)),
    effectiveDate: v.isoDate(input.effectiveDate, 'input.effectiveDate'),
  };
}

export async function registerUndertaking(ctx: TxContext, raw: unknown): Promise<Outcome<UndertakingRecord>> {
  const input = parseRegisterUndertakingInput(raw);
  const registeredAt = v.rfc3339(ctx.txTime, 'ctx.txTime');
  const key = keys.undertaking(input.kvk);
  if ((await ctx.get(key)) !== undefined) {
    return refuse(RuleCode.ALREADY_EXISTS, `undertaking ${input.kvk} is already registered`, { key });
  }
  const record: UndertakingRecord = {
    ...input,
    registeredBy: ctx.mspId,
    registeredAt,
    controls: [],
    controlledBy: [],
    absorbed: [],
    mergedInto: null,
    splitInto: [],
  };
  ctx.put(key, record);
  ctx.addPrivateHash(UNDERTAKING_COLLECTION, input.kvk, input.privateDataHash);
  ctx.emit(SubsidiesEvent.UNDERTAKING_REGISTERED, { kvk: input.kvk, publicBody: input.publicBody });
  return accept(record);
}

export async function linkUndertakings(
  ctx: TxContext,
  raw: unknown,
): Promise<Outcome<{ parent: UndertakingRecord; child: UndertakingRecord }>> {
  const input = parseLinkUndertakingsInput(raw);
  v.rfc3339(ctx.txTime, 'ctx.txTime');
  if (input.parentKvk === input.childKvk) {
    return refuse(RuleCode.INVALID_LINK, `an undertaking cannot control itself (${input.parentKvk})`);
  }
  const ends = await readLiveEnds(ctx, input.parentKvk, input.childKvk);
  if (!ends.ok) return ends;
  const { parent, child } = ends.value;
  if (parent.controls.some((link) => link.kvk === child.kvk)) {
    return refuse(RuleCode.INVALID_LINK, `${parent.kvk} already controls ${child.kvk}`);
  }
  for (const record of [parent, child]) {
    if (record.controls.length + record.controlledBy.length >= MAX_LINKS_PER_UNDERTAKING) {
      return refuse(
        RuleCode.LIMIT_EXCEEDED,
        `undertaking ${record.kvk} has ${MAX_LINKS_PER_UNDERTAKING} control links`,
        {
          bound: 'MAX_LINKS_PER_UNDERTAKING',
          limit: MAX_LINKS_PER_UNDERTAKING,
        },
      );
    }
  }
  const link = (kvk: string): ControlLink => ({ kvk, basis: input.basis, since: input.since });
  const linkedParent = { ...parent, controls: [...parent.controls, link(child.kvk)] };
  const linkedChild = { ...child, controlledBy: [...child.controlledBy, link(parent.kvk)] };
  ctx.put(keys.undertaking(parent.kvk), linkedParent);
  ctx.put(keys.undertaking(child.kvk), linkedChild);
  ctx.emit(SubsidiesEvent.UNDERTAKINGS_LINKED, { ...input });
  return accept({ parent: linkedParent, child: linkedChild });
}

export async function unlinkUndertakings(
  ctx: TxContext,
  raw: unknown,
): Promise<Outcome<{ parent: UndertakingRecord; child: UndertakingRecord }>> {
  const input = parseUnlinkUndertakingsInput(raw);
  v.rfc3339(ctx.txTime, 'ctx.txTime');
  const ends = await readLiveEnds(ctx, input.parentKvk, input.childKvk);
  if (!ends.ok) return ends;
  const { parent, child } = ends.value;
  if (!parent.controls.some((link) => link.kvk === child.kvk)) {
    return refuse(RuleCode.INVALID_LINK, `${parent.kvk} does not control ${child.kvk}`);
  }
  const unlinkedParent = { ...parent, controls: parent.controls.filter((link) => link.kvk !== child.kvk) };
  const unlinkedChild = {
    ...child,
    controlledBy: child.controlledBy.filter((link) => link.kvk !== parent.kvk),
  };
  ctx.put(keys.undertaking(parent.kvk), unlinkedParent);
  ctx.put(keys.undertaking(child.kvk), unlinkedChild);
  ctx.emit(SubsidiesEvent.UNDERTAKINGS_UNLINKED, { ...input });
  return accept({ parent: unlinkedParent, child: unlinkedChild });
}

/**
 * Art. 3(8): the merged undertakings cease; their aid histories are counted with the surviving
 * one's through `absorbed`. Their control links end with them (on both ends); links of the merged
 * entity are recorded anew with linkUndertakings.
 */
export async function recordMerger(ctx: TxContext, raw: unknown): Promise<Outcome<UndertakingRecord>> {
  const input = parseRecordMergerInput(raw);
  v.rfc3339(ctx.txTime, 'ctx.txTime');
  const all = [input.survivingKvk, ...input.mergedKvks];
  if (new Set(all).size !== all.length) {
    return refuse(RuleCode.INVALID_MERGER, `a merger names each undertaking once (${all.join(', ')})`);
  }
  const records = new Map<string, UndertakingRecord>();
  for (const kvk of all) {
    const record = await ctx.get<UndertakingRecord>(keys.undertaking(kvk));
    if (record === undefined) return notRegistered(kvk);
    const ceased = ceasedReason(record);
    if (ceased !== null) return refuse(RuleCode.INVALID_MERGER, `undertaking ${kvk} already ${ceased}`);
    records.set(kvk, record);
  }
  const surviving = records.get(input.survivingKvk)!;
  if (surviving.absorbed.length + input.mergedKvks.length > MAX_ABSORBED) {
    return refuse(
      RuleCode.LIMIT_EXCEEDED,
      `undertaking ${surviving.kvk} would absorb more than ${MAX_ABSORBED}`,
      {
        bound: 'MAX_ABSORBED',
        limit: MAX_ABSORBED,
      },
    );
  }
  const updated = await endLinksOf(ctx, input.mergedKvks, records);
  const merger = { ...(updated.get(surviving.kvk) ?? surviving) };
  updated.set(surviving.kvk, { ...merger, absorbed: [...merger.absorbed, ...input.mergedKvks] });
  for (const kvk of input.mergedKvks) {
    updated.set(kvk, { ...updated.get(kvk)!, controls: [], controlledBy: [], mergedInto: surviving.kvk });
  }
  for (const [kvk, record] of [...updated.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    ctx.put(keys.undertaking(kvk), record);
  }
  ctx.emit(SubsidiesEvent.MERGER_RECORDED, { ...input });
  return accept(updated.get(surviving.kvk)!);
}

/** Removes the ceased undertakings from the link lists of their counterparts. */
export async function endLinksOf(
  ctx: TxContext,
  merged: readonly string[],
  known: ReadonlyMap<string, UndertakingRecord>,
): Promise<Map<string, UndertakingRecord>> {
  const updated = new Map(known);
  const gone = new Set(merged);
  for (const kvk of merged) {
    const record = known.get(kvk)!;
    for (const link of [...record.controls, ...record.controlledBy]) {
      if (gone.has(link.kvk)) continue;
      const other = updated.get(link.kvk) ?? (await ctx.get<UndertakingRecord>(keys.undertaking(link.kvk)));
      if (other === undefined) continue;
      updated.set(link.kvk, {
        ...other,
        controls: other.controls.filter((l) => !gone.has(l.kvk)),
        controlledBy: other.controlledBy.filter((l) => !gone.has(l.kvk)),
      });
    }
  }
  return updated;
}

async function readLiveEnds(
  ctx: TxContext,
  parentKvk: string,
  childKvk: string,
): Promise<Outcome<{ parent: UndertakingRecord; child: UndertakingRecord }>> {
  const parent = await ctx.get<UndertakingRecord>(keys.undertaking(parentKvk));
  if (parent === undefined) return notRegistered(parentKvk);
  const child = await ctx.get<UndertakingRecord>(keys.undertaking(childKvk));
  if (child === undefined) return notRegistered(childKvk);
  for (const record of [parent, child]) {
    const ceased = ceasedReason(record);
    if (ceased !== null) {
      return refuse(RuleCode.UNDERTAKING_CEASED, `undertaking ${record.kvk} ${ceased}`, {
        key: keys.undertaking(record.kvk),
      });
    }
  }
  return accept({ parent, child });
}

function notRegistered<T>(kvk: string): Outcome<T> {
  return refuse(RuleCode.UNDERTAKING_NOT_FOUND, `undertaking ${kvk} is not registered`, {
    key: keys.undertaking(kvk),
  });
}

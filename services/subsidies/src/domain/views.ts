/**
 * Read-side helpers for `GET /undertakings/{kvk}/aid` and `GET /schemes/{id}`. The block and
 * transaction of each grant come from the peer's history of its `grant/<id>` key (the first valid
 * write); the caller passes them in through `refs`.
 */
import { AID_KINDS, type AidKind, HEADLINE_CEILING_CENTS } from './ceilings.js';
import {
  type CountedAid,
  type Window,
  ceilingUse,
  countedAidOf,
  roomLeft,
  windowEndingOn,
} from './deminimis.js';
import { type StateReader, findSingleUndertaking, readRegisters } from './group.js';
import { keys } from './keys.js';
import type { AidRegister, IsoDate, SchemeRecord } from './records.js';
import { schemeNotFound } from './grants.js';
import { type Outcome, accept } from './violations.js';

/** Where a grant was committed: block number and index of the transaction in the block. */
export interface ChainRef {
  readonly block: number;
  readonly tx: number;
  readonly txId: string;
}

export interface AidRegisterViewEntry {
  readonly grantId: string;
  /** The member of the single undertaking that received it. */
  readonly kvk: string;
  readonly schemeId: string;
  /** Who granted it (mspId). */
  readonly authority: string;
  readonly grantDate: IsoDate;
  readonly grantedCents: number;
  /** Granted minus withdrawn: what the ceilings count. */
  readonly countedCents: number;
  /** Null when the aid is not de minimis aid. */
  readonly aidKind: AidKind | null;
  /** Filled by the caller from history; null when not known. */
  readonly ref: ChainRef | null;
}

export interface AidRegisterView {
  readonly kvk: string;
  readonly members: readonly string[];
  readonly window: Window;
  /** Grants to any member dated in the window, oldest first. */
  readonly entries: readonly AidRegisterViewEntry[];
  /** De minimis aid counted in the window, per kind. */
  readonly totalsCents: Readonly<Record<AidKind, number>>;
  /** Every ceiling rule with its use in the window. */
  readonly ceilings: readonly {
    readonly id: string;
    readonly article: string;
    readonly ceilingCents: number;
    readonly usedCents: number;
    readonly leftCents: number;
  }[];
  /** How much new aid of each kind granted on `window.to` would still fit. */
  readonly roomLeftCents: Readonly<Record<AidKind, number>>;
  /** The headline ceiling of each kind. */
  readonly headlineCeilingCents: Readonly<Record<AidKind, number>>;
}

/** The aid register view of a single undertaking, as of `asOf`, from its members' registers. */
export function aidRegisterView(input: {
  readonly kvk: string;
  readonly members: readonly string[];
  readonly registers: Iterable<AidRegister>;
  readonly asOf: IsoDate;
  readonly refs?: (grantId: string) => ChainRef | null;
}): AidRegisterView {
  const window = windowEndingOn(input.asOf);
  const registers = [...input.registers];
  const refOf = input.refs ?? (() => null);
  const entries: AidRegisterViewEntry[] = registers
    .flatMap((register) => register.entries.map((entry) => ({ entry, kvk: register.kvk })))
    .filter(({ entry }) => entry.grantDate >= window.from && entry.grantDate <= window.to)
    .map(({ entry, kvk }) => ({
      grantId: entry.grantId,
      kvk,
      schemeId: entry.schemeId,
      authority: entry.authority,
      grantDate: entry.grantDate,
      grantedCents: entry.grantedCents,
      countedCents: entry.grantedCents - entry.withdrawnCents,
      aidKind: entry.aidKind,
      ref: refOf(entry.grantId),
    }))
    .sort((a, b) =>
      a.grantDate === b.grantDate ? compare(a.grantId, b.grantId) : compare(a.grantDate, b.grantDate),
    );
  const aid: CountedAid[] = countedAidOf(registers).filter((a) => a.grantDate <= window.to);
  return {
    kvk: input.kvk,
    members: [...input.members],
    window,
    entries,
    totalsCents: perKind((kind) =>
      entries.filter((e) => e.aidKind === kind).reduce((sum, e) => sum + e.countedCents, 0),
    ),
    ceilings: ceilingUse(aid, input.asOf).map(({ rule, usedCents, leftCents }) => ({
      id: rule.id,
      article: rule.article,
      ceilingCents: rule.ceilingCents,
      usedCents,
      leftCents,
    })),
    roomLeftCents: perKind((kind) => roomLeft(aid, kind, input.asOf)),
    headlineCeilingCents: HEADLINE_CEILING_CENTS,
  };
}

/** Reads the single undertaking of `kvk` and its registers through `reader`, then builds the view. */
export async function readAidRegisterView(
  reader: StateReader,
  kvk: string,
  asOf: IsoDate,
  refs?: (grantId: string) => ChainRef | null,
): Promise<Outcome<AidRegisterView>> {
  const group = await findSingleUndertaking(reader, kvk);
  if (!group.ok) return group;
  const registers = await readRegisters(reader, group.value.members);
  return accept(
    aidRegisterView({
      kvk,
      members: group.value.members,
      registers: registers.values(),
      asOf,
      ...(refs ? { refs } : {}),
    }),
  );
}

export interface SchemeBudgetView {
  readonly schemeId: string;
  readonly authority: string;
  readonly title: string;
  readonly budgetCents: number;
  readonly usedCents: number;
  readonly leftCents: number;
  readonly grantCount: number;
  readonly deMinimis: AidKind | null;
}

export function schemeBudgetView(scheme: SchemeRecord): SchemeBudgetView {
  return {
    schemeId: scheme.id,
    authority: scheme.authority,
    title: scheme.title,
    budgetCents: scheme.budgetCents,
    usedCents: scheme.grantedCents,
    leftCents: scheme.budgetCents - scheme.grantedCents,
    grantCount: scheme.grantCount,
    deMinimis: scheme.deMinimis,
  };
}

export async function readSchemeBudgetView(
  reader: StateReader,
  schemeId: string,
): Promise<Outcome<SchemeBudgetView>> {
  const scheme = await reader.get<SchemeRecord>(keys.scheme(schemeId));
  if (scheme === undefined) return schemeNotFound(schemeId);
  return accept(schemeBudgetView(scheme));
}

function perKind(value: (kind: AidKind) => number): Record<AidKind, number> {
  return Object.fromEntries(AID_KINDS.map((kind) => [kind, value(kind)])) as Record<AidKind, number>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

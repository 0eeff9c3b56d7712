/** A small world for domain tests: authorities, schemes, undertakings over a MemoryLedger. */
import { createHash } from 'node:crypto';
import type { TxContext } from '@civic/gateway';
import { MemoryLedger, type MemoryCode } from '@civic/gateway/testing';
import {
  type AidKind,
  type ControlBasis,
  type Outcome,
  type RegisterSchemeInput,
  decideGrant,
  keys,
  linkUndertakings,
  NAMESPACE,
  registerScheme,
  registerUndertaking,
} from '../../src/domain/index.js';

export const RVO = 'RVO';
export const UTRECHT = 'Utrecht';
export const AMSTERDAM = 'Amsterdam';

/** EUR → cents. */
export const eur = (euros: number): number => Math.round(euros * 100);

/** Noon UTC on `date`. */
export const at = (date: string): string => `${date}T12:00:00.000Z`;

export const nameHash = (name: string): string => createHash('sha256').update(`salt:${name}`).digest('hex');

export function schemeInput(id: string, overrides: Partial<RegisterSchemeInput> = {}): RegisterSchemeInput {
  return {
    id,
    title: `Scheme ${id}`,
    budgetCents: eur(10_000_000),
    maxPerApplicantCents: eur(1_000_000),
    shareBasisPoints: 10_000,
    maxPerGrantCents: eur(1_000_000),
    deMinimis: 'GENERAL',
    endorsement: null,
    ...overrides,
  };
}

export function expectOk<T>(outcome: Outcome<T>): T {
  if (!outcome.ok)
    throw new Error(`expected ok, got ${outcome.violation.rule}: ${outcome.violation.message}`);
  return outcome.value;
}

export class World {
  readonly ledger = new MemoryLedger(NAMESPACE);

  /** Runs `fn` and commits when it accepts; throws when it refuses or does not commit VALID. */
  async must<T>(mspId: string, time: string, fn: (ctx: TxContext) => Promise<Outcome<T>>): Promise<T> {
    const { outcome, code } = await this.ledger.run(mspId, time, fn);
    const value = expectOk(outcome);
    if (code !== 'VALID') throw new Error(`commit ${code}`);
    return value;
  }

  async scheme(authority: string, id: string, overrides: Partial<RegisterSchemeInput> = {}): Promise<void> {
    await this.must(authority, at('2024-01-02'), (ctx) => registerScheme(ctx, schemeInput(id, overrides)));
  }

  /** A de minimis scheme of `kind` at `authority` with generous terms. */
  async deMinimisScheme(authority: string, id: string, kind: AidKind = 'GENERAL'): Promise<void> {
    await this.scheme(authority, id, { deMinimis: kind });
  }

  /**
   * A world with one general de minimis scheme per authority (`rvo-innovatie`, `utrecht-mkb`,
   * `amsterdam-mkb`) and the undertakings `kvks`: the start of most ceiling cases.
   */
  static async withThreeAuthorities(kvks: readonly string[]): Promise<World> {
    const w = new World();
    await w.deMinimisScheme(RVO, 'rvo-innovatie');
    await w.deMinimisScheme(UTRECHT, 'utrecht-mkb');
    await w.deMinimisScheme(AMSTERDAM, 'amsterdam-mkb');
    for (const kvk of kvks) await w.undertaking(kvk);
    return w;
  }

  async undertaking(kvk: string, options: { publicBody?: boolean } = {}): Promise<void> {
    await this.must(RVO, at('2024-01-02'), (ctx) =>
      registerUndertaking(ctx, {
        kvk,
        privateDataHash: nameHash(kvk),
        publicBody: options.publicBody ?? false,
      }),
    );
  }

  async link(parentKvk: string, childKvk: string, basis: ControlBasis = 'VOTING_MAJORITY'): Promise<void> {
    await this.must(RVO, at('2024-01-03'), (ctx) =>
      linkUndertakings(ctx, { parentKvk, childKvk, basis, since: '2020-01-01' }),
    );
  }

  /** decideGrant at `authority` on `date` (eligible cost twice the amount by default); the outcome and commit code (null when refused). */
  async decide(
    authority: string,
    schemeId: string,
    kvk: string,
    amountCents: number,
    date: string,
    eligibleCostCents = 2 * amountCents,
  ): Promise<{ outcome: Awaited<ReturnType<typeof decideGrant>>; code: MemoryCode | null }> {
    return this.ledger.run(authority, at(date), (ctx) =>
      decideGrant(ctx, { schemeId, kvk, amountCents, eligibleCostCents }),
    );
  }

  /** A grant that must be accepted and committed. */
  async grant(
    authority: string,
    schemeId: string,
    kvk: string,
    amountCents: number,
    date: string,
  ): Promise<string> {
    const { outcome, code } = await this.decide(authority, schemeId, kvk, amountCents, date);
    const decision = expectOk(outcome);
    if (code !== 'VALID') throw new Error(`commit ${code}`);
    return decision.grant.id;
  }

  value<T>(key: string): T | undefined {
    return this.ledger.value<T>(key);
  }

  schemeKey = keys.scheme;
}

/**
 * Properties over random histories: any sequence of registrations, assessments, issues,
 * duplicates, revocations, places, deaths, moves and erasures, by the right or the wrong
 * organisation, at advancing times. After every step the invariants of the parking rules hold,
 * and every refused step left the state exactly as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  assignReservedPlace,
  checkCard,
  checkPlate,
  endReservedPlace,
  issueCard,
  issueDuplicate,
  keys,
  ParkingRuleViolation,
  recordErasure,
  recordMove,
  reportDeath,
  revokeCard,
  scopeCovers,
  type AssessmentRecord,
  type CardKind,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from '../../src/domain/index.js';
import type { TxContext } from '@civic/gateway';
import { ALICE, at, BOB, World, WALKS_50M_DRIVES } from './fixtures.js';

const PLATES = ['GX-HR-12', '12-ABC-3', 'X-999-XX'];

type Op =
  | { op: 'advance'; days: number }
  | { op: 'assess'; holder: number; months: number | 'permanent'; drives: boolean; passenger: boolean }
  | { op: 'issue'; holder: number; kind: CardKind; assessment: number; by: string; years?: number }
  | { op: 'duplicate'; holder: number; card: number; by: string }
  | { op: 'revoke'; holder: number; by: string }
  | { op: 'death' | 'move' | 'erase'; holder: number; by: string }
  | { op: 'assignPlace'; holder: number; plate: number; exception: boolean; by: string }
  | { op: 'endPlace'; plate: number; by: string };

const holderIdx = fc.integer({ min: 0, max: 1 });
/** Mostly the holder's municipality, sometimes the wrong organisation. */
const by = fc.oneof(
  { weight: 8, arbitrary: fc.constant('Utrecht') },
  { weight: 1, arbitrary: fc.constantFrom('Amsterdam', 'Police', 'Assessor') },
);
/** Mostly the latest assessment (counted from the end), sometimes an older one. */
const recent = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(5) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), days: fc.integer({ min: 0, max: 400 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('assess' as const),
      holder: holderIdx,
      months: fc.constantFrom<number | 'permanent'>(3, 6, 12, 30, 'permanent', 'permanent'),
      drives: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      passenger: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record(
      {
        op: fc.constant('issue' as const),
        holder: holderIdx,
        kind: fc.constantFrom<CardKind>('driver', 'driver', 'passenger', 'both'),
        assessment: recent,
        by,
        years: fc.integer({ min: 1, max: 6 }),
      },
      { requiredKeys: ['op', 'holder', 'kind', 'assessment', 'by'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('duplicate' as const), holder: holderIdx, card: recent, by }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revoke' as const), holder: holderIdx, by }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom('death' as const, 'move' as const, 'erase' as const),
      holder: holderIdx,
      by,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('assignPlace' as const),
      holder: holderIdx,
      plate: fc.nat(2),
      exception: fc.boolean(),
      by,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('endPlace' as const), plate: fc.nat(2), by }) },
);

class Model {
  readonly world = new World();
  day = '2026-01-05';
  serial = 0;
  hids: string[] = [];
  assessments: string[][] = [[], []];

  get now(): string {
    return at(this.day);
  }

  async setup(): Promise<void> {
    this.hids = [
      await this.world.register('Utrecht', ALICE, at('2026-01-02'), 1),
      await this.world.register('Utrecht', BOB, at('2026-01-02'), 2),
    ];
    // Each holder starts with a positive assessment, so that histories reach cards early.
    for (const [i, hid] of this.hids.entries())
      this.assessments[i]!.push(await this.world.assess(hid, '2026-01-03'));
  }

  /** Runs a transaction; a refusal must leave the state untouched. */
  async tx(mspId: string, fn: (ctx: TxContext) => Promise<unknown>): Promise<void> {
    const before = this.world.ledger.snapshot();
    try {
      await this.world.ledger.transact(mspId, this.now, fn);
    } catch (error) {
      if (!(error instanceof ParkingRuleViolation)) throw error;
      expect(this.world.ledger.snapshot()).toBe(before);
    }
  }

  async apply(step: Op): Promise<void> {
    const hid = 'holder' in step ? this.hids[step.holder]! : '';
    const holder = hid === '' ? undefined : this.world.holder(hid);
    switch (step.op) {
      case 'advance':
        this.day = addDays(this.day, step.days);
        return;
      case 'assess': {
        if (holder?.status !== 'active') return;
        const details = {
          ...WALKS_50M_DRIVES,
          expectedDurationMonths: step.months,
          drives: step.drives,
          needsDoorToDoorHelp: step.passenger,
        };
        this.assessments[step.holder]!.push(await this.world.assess(hid, this.day, details));
        return;
      }
      case 'issue': {
        const list = this.assessments[step.holder]!;
        const assessmentId =
          list[list.length - 1 - (step.assessment % Math.max(1, list.length))] ?? 'ASM-none';
        const validUntil = step.years === undefined ? undefined : addYears(this.day, step.years);
        const cardSerial = ++this.serial;
        return this.tx(step.by, (ctx) =>
          issueCard(ctx, { hid, kind: step.kind, assessmentId, cardSerial, validUntil }),
        );
      }
      case 'duplicate': {
        const cards = holder!.cards;
        const cardNumber =
          cards[cards.length - 1 - (step.card % Math.max(1, cards.length))] ?? 'NL-0344-00000013';
        const cardSerial = ++this.serial;
        return this.tx(step.by, (ctx) => issueDuplicate(ctx, { cardNumber, reason: 'stolen', cardSerial }));
      }
      case 'revoke':
        return this.tx(step.by, (ctx) =>
          revokeCard(ctx, { cardNumber: holder!.currentCard ?? 'NL-0344-00000013', ground: 'misuse' }),
        );
      case 'death':
        return this.tx(step.by, (ctx) => reportDeath(ctx, { hid, diedOn: this.day }));
      case 'move':
        return this.tx(step.by, (ctx) => recordMove(ctx, { hid, movedOn: this.day }));
      case 'erase':
        return this.tx(step.by, (ctx) => recordErasure(ctx, { hid }));
      case 'assignPlace':
        return this.tx(step.by, (ctx) =>
          assignReservedPlace(ctx, {
            hid,
            plate: PLATES[step.plate]!,
            addressHash: 'aa'.repeat(32),
            passengerException: step.exception,
          }),
        );
      case 'endPlace':
        return this.tx(step.by, (ctx) =>
          endReservedPlace(ctx, { plate: PLATES[step.plate]!, reason: 'holder-request' }),
        );
    }
  }

  /** The invariants, checked now and at a few later instants. */
  checkInvariants(): void {
    const ledger = this.world.ledger;
    for (const when of [this.now, at(addDays(this.day, 200)), at(addDays(this.day, 1500))]) {
      for (const hid of this.hids) {
        const holder = ledger.value<HolderRecord>(keys.holder(hid))!;
        const valid = holder.cards
          .map((n) => ledger.value<CardRecord>(keys.card(n))!)
          .filter((card) => checkCard(card, holder, when).status === 'VALID');
        // At most one valid card per holder at any time.
        expect(valid.length).toBeLessThanOrEqual(1);
        // Never a valid card after death, a move or an erasure.
        if (holder.status !== 'active') expect(valid).toEqual([]);
        for (const card of valid) {
          // Every valid card rests on a positive assessment of this holder covering its kind, by its
          // municipality of registration, for at most five years and never beyond the assessment.
          const assessment = ledger.value<AssessmentRecord>(keys.assessment(card.assessmentId))!;
          expect(assessment).toMatchObject({ hid, outcome: 'positive', assessor: 'Assessor' });
          expect(scopeCovers(assessment.scope!, card.kind)).toBe(true);
          expect(card.issuer).toBe(holder.municipality);
          expect(card.validUntil <= addYears(card.validFrom, 5)).toBe(true);
          expect(card.validUntil <= assessment.validUntil!).toBe(true);
          expect(card.cardNumber).toBe(holder.currentCard);
        }
      }
      // A valid reserved place rests on a valid card of an active holder; one per holder.
      const placesByHolder = new Map<string, number>();
      for (const plate of PLATES) {
        const place = ledger.value<PlaceRecord>(keys.plate(plate));
        if (place === undefined) continue;
        const card = ledger.value<CardRecord>(keys.card(place.cardNumber));
        const holder = ledger.value<HolderRecord>(keys.holder(place.hid));
        if (checkPlate(place, card, holder, when).status !== 'VALID') continue;
        expect(holder!.status).toBe('active');
        expect(checkCard(card, holder, when).status).toBe('VALID');
        expect(card!.kind !== 'passenger' || place.passengerException).toBe(true);
        placesByHolder.set(place.hid, (placesByHolder.get(place.hid) ?? 0) + 1);
      }
      for (const count of placesByHolder.values()) expect(count).toBe(1);
    }
  }
}

describe('parking rules over random histories (properties)', () => {
  it('at most one valid card per holder, never valid after death/move/erasure, refusals change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const model = new Model();
        await model.setup();
        for (const step of ops) {
          await model.apply(step);
          model.checkInvariants();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a check right after a death never says VALID, whatever came before (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 25 }),
        fc.integer({ min: 0, max: 1 }),
        async (ops, who) => {
          const model = new Model();
          await model.setup();
          for (const step of ops) {
            if (step.op === 'death' || step.op === 'move' || step.op === 'erase') continue;
            await model.apply(step);
          }
          const hid = model.hids[who]!;
          const before = model.world.holder(hid);
          await model.tx('Utrecht', (ctx) => reportDeath(ctx, { hid, diedOn: model.day }));
          const holder = model.world.holder(hid);
          expect(holder.status).toBe('deceased');
          for (const cardNumber of before.cards) {
            expect(model.world.checkCard(cardNumber, model.now).status).not.toBe('VALID');
          }
          for (const plate of PLATES) {
            const place = model.world.ledger.value<PlaceRecord>(keys.plate(plate));
            if (place?.hid === hid) expect(model.world.checkPlate(plate, model.now).status).not.toBe('VALID');
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

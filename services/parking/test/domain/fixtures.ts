/**
 * A small world for the domain tests: a ledger, one private store per organisation, and helpers
 * that run the service's steps (private data first, then the transaction) the way the parking
 * service will.
 */
import { expect } from 'vitest';
import {
  ParkingRuleViolation,
  checkCard,
  checkPlate,
  issueCard,
  issueDuplicate,
  keys,
  prepareAssessment,
  preparePerson,
  preparePlaceAddress,
  recordAssessment,
  registerHolder,
  assignReservedPlace,
  type AssessmentDetails,
  type CardKind,
  type CardRecord,
  type CheckResult,
  type HolderRecord,
  type PersonData,
  type PlaceRecord,
  type RuleCode,
} from '../../src/domain/index.js';
import type { TxContext } from '@civic/gateway';
import { MemoryLedger } from '@civic/gateway/testing';
import { MemoryPrivateStore } from '@civic/service-kit';
import { PARKING_NAMESPACE } from '../../src/domain/index.js';
import { ParkingPrivateStore } from '../../src/private/parking-private-store.js';

/** An instant on a Dutch calendar day, at 10:00 local time in winter (09:00 UTC). */
export function at(date: string, utcTime = '09:00:00.000'): string {
  return `${date}T${utcTime}Z`;
}

/** A deterministic 32-byte salt for test number `n`. */
export function salt(n: number): string {
  return n.toString(16).padStart(2, '0').repeat(32);
}

export const ALICE: PersonData = {
  personId: '111222333',
  name: 'Alice Jansen-de Vries',
  address: { street: 'Oudegracht', houseNumber: '231', postcode: '3511 NK', city: 'Utrecht' },
};

export const BOB: PersonData = {
  personId: '123456782',
  name: 'Bob Bakker',
  address: { street: 'Prinsengracht', houseNumber: '263', postcode: '1016 GV', city: 'Amsterdam' },
};

export const WALKS_50M_DRIVES: Omit<AssessmentDetails, 'assessedOn'> = {
  walkingDistanceMaxM: 50,
  wheelchairPermanent: false,
  drives: true,
  needsDoorToDoorHelp: false,
  expectedDurationMonths: 'permanent',
  notes: 'Severe coxarthrosis left hip, awaiting arthroplasty',
};

/** An organisation's private store as the service keeps it: the domain's port over the kit's store. */
export class TestPrivateStore extends ParkingPrivateStore {
  constructor(readonly memory = new MemoryPrivateStore()) {
    super(memory);
  }

  /** Everything in the store as text, for scanning. */
  dump(): string {
    return this.memory.dump();
  }
}

export class World {
  readonly ledger = new MemoryLedger(PARKING_NAMESPACE);
  readonly stores = {
    Utrecht: new TestPrivateStore(),
    Amsterdam: new TestPrivateStore(),
    Assessor: new TestPrivateStore(),
  };
  private assessments = 0;

  run<R>(mspId: string, time: string, fn: (ctx: TxContext) => Promise<R>): Promise<R> {
    return this.ledger.transact(mspId, time, fn).then(({ result }) => result);
  }

  /** Registers `person` in `municipality` with salt number `saltNumber`; returns the hid. */
  async register(
    municipality: 'Utrecht' | 'Amsterdam',
    person: PersonData,
    time: string,
    saltNumber = 1,
  ): Promise<string> {
    const prepared = preparePerson(salt(saltNumber), person);
    for (const write of prepared.writes)
      await this.stores[municipality].put(write.collection, write.key, write.record);
    await this.run(municipality, time, (ctx) =>
      registerHolder(ctx, { hid: prepared.hid, personHash: prepared.personHash }),
    );
    return prepared.hid;
  }

  /** Records an assessment by the Assessor on `assessedOn`; returns its id. */
  async assess(
    hid: string,
    assessedOn: string,
    details: Omit<AssessmentDetails, 'assessedOn'> = WALKS_50M_DRIVES,
  ): Promise<string> {
    const assessmentId = `ASM-${++this.assessments}`;
    const prepared = prepareAssessment(salt(100 + this.assessments), hid, assessmentId, {
      ...details,
      assessedOn,
    });
    await this.stores.Assessor.put(prepared.write.collection, prepared.write.key, prepared.write.record);
    await this.run('Assessor', at(assessedOn), (ctx) => recordAssessment(ctx, prepared.input));
    return assessmentId;
  }

  issue(
    municipality: string,
    time: string,
    input: { hid: string; assessmentId: string; cardSerial: number; kind?: CardKind; validUntil?: string },
  ): Promise<CardRecord> {
    return this.run(municipality, time, (ctx) => issueCard(ctx, { kind: 'driver', ...input }));
  }

  duplicate(municipality: string, time: string, cardNumber: string, cardSerial: number): Promise<CardRecord> {
    return this.run(municipality, time, (ctx) =>
      issueDuplicate(ctx, { cardNumber, reason: 'lost', cardSerial }),
    );
  }

  async assignPlace(
    municipality: 'Utrecht' | 'Amsterdam',
    time: string,
    hid: string,
    plate: string,
    saltNumber = 1,
    passengerException?: boolean,
  ): Promise<PlaceRecord> {
    const prepared = preparePlaceAddress(salt(saltNumber), hid, plate, ALICE.address);
    await this.stores[municipality].put(prepared.write.collection, prepared.write.key, prepared.write.record);
    return this.run(municipality, time, (ctx) =>
      assignReservedPlace(ctx, { hid, plate, addressHash: prepared.addressHash, passengerException }),
    );
  }

  /** The roadside check of a card number at `time`, from the committed state. */
  checkCard(cardNumber: string, time: string): CheckResult {
    const card = this.ledger.value<CardRecord>(keys.card(cardNumber));
    const holder = card === undefined ? undefined : this.ledger.value<HolderRecord>(keys.holder(card.hid));
    return checkCard(card, holder, time);
  }

  checkPlate(plate: string, time: string): CheckResult {
    const place = this.ledger.value<PlaceRecord>(keys.plate(plate));
    const card = place === undefined ? undefined : this.ledger.value<CardRecord>(keys.card(place.cardNumber));
    const holder = place === undefined ? undefined : this.ledger.value<HolderRecord>(keys.holder(place.hid));
    return checkPlate(place, card, holder, time);
  }

  holder(hid: string): HolderRecord {
    const holder = this.ledger.value<HolderRecord>(keys.holder(hid));
    if (holder === undefined) throw new Error(`no holder ${hid}`);
    return holder;
  }

  /**
   * Runs a transaction that must be refused with `rule`, and checks that it changed nothing:
   * the same state and no new transaction on the chain.
   */
  async expectRefused(
    rule: RuleCode,
    mspId: string,
    time: string,
    fn: (ctx: TxContext) => Promise<unknown>,
  ): Promise<ParkingRuleViolation> {
    const before = this.ledger.snapshot();
    const count = this.ledger.transactions.length;
    const error = await this.ledger.transact(mspId, time, fn).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParkingRuleViolation);
    const violation = error as ParkingRuleViolation;
    expect(violation.rule).toBe(rule);
    expect(violation.message.startsWith(`${rule}: `)).toBe(true);
    expect(violation.source.length).toBeGreaterThan(0);
    expect(this.ledger.snapshot()).toBe(before);
    expect(this.ledger.transactions.length).toBe(count);
    return violation;
  }
}

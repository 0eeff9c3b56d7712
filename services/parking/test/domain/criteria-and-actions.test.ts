import { parsePolicy } from '@civic/identity';
import { describe, expect, it } from 'vitest';
import {
  decideAssessment,
  PARKING_ACTION_NAMES,
  PARKING_ACTIONS,
  PARKING_NAMESPACE_CONFIG,
  prepareAssessment,
  privateDataHash,
  registerHolder,
  RULES,
  runParkingAction,
  ParkingRuleViolation,
  type AssessmentDetails,
} from '../../src/domain/index.js';
import { at, salt, World } from './fixtures.js';

const BASE: AssessmentDetails = {
  assessedOn: '2026-03-10',
  walkingDistanceMaxM: 100,
  wheelchairPermanent: false,
  drives: true,
  needsDoorToDoorHelp: false,
  expectedDurationMonths: 12,
};

describe('the medical criteria (Regeling gehandicaptenparkeerkaart art. 1)', () => {
  it('are met by a driver who cannot walk more than 100 m for at least six months', () => {
    expect(decideAssessment(BASE)).toEqual({
      outcome: 'positive',
      scope: 'driver',
      validUntil: '2027-03-10',
    });
    expect(decideAssessment({ ...BASE, walkingDistanceMaxM: 101 })).toEqual({ outcome: 'negative' });
    expect(decideAssessment({ ...BASE, expectedDurationMonths: 5 })).toEqual({ outcome: 'negative' });
    expect(decideAssessment({ ...BASE, expectedDurationMonths: 6 })).toMatchObject({
      outcome: 'positive',
      validUntil: '2026-09-10',
    });
  });

  it('give a passenger card only to passengers dependent on the driver from door to door', () => {
    expect(decideAssessment({ ...BASE, drives: false })).toEqual({ outcome: 'negative' });
    expect(decideAssessment({ ...BASE, drives: false, needsDoorToDoorHelp: true })).toMatchObject({
      scope: 'passenger',
    });
    expect(decideAssessment({ ...BASE, needsDoorToDoorHelp: true })).toMatchObject({ scope: 'both' });
  });

  it('treat a permanent wheelchair user as driver and passenger, whatever the walking distance', () => {
    expect(
      decideAssessment({
        ...BASE,
        walkingDistanceMaxM: 0,
        wheelchairPermanent: true,
        expectedDurationMonths: 'permanent',
      }),
    ).toEqual({ outcome: 'positive', scope: 'both', validUntil: '2036-03-10' });
    expect(
      decideAssessment({ ...BASE, drives: false, wheelchairPermanent: true, walkingDistanceMaxM: 500 }),
    ).toMatchObject({
      scope: 'passenger',
    });
  });

  it('refuse impossible details', () => {
    expect(() => decideAssessment({ ...BASE, walkingDistanceMaxM: -1 })).toThrow(/VALUE_INVALID/);
    expect(() => decideAssessment({ ...BASE, drives: 'yes' as never })).toThrow(/VALUE_INVALID: drives/);
    expect(() => decideAssessment({ ...BASE, expectedDurationMonths: 2.5 })).toThrow(
      /expectedDurationMonths/,
    );
    expect(() => decideAssessment({ ...BASE, assessedOn: '2026-02-31' })).toThrow(/DATE_MALFORMED/);
  });

  it('prepare an on-chain input with the outcome and a salted hash, and the details for the private store', () => {
    const hid = 'ab'.repeat(32);
    const prepared = prepareAssessment(salt(9), hid, 'ASM-77', { ...BASE, notes: 'paraplegia' });
    expect(prepared.input).toEqual({
      assessmentId: 'ASM-77',
      hid,
      outcome: 'positive',
      scope: 'driver',
      assessedOn: '2026-03-10',
      validUntil: '2027-03-10',
      detailsHash: privateDataHash(salt(9), { ...BASE, notes: 'paraplegia' }),
    });
    expect(JSON.stringify(prepared.input)).not.toContain('paraplegia');
    expect(prepared.write).toEqual({
      collection: 'assessment-details',
      key: 'ASM-77',
      record: { holder: hid, data: { salt: salt(9), details: { ...BASE, notes: 'paraplegia' } } },
    });
  });
});

describe('actions and policies', () => {
  it('has a parseable endorsement policy for every action, and the Assessor on every card-making action', () => {
    expect(PARKING_ACTION_NAMES).toHaveLength(11);
    expect(() => parsePolicy(PARKING_NAMESPACE_CONFIG.writers)).not.toThrow();
    expect(() => parsePolicy(PARKING_NAMESPACE_CONFIG.defaultEndorsement)).not.toThrow();
    for (const action of PARKING_ACTION_NAMES) {
      const policy = PARKING_NAMESPACE_CONFIG.endorsement[action]!;
      expect(() => parsePolicy(policy), action).not.toThrow();
    }
    expect(PARKING_ACTIONS['card.issue'].policy).toContain('Assessor.client');
    expect(PARKING_ACTIONS['card.duplicate'].policy).toContain('Assessor.client');
    expect(PARKING_ACTIONS['assessment.record'].policy).toBe("'Assessor.client'");
  });

  it('dispatches by action name, emitting the declared event, and refuses unknown actions', async () => {
    const world = new World();
    const { tx } = await world.ledger.transact('Utrecht', at('2026-03-02'), (ctx) =>
      runParkingAction(ctx, 'holder.register', { hid: 'ab'.repeat(32), personHash: 'cd'.repeat(32) }),
    );
    expect(tx.event.type).toBe(PARKING_ACTIONS['holder.register'].event);
    await world.expectRefused('VALUE_INVALID', 'Utrecht', at('2026-03-02'), (ctx) =>
      runParkingAction(ctx, 'card.forge', {}),
    );
    await world.expectRefused('VALUE_INVALID', 'Utrecht', at('2026-03-02'), (ctx) =>
      runParkingAction(ctx, 'toString', {}),
    );
    expect(registerHolder).toBe(PARKING_ACTIONS['holder.register'].run);
  });

  it('gives every rule a category and a source, and violations a JSON form for the service', () => {
    for (const [code, spec] of Object.entries(RULES)) {
      expect(['input', 'permission', 'not-found', 'conflict'], code).toContain(spec.category);
      expect(spec.source.length, code).toBeGreaterThan(10);
    }
    const violation = new ParkingRuleViolation('PLATE_TAKEN', 'GX-HR-12 is taken');
    expect(violation.toJSON()).toEqual({
      rule: 'PLATE_TAKEN',
      category: 'conflict',
      message: 'GX-HR-12 is taken',
      source: RULES.PLATE_TAKEN.source,
    });
    expect(violation.name).toBe('ParkingRuleViolation');
  });
});

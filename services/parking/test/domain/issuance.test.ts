import { describe, expect, it } from 'vitest';
import {
  issueCard,
  keys,
  makeCardNumber,
  prepareAssessment,
  recordAssessment,
  registerHolder,
  type CardRecord,
  type RecordAssessmentInput,
} from '../../src/domain/index.js';
import { ALICE, at, BOB, salt, World, WALKS_50M_DRIVES } from './fixtures.js';

const DAY = '2026-03-16';
const NOW = at(DAY);

async function aliceWithAssessment(
  world: World,
  details = WALKS_50M_DRIVES,
): Promise<{ hid: string; assessmentId: string }> {
  const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
  const assessmentId = await world.assess(hid, '2026-03-10', details);
  return { hid, assessmentId };
}

describe('registering holders', () => {
  it('writes holder/<hid> with the municipality only, and the person hash in the private list', async () => {
    const world = new World();
    const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
    const tx = world.ledger.transactions[0]!;
    expect(tx.writes).toEqual([
      {
        key: keys.holder(hid),
        value: {
          hid,
          municipality: 'Utrecht',
          status: 'active',
          generation: 0,
          currentCard: null,
          cards: [],
          assessments: [],
          place: null,
          places: [],
          registeredOn: '2026-03-02',
        },
      },
    ]);
    expect(tx.private).toEqual([
      { collection: 'persons', key: hid, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(tx.event).toEqual({
      type: 'holder.registered',
      data: { hid, municipality: 'Utrecht', registeredOn: '2026-03-02' },
    });
  });

  it('refuses a second registration of the same hid, an organisation that is no municipality and a malformed hid', async () => {
    const world = new World();
    const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
    const personHash = 'ab'.repeat(32);
    await world.expectRefused('HOLDER_EXISTS', 'Amsterdam', NOW, (ctx) =>
      registerHolder(ctx, { hid, personHash }),
    );
    await world.expectRefused('NOT_A_MUNICIPALITY', 'Police', NOW, (ctx) =>
      registerHolder(ctx, { hid: 'cd'.repeat(32), personHash }),
    );
    await world.expectRefused('HOLDER_ID_MALFORMED', 'Utrecht', NOW, (ctx) =>
      registerHolder(ctx, { hid: 'AB'.repeat(32), personHash }),
    );
    await world.expectRefused('HASH_MALFORMED', 'Utrecht', NOW, (ctx) =>
      registerHolder(ctx, { hid: 'cd'.repeat(32), personHash: 'x' }),
    );
  });
});

describe('assessments', () => {
  it('are recorded by the independent assessor with the outcome only', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world);
    const tx = world.ledger.transactions.at(-1)!;
    expect(tx.mspId).toBe('Assessor');
    expect(tx.event).toEqual({
      type: 'assessment.recorded',
      data: {
        assessmentId,
        hid,
        assessor: 'Assessor',
        outcome: 'positive',
        scope: 'driver',
        assessedOn: '2026-03-10',
        validUntil: '2036-03-10',
      },
    });
    expect(tx.private).toEqual([
      { collection: 'assessment-details', key: assessmentId, hash: expect.any(String) },
    ]);
    expect(world.holder(hid).assessments).toEqual([assessmentId]);
  });

  it('refuses an assessment recorded by any organisation other than the independent assessor', async () => {
    const world = new World();
    const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
    const { input } = prepareAssessment(salt(7), hid, 'ASM-X', {
      ...WALKS_50M_DRIVES,
      assessedOn: '2026-03-10',
    });
    for (const org of ['Utrecht', 'Amsterdam', 'Police', 'RVO']) {
      const error = await world.expectRefused('NOT_INDEPENDENT_ASSESSOR', org, NOW, (ctx) =>
        recordAssessment(ctx, input),
      );
      expect(error.detail).toContain('not the independent assessor');
    }
  });

  it('refuses malformed, duplicate, future, too short and inconsistent assessments', async () => {
    const world = new World();
    const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
    const base: RecordAssessmentInput = {
      assessmentId: 'ASM-1',
      hid,
      outcome: 'positive',
      scope: 'driver',
      assessedOn: '2026-03-10',
      validUntil: '2027-03-10',
      detailsHash: 'ef'.repeat(32),
    };
    const record = (input: unknown) => (ctx: Parameters<typeof recordAssessment>[0]) =>
      recordAssessment(ctx, input as RecordAssessmentInput);
    await world.run('Assessor', NOW, record(base));
    await world.expectRefused('ASSESSMENT_EXISTS', 'Assessor', NOW, record(base));
    await world.expectRefused(
      'HOLDER_UNKNOWN',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', hid: '00'.repeat(32) }),
    );
    await world.expectRefused(
      'DATE_IN_FUTURE',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', assessedOn: '2026-03-17' }),
    );
    // The limitation must be long-term: at least six months.
    await world.expectRefused(
      'ASSESSMENT_TOO_SHORT',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', validUntil: '2026-09-09' }),
    );
    await world.expectRefused(
      'VALUE_INVALID',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', outcome: 'negative' }),
    );
    await world.expectRefused(
      'CARD_KIND_INVALID',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', scope: 'pedestrian' }),
    );
    await world.expectRefused(
      'ASSESSMENT_ID_MALFORMED',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'a b' }),
    );
    await world.expectRefused(
      'HASH_MALFORMED',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', detailsHash: 'name' }),
    );
    await world.expectRefused(
      'DATE_MALFORMED',
      'Assessor',
      NOW,
      record({ ...base, assessmentId: 'ASM-2', validUntil: '2027-02-30' }),
    );
    // A negative outcome carries neither scope nor validity.
    const { scope: _s, validUntil: _v, ...negative } = base;
    await world.run('Assessor', NOW, record({ ...negative, assessmentId: 'ASM-3', outcome: 'negative' }));
  });
});

describe('issuing a card', () => {
  it('issues a driver card valid for five years when the assessment holds longer', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world);
    const card = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1 });
    expect(card).toEqual({
      cardNumber: makeCardNumber('Utrecht', 1),
      hid,
      kind: 'driver',
      issuer: 'Utrecht',
      assessmentId,
      generation: 1,
      validFrom: DAY,
      validUntil: '2031-03-16',
      issuedAt: NOW,
      status: 'active',
    });
    expect(world.holder(hid)).toMatchObject({
      generation: 1,
      currentCard: card.cardNumber,
      cards: [card.cardNumber],
    });
    expect(world.checkCard(card.cardNumber, NOW)).toMatchObject({
      status: 'VALID',
      reason: 'VALID',
      kind: 'driver',
    });
    expect(world.checkCard(card.cardNumber, at('2031-03-16'))).toMatchObject({ status: 'VALID' });
    expect(world.checkCard(card.cardNumber, at('2031-03-17'))).toMatchObject({
      status: 'INVALID',
      reason: 'EXPIRED',
    });
  });

  it('caps the validity at the assessment validity', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world, {
      ...WALKS_50M_DRIVES,
      expectedDurationMonths: 18,
    });
    const card = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1 });
    expect(card.validUntil).toBe('2027-09-10');
    expect(world.checkCard(card.cardNumber, at('2027-09-11'))).toMatchObject({
      status: 'INVALID',
      reason: 'EXPIRED',
    });
  });

  it('accepts a requested validity within both caps, and refuses longer ones naming the rule', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world, {
      ...WALKS_50M_DRIVES,
      expectedDurationMonths: 36,
    });
    await world.expectRefused('VALIDITY_BEYOND_ASSESSMENT', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1, validUntil: '2029-03-11' }),
    );
    await world.expectRefused('VALIDITY_ENDS_BEFORE_START', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1, validUntil: '2026-03-15' }),
    );
    const card = await world.issue('Utrecht', NOW, {
      hid,
      assessmentId,
      cardSerial: 1,
      validUntil: '2029-03-10',
    });
    expect(card.validUntil).toBe('2029-03-10');

    const permanent = await world.assess(hid, '2026-03-12');
    const error = await world.expectRefused('VALIDITY_TOO_LONG', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, {
        hid,
        assessmentId: permanent,
        kind: 'driver',
        cardSerial: 2,
        validUntil: '2031-03-17',
      }),
    );
    expect(error.detail).toContain('at most 5 years');
    await world.issue('Utrecht', NOW, {
      hid,
      assessmentId: permanent,
      cardSerial: 2,
      validUntil: '2031-03-16',
    });
  });

  it('refuses a municipality issuing for a person registered elsewhere', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world);
    const error = await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1 }),
    );
    expect(error.detail).toContain('registered in Utrecht');
    expect(error.category).toBe('permission');
    await world.expectRefused('NOT_A_MUNICIPALITY', 'Assessor', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1 }),
    );
  });

  it("refuses without a positive assessment, with an expired one, another holder's or one of the wrong kind", async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world, {
      ...WALKS_50M_DRIVES,
      expectedDurationMonths: 6,
    });
    const issue =
      (input: Partial<Parameters<typeof issueCard>[1]>) => (ctx: Parameters<typeof issueCard>[0]) =>
        issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1, ...input });
    await world.expectRefused('NO_POSITIVE_ASSESSMENT', 'Utrecht', NOW, issue({ assessmentId: 'ASM-404' }));

    const negative = await world.assess(hid, '2026-03-11', { ...WALKS_50M_DRIVES, walkingDistanceMaxM: 400 });
    const error = await world.expectRefused(
      'NO_POSITIVE_ASSESSMENT',
      'Utrecht',
      NOW,
      issue({ assessmentId: negative }),
    );
    expect(error.detail).toContain('negative');

    await world.expectRefused('WRONG_CARD_KIND', 'Utrecht', NOW, issue({ kind: 'passenger' }));
    await world.expectRefused('WRONG_CARD_KIND', 'Utrecht', NOW, issue({ kind: 'both' }));
    await world.expectRefused('CARD_KIND_INVALID', 'Utrecht', NOW, issue({ kind: 'pedestrian' as never }));

    // Valid through 2026-09-10, the last day of six months; refused from the 11th.
    await world.issue('Utrecht', at('2026-09-10'), { hid, assessmentId, cardSerial: 5 });
    await world.expectRefused('ASSESSMENT_EXPIRED', 'Utrecht', at('2026-09-11'), issue({ cardSerial: 6 }));

    const bob = await world.register('Utrecht', BOB, at('2026-03-02'), 2);
    await world.expectRefused('ASSESSMENT_OTHER_HOLDER', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid: bob, assessmentId, kind: 'driver', cardSerial: 7 }),
    );
  });

  it('issues passenger cards and combined cards on a matching assessment', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world, {
      ...WALKS_50M_DRIVES,
      drives: false,
      needsDoorToDoorHelp: true,
    });
    await world.expectRefused('WRONG_CARD_KIND', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1 }),
    );
    const card = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1, kind: 'passenger' });
    expect(card.kind).toBe('passenger');

    const both = await world.assess(hid, '2026-03-12', { ...WALKS_50M_DRIVES, wheelchairPermanent: true });
    const combined = await world.issue('Utrecht', NOW, {
      hid,
      assessmentId: both,
      cardSerial: 2,
      kind: 'both',
    });
    expect(world.checkCard(combined.cardNumber, NOW)).toMatchObject({ status: 'VALID', kind: 'both' });
  });

  it('refuses an unknown holder, a taken card number and malformed serials', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world);
    await world.expectRefused('HOLDER_UNKNOWN', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid: '12'.repeat(32), assessmentId, kind: 'driver', cardSerial: 1 }),
    );
    await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1 });
    await world.expectRefused('CARD_NUMBER_TAKEN', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1 }),
    );
    await world.expectRefused('CARD_SERIAL_OUT_OF_RANGE', 'Utrecht', NOW, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: '2' as never }),
    );
    await world.expectRefused('VALUE_INVALID', 'Utrecht', NOW, (ctx) => issueCard(ctx, null as never));
  });

  it('a renewal supersedes the previous card at once', async () => {
    const world = new World();
    const { hid, assessmentId } = await aliceWithAssessment(world);
    const first = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1 });
    const renewal = await world.issue('Utrecht', at('2030-03-01'), { hid, assessmentId, cardSerial: 2 });
    expect(renewal).toMatchObject({ replaces: first.cardNumber, generation: 2, validUntil: '2035-03-01' });
    expect(world.ledger.value<CardRecord>(keys.card(first.cardNumber))).toMatchObject({
      status: 'superseded',
      supersededBy: renewal.cardNumber,
      reason: 'renewed',
    });
    expect(world.checkCard(first.cardNumber, at('2030-03-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
    });
    expect(world.checkCard(renewal.cardNumber, at('2030-03-01'))).toMatchObject({ status: 'VALID' });
  });
});

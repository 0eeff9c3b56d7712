/**
 * An audit of the parking rules against the issue and public Dutch guidance (rijksoverheid.nl,
 * municipal GPK/GPP pages, RDW sidecodes; docs/parking.md#sources), at the edges: the inclusive
 * last day of a card (exactly five years, the assessment's last day), Europe/Amsterdam days
 * against UTC instants, a check right after a duplicate, cards and places of holders who died or
 * moved, a plate whose card has ended, plate formats, and refusals that name their rule and the
 * refused field and change nothing. Pure rules where possible; transactions on the gateway's
 * MemoryLedger otherwise (test/domain/fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  assignReservedPlace,
  cardValidUntil,
  checkCard,
  checkPlate,
  dutchDate,
  issueCard,
  issueDuplicate,
  keys,
  normalisePlate,
  ParkingRuleViolation,
  parseCardNumber,
  parseDate,
  prepareAssessment,
  recordAssessment,
  recordMove,
  reportDeath,
  revokeCard,
  SIDECODES,
  type CardRecord,
  type HolderRecord,
  type PlaceRecord,
} from '../src/domain/index.js';
import { violationError } from '../src/http/parking-errors.js';
import { ALICE, at, BOB, salt, World, WALKS_50M_DRIVES } from './domain/fixtures.js';

const HID = 'ab'.repeat(32);
const CARD = 'NL-0344-00000018';

/** A card record as the chain holds it, for the pure checks. */
function card(over: Partial<CardRecord> = {}): CardRecord {
  return {
    cardNumber: CARD,
    hid: HID,
    kind: 'driver',
    issuer: 'Utrecht',
    assessmentId: 'ASM-1',
    generation: 1,
    validFrom: '2026-03-16',
    validUntil: '2031-03-16',
    issuedAt: '2026-03-16T09:00:00.000Z',
    status: 'active',
    ...over,
  };
}

function holder(over: Partial<HolderRecord> = {}): HolderRecord {
  return {
    hid: HID,
    municipality: 'Utrecht',
    status: 'active',
    generation: 1,
    currentCard: CARD,
    cards: [CARD],
    assessments: ['ASM-1'],
    place: null,
    places: [],
    registeredOn: '2026-03-02',
    ...over,
  };
}

function place(over: Partial<PlaceRecord> = {}): PlaceRecord {
  return {
    plate: 'GX-HR-12',
    hid: HID,
    cardNumber: CARD,
    municipality: 'Utrecht',
    addressHash: 'cd'.repeat(32),
    passengerException: false,
    validFrom: '2026-03-16',
    status: 'active',
    ...over,
  };
}

/** The violation `fn` throws; fails when it does not throw one. */
function violation(fn: () => unknown): ParkingRuleViolation {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParkingRuleViolation);
    return error as ParkingRuleViolation;
  }
  throw new Error('no refusal');
}

async function aliceWithCard(world: World, time = at('2026-03-16'), details = WALKS_50M_DRIVES) {
  const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
  const assessmentId = await world.assess(hid, '2026-03-10', details);
  const issued = await world.issue('Utrecht', time, { hid, assessmentId, cardSerial: 1 });
  return { hid, assessmentId, card: issued };
}

describe('validity: the last day is inclusive, at most five years, never beyond the assessment', () => {
  const permanent = { assessmentId: 'ASM-1', validUntil: '2036-03-10' };

  it('defaults to the same calendar date five years on, which is the last valid day', () => {
    expect(cardValidUntil('2026-03-16', permanent, undefined)).toBe('2031-03-16');
    // Exactly five years is allowed; one day more is not.
    expect(cardValidUntil('2026-03-16', permanent, '2031-03-16')).toBe('2031-03-16');
    const error = violation(() => cardValidUntil('2026-03-16', permanent, '2031-03-17'));
    expect(error.rule).toBe('VALIDITY_TOO_LONG');
    expect(error.detail).toContain('2031-03-16');
  });

  it('ends a card issued on 29 February on 28 February five years on', () => {
    expect(cardValidUntil('2028-02-29', permanent, undefined)).toBe('2033-02-28');
    expect(violation(() => cardValidUntil('2028-02-29', permanent, '2033-03-01')).rule).toBe(
      'VALIDITY_TOO_LONG',
    );
  });

  it("is capped at the assessment's last day, which is itself a valid day of the card", () => {
    const shorter = { assessmentId: 'ASM-2', validUntil: '2027-09-10' };
    expect(cardValidUntil('2026-03-16', shorter, undefined)).toBe('2027-09-10');
    expect(cardValidUntil('2026-03-16', shorter, '2027-09-10')).toBe('2027-09-10');
    const beyond = violation(() => cardValidUntil('2026-03-16', shorter, '2027-09-11'));
    expect(beyond.rule).toBe('VALIDITY_BEYOND_ASSESSMENT');
    expect(beyond.detail).toContain('ASM-2');
    // Beyond both caps: the five-year rule is named first.
    expect(violation(() => cardValidUntil('2026-03-16', shorter, '2032-01-01')).rule).toBe(
      'VALIDITY_TOO_LONG',
    );
  });

  it('allows a card ending on its first day, and refuses one ending before it', () => {
    expect(cardValidUntil('2026-03-16', permanent, '2026-03-16')).toBe('2026-03-16');
    expect(violation(() => cardValidUntil('2026-03-16', permanent, '2026-03-15')).rule).toBe(
      'VALIDITY_ENDS_BEFORE_START',
    );
  });

  it('a check is VALID through the last Dutch day and EXPIRED from Dutch midnight (winter, UTC+1)', () => {
    const winter = card({ validUntil: '2031-01-15' });
    expect(checkCard(winter, holder(), '2031-01-15T22:59:59.999Z').status).toBe('VALID');
    expect(checkCard(winter, holder(), '2031-01-15T23:00:00.000Z')).toMatchObject({
      status: 'INVALID',
      reason: 'EXPIRED',
      validUntil: '2031-01-15',
    });
  });

  it('a check is VALID through the last Dutch day and EXPIRED from Dutch midnight (summer, UTC+2)', () => {
    const summer = card({ validUntil: '2030-07-15' });
    expect(checkCard(summer, holder(), '2030-07-15T21:59:59.999Z').status).toBe('VALID');
    // 22:00 UTC is 00:00 on 16 July in Amsterdam, though still 15 July in UTC.
    expect(checkCard(summer, holder(), '2030-07-15T22:00:00.000Z').reason).toBe('EXPIRED');
  });

  it('is not yet valid before the Dutch day of issue', () => {
    expect(checkCard(card(), holder(), '2026-03-15T22:59:59.999Z').reason).toBe('NOT_YET_VALID');
    expect(checkCard(card(), holder(), '2026-03-15T23:00:00.000Z').status).toBe('VALID');
  });

  it('takes the Dutch day of the transaction as the day of issue, not the UTC day', async () => {
    const world = new World();
    // 23:30 UTC on 15 March is 00:30 on 16 March in Amsterdam.
    const { card: issued } = await aliceWithCard(world, '2026-03-15T23:30:00.000Z');
    expect(issued).toMatchObject({ validFrom: '2026-03-16', validUntil: '2031-03-16' });
    expect(world.checkCard(issued.cardNumber, '2026-03-15T23:30:00.000Z').status).toBe('VALID');
  });

  it('switches summer time on the last Sundays of March and October at 01:00 UTC', () => {
    expect(dutchDate('2027-03-27T23:00:00.000Z')).toBe('2027-03-28'); // CET, 00:00 on Sunday
    expect(dutchDate('2027-03-28T22:00:00.000Z')).toBe('2027-03-29'); // CEST from 01:00 UTC
    expect(dutchDate('2027-10-30T22:00:00.000Z')).toBe('2027-10-31'); // still CEST
    expect(dutchDate('2027-10-31T22:30:00.000Z')).toBe('2027-10-31'); // CET again: 23:30
    expect(dutchDate('2026-12-31T23:00:00.000Z')).toBe('2027-01-01'); // new year in Amsterdam
  });

  it("issues on the assessment's last day a card valid that day only, and refuses the day after", async () => {
    const world = new World();
    const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
    const assessmentId = await world.assess(hid, '2026-03-10', {
      ...WALKS_50M_DRIVES,
      expectedDurationMonths: 6,
    });
    // Last day of the assessment: 2026-09-10, in Amsterdam; 21:30 UTC is 23:30 CEST.
    const issued = await world.issue('Utrecht', '2026-09-10T21:30:00.000Z', {
      hid,
      assessmentId,
      cardSerial: 1,
    });
    expect(issued).toMatchObject({ validFrom: '2026-09-10', validUntil: '2026-09-10' });
    expect(world.checkCard(issued.cardNumber, '2026-09-10T21:59:59.999Z').status).toBe('VALID');
    expect(world.checkCard(issued.cardNumber, '2026-09-10T22:00:00.000Z').reason).toBe('EXPIRED');
    await world.expectRefused('ASSESSMENT_EXPIRED', 'Utrecht', '2026-09-10T22:00:00.000Z', (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 2 }),
    );
  });

  it('a duplicate keeps the last day, even when issued on it; the day after there is nothing to duplicate', async () => {
    const world = new World();
    const { card: first } = await aliceWithCard(world);
    const lastDay = await world.duplicate('Utrecht', at('2031-03-16'), first.cardNumber, 2);
    expect(lastDay).toMatchObject({ validFrom: '2031-03-16', validUntil: '2031-03-16' });
    await world.expectRefused('CARD_NOT_VALID', 'Utrecht', at('2031-03-17'), (ctx) =>
      issueDuplicate(ctx, { cardNumber: lastDay.cardNumber, reason: 'stolen', cardSerial: 3 }),
    );
  });
});

describe('a duplicate invalidates every earlier card at once', () => {
  it('a check in the same second as the duplicate reports the old card INVALID, naming the new one', async () => {
    const world = new World();
    const { card: first } = await aliceWithCard(world);
    const time = at('2027-05-04', '12:00:00.000');
    const second = await world.duplicate('Utrecht', time, first.cardNumber, 2);
    expect(world.checkCard(first.cardNumber, time)).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
      supersededBy: second.cardNumber,
      cardNumber: first.cardNumber,
    });
    expect(world.checkCard(second.cardNumber, time)).toMatchObject({ status: 'VALID', kind: 'driver' });
    // A duplicate of the duplicate: both earlier cards are invalid, the first still names its successor.
    const third = await world.duplicate('Utrecht', at('2027-06-01'), second.cardNumber, 3);
    expect(world.checkCard(first.cardNumber, at('2027-06-01')).status).toBe('INVALID');
    expect(world.checkCard(second.cardNumber, at('2027-06-01'))).toMatchObject({
      reason: 'SUPERSEDED',
      supersededBy: third.cardNumber,
    });
    expect(third.validUntil).toBe(first.validUntil);
    // The found old card cannot be duplicated again.
    await world.expectRefused('CARD_NOT_VALID', 'Utrecht', at('2027-06-02'), (ctx) =>
      issueDuplicate(ctx, { cardNumber: first.cardNumber, reason: 'lost', cardSerial: 4 }),
    );
  });

  it('the pure check reads the generation: an old card record never touched is still INVALID', () => {
    const newer = 'NL-0344-00000026';
    const result = checkCard(card(), holder({ generation: 2, currentCard: newer }), at('2027-01-01'));
    expect(result).toMatchObject({ status: 'INVALID', reason: 'SUPERSEDED', supersededBy: newer });
  });

  it('shows the kind on the check, so an officer sees a passenger card (P) is for a passenger', async () => {
    const world = new World();
    const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
    const assessmentId = await world.assess(hid, '2026-03-10', {
      ...WALKS_50M_DRIVES,
      drives: false,
      needsDoorToDoorHelp: true,
    });
    await world.expectRefused('WRONG_CARD_KIND', 'Utrecht', at('2026-03-16'), (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 1 }),
    );
    const passenger = await world.issue('Utrecht', at('2026-03-16'), {
      hid,
      assessmentId,
      cardSerial: 1,
      kind: 'passenger',
    });
    const lost = await world.duplicate('Utrecht', at('2026-04-16'), passenger.cardNumber, 2);
    expect(world.checkCard(lost.cardNumber, at('2026-04-16'))).toMatchObject({
      status: 'VALID',
      kind: 'passenger',
    });
  });
});

describe('death and moving away end the card and the place', () => {
  it('a moved holder: card HOLDER_MOVED, plate ended, nothing more from the old municipality', async () => {
    const world = new World();
    const { hid, assessmentId, card: issued } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', at('2026-04-01'), hid, 'GX-HR-12');
    await world.run('Utrecht', at('2026-10-01'), (ctx) => recordMove(ctx, { hid, movedOn: '2026-09-30' }));
    expect(world.checkCard(issued.cardNumber, at('2026-10-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_MOVED',
    });
    expect(world.checkPlate('GX-HR-12', at('2026-10-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'PLACE_ENDED',
    });
    await world.expectRefused('HOLDER_MOVED', 'Utrecht', at('2026-10-02'), (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 2 }),
    );
    // The new municipality cannot act on the old record either: it registers the person afresh.
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', at('2026-10-02'), (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 2 }),
    );
    const again = await world.register('Amsterdam', ALICE, at('2026-10-02'), 7);
    const assessed = await world.assess(again, '2026-10-05');
    const fresh = await world.issue('Amsterdam', at('2026-10-06'), {
      hid: again,
      assessmentId: assessed,
      cardSerial: 1,
    });
    expect(fresh.cardNumber).toMatch(/^NL-0363-/);
    // The plate is free again for the new record.
    await world.assignPlace('Amsterdam', at('2026-10-07'), again, 'GX-HR-12', 7);
    expect(world.checkPlate('GX-HR-12', at('2026-10-07'))).toMatchObject({
      status: 'VALID',
      cardNumber: fresh.cardNumber,
    });
    expect(world.checkCard(issued.cardNumber, at('2026-10-07')).reason).toBe('HOLDER_MOVED');
  });

  it('a death: every card of the holder (current and superseded) is INVALID with the death named', async () => {
    const world = new World();
    const { hid, card: first } = await aliceWithCard(world);
    const second = await world.duplicate('Utrecht', at('2026-05-01'), first.cardNumber, 2);
    await world.run('Utrecht', at('2026-08-03'), (ctx) => reportDeath(ctx, { hid, diedOn: '2026-08-01' }));
    for (const number of [first.cardNumber, second.cardNumber]) {
      expect(world.checkCard(number, at('2026-08-03'))).toMatchObject({
        status: 'INVALID',
        reason: 'HOLDER_DECEASED',
      });
    }
  });

  it('the pure check puts the holder status first, whatever the card record says', () => {
    for (const [status, reason] of [
      ['deceased', 'HOLDER_DECEASED'],
      ['moved', 'HOLDER_MOVED'],
      ['erased', 'HOLDER_ERASED'],
    ] as const) {
      expect(checkCard(card(), holder({ status }), at('2027-01-01'))).toMatchObject({
        status: 'INVALID',
        reason,
      });
      expect(checkPlate(place(), card(), holder({ status }), at('2027-01-01'))).toMatchObject({
        status: 'INVALID',
        reason,
        plate: 'GX-HR-12',
      });
    }
  });
});

describe('a reserved place ends with its card', () => {
  it('after expiry the plate check is INVALID, and the plate is free for another holder', async () => {
    const world = new World();
    const { hid } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', at('2026-04-01'), hid, 'GX-HR-12');
    expect(world.checkPlate('GX-HR-12', at('2031-03-16')).status).toBe('VALID');
    expect(world.checkPlate('GX-HR-12', at('2031-03-17'))).toMatchObject({
      status: 'INVALID',
      reason: 'EXPIRED',
      plate: 'GX-HR-12',
    });
    expect(world.checkPlate('GX-HR-12', at('2031-03-17')).message).toContain('ended with its card');

    const bob = await world.register('Utrecht', BOB, at('2031-03-01'), 2);
    const bobAssessment = await world.assess(bob, '2031-03-02');
    await world.issue('Utrecht', at('2031-03-03'), { hid: bob, assessmentId: bobAssessment, cardSerial: 2 });
    // While Alice's card is valid the plate is taken ...
    const taken = await world.expectRefused('PLATE_TAKEN', 'Utrecht', at('2031-03-16'), (ctx) =>
      assignReservedPlace(ctx, { hid: bob, plate: 'gx hr 12', addressHash: 'ee'.repeat(32) }),
    );
    expect(taken.detail).toContain('GX-HR-12');
    // ... and free the day after it expired.
    await world.assignPlace('Utrecht', at('2031-03-17'), bob, 'GX-HR-12', 2);
    expect(world.checkPlate('GX-HR-12', at('2031-03-17')).status).toBe('VALID');
  });

  it('after revocation the plate check is INVALID, PLACE_ENDED', async () => {
    const world = new World();
    const { hid, card: issued } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', at('2026-04-01'), hid, 'GX-HR-12');
    await world.run('Utrecht', at('2026-05-01'), (ctx) =>
      revokeCard(ctx, { cardNumber: issued.cardNumber, ground: 'misuse' }),
    );
    expect(world.checkPlate('GX-HR-12', at('2026-05-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'PLACE_ENDED',
    });
  });

  it('after a duplicate the plate follows the new card; the plate stays VALID', async () => {
    const world = new World();
    const { hid, card: first } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', at('2026-04-01'), hid, 'GX-HR-12');
    const second = await world.duplicate('Utrecht', at('2026-05-01'), first.cardNumber, 2);
    expect(world.checkPlate('GX-HR-12', at('2026-05-01'))).toMatchObject({
      status: 'VALID',
      cardNumber: second.cardNumber,
    });
    expect(world.ledger.value<PlaceRecord>(keys.plate('GX-HR-12'))?.cardNumber).toBe(second.cardNumber);
  });

  it('the pure plate check never says VALID for an ended place or for a place whose card is not its own', () => {
    const now = at('2027-01-01');
    expect(
      checkPlate(place({ status: 'ended', reason: 'holder-request' }), card(), holder(), now),
    ).toMatchObject({
      status: 'INVALID',
      reason: 'PLACE_ENDED',
    });
    expect(checkPlate(place(), card({ cardNumber: 'NL-0344-00000026' }), holder(), now).status).not.toBe(
      'VALID',
    );
    expect(checkPlate(undefined, undefined, undefined, now)).toMatchObject({
      status: 'UNKNOWN',
      reason: 'UNKNOWN_PLATE',
    });
  });
});

describe('Dutch licence plates', () => {
  it.each([
    ['xx9999', 'ab1234', 'AB-12-34'],
    ['9999xx', '1234ab', '12-34-AB'],
    ['99xx99', '12ab34', '12-AB-34'],
    ['xx99xx', 'ab12cd', 'AB-12-CD'],
    ['xxxx99', 'abcd12', 'AB-CD-12'],
    ['99xxxx', '12abcd', '12-AB-CD'],
    ['99xxx9', '12abc3', '12-ABC-3'],
    ['9xxx99', '1abc23', '1-ABC-23'],
    ['xx999x', 'ab123c', 'AB-123-C'],
    ['x999xx', 'a123bc', 'A-123-BC'],
    ['xxx99x', 'abc12d', 'ABC-12-D'],
    ['x99xxx', 'a12bcd', 'A-12-BCD'],
    ['9xx999', '1ab234', '1-AB-234'],
    ['999xx9', '123ab4', '123-AB-4'],
  ])('%s: %s is %s', (_mask, typed, printed) => {
    expect(normalisePlate(typed).plate).toBe(printed);
    expect(normalisePlate(printed).plate).toBe(printed);
    expect(
      SIDECODES.some((code) => code.pattern === printed.replace(/[A-Z]/g, 'X').replace(/\d/g, '9')),
    ).toBe(true);
  });

  it('refuses malformed plates naming the field, in the REST answer too (400)', () => {
    for (const bad of ['ABC123', 'AB1-234', 'AB-12-3', 'AB-12-3Ä', 'AB-1234', '', 42]) {
      const error = violation(() => normalisePlate(bad));
      expect(error.rule).toBe('PLATE_MALFORMED');
      expect(error.details).toEqual({ field: 'plate' });
      expect(error.detail.startsWith('plate: ')).toBe(true);
      const rest = violationError(error.toJSON());
      expect(rest.status).toBe(400);
      expect(rest.body).toMatchObject({ code: 'PLATE_MALFORMED', rule: 'PLATE_MALFORMED', field: 'plate' });
    }
    expect(violation(() => normalisePlate('ABC123', 'checks[2].subject')).details).toEqual({
      field: 'checks[2].subject',
    });
  });
});

describe('bad input gets a refusal naming the rule (and the field), and changes nothing', () => {
  it('names the field of malformed card numbers, dates and ids', () => {
    const number = violation(() => parseCardNumber('NL-0344-00000019'));
    expect(number).toMatchObject({ rule: 'CARD_NUMBER_MALFORMED', details: { field: 'cardNumber' } });
    expect(violationError(number.toJSON()).body).toMatchObject({ field: 'cardNumber' });
    expect(violation(() => parseDate('2027-02-29', 'validUntil'))).toMatchObject({
      rule: 'DATE_MALFORMED',
      details: { field: 'validUntil' },
    });
  });

  it('refuses an unknown card, a malformed one, another municipality and a non-independent assessor', async () => {
    const world = new World();
    const { hid, assessmentId, card: issued } = await aliceWithCard(world);
    const now = at('2026-04-01');
    const unknown = await world.expectRefused('CARD_UNKNOWN', 'Utrecht', now, (ctx) =>
      issueDuplicate(ctx, { cardNumber: 'NL-0344-99999992', reason: 'lost', cardSerial: 9 }),
    );
    expect(violationError(unknown.toJSON()).status).toBe(404);
    const malformed = await world.expectRefused('CARD_NUMBER_MALFORMED', 'Utrecht', now, (ctx) =>
      revokeCard(ctx, { cardNumber: 'NL-0344-99999993', ground: 'fraud' }),
    );
    expect(malformed.details).toEqual({ field: 'cardNumber' });
    const elsewhere = await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', now, (ctx) =>
      issueDuplicate(ctx, { cardNumber: issued.cardNumber, reason: 'stolen', cardSerial: 9 }),
    );
    expect(violationError(elsewhere.toJSON()).status).toBe(403);
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', now, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 9 }),
    );
    const { input } = prepareAssessment(salt(50), hid, 'ASM-OWN-DOCTOR', {
      ...WALKS_50M_DRIVES,
      assessedOn: '2026-03-30',
    });
    for (const org of ['Utrecht', 'Police']) {
      const error = await world.expectRefused('NOT_INDEPENDENT_ASSESSOR', org, now, (ctx) =>
        recordAssessment(ctx, input),
      );
      expect(violationError(error.toJSON()).status).toBe(403);
    }
    const date = await world.expectRefused('DATE_MALFORMED', 'Utrecht', now, (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 9, validUntil: '2027-02-29' }),
    );
    expect(violationError(date.toJSON()).body).toMatchObject({ field: 'validUntil' });
    const future = await world.expectRefused('DATE_IN_FUTURE', 'Utrecht', now, (ctx) =>
      recordMove(ctx, { hid, movedOn: '2026-04-02' }),
    );
    expect(future.details).toEqual({ field: 'movedOn' });
    // Nothing of this changed the card.
    expect(world.checkCard(issued.cardNumber, now).status).toBe('VALID');
  });
});

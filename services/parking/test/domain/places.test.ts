import { describe, expect, it } from 'vitest';
import {
  assignReservedPlace,
  endReservedPlace,
  keys,
  reportDeath,
  revokeCard,
  type PlaceRecord,
} from '../../src/domain/index.js';
import { ALICE, at, BOB, World, WALKS_50M_DRIVES } from './fixtures.js';

const NOW = at('2026-03-16');
const HASH = 'aa'.repeat(32);

async function aliceWithCard(world: World, details = WALKS_50M_DRIVES) {
  const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
  const assessmentId = await world.assess(hid, '2026-03-10', details);
  const kind = details.drives ? ('driver' as const) : ('passenger' as const);
  const card = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1, kind });
  return { hid, assessmentId, card };
}

/** The place on GX-HR-12 has ended with `reason`, and a check at `time` says so. */
function expectPlaceEnded(world: World, time: string, reason: string): void {
  expect(world.checkPlate('GX-HR-12', time)).toMatchObject({ status: 'INVALID', reason: 'PLACE_ENDED' });
  expect(world.ledger.value<PlaceRecord>(keys.plate('GX-HR-12'))).toMatchObject({ status: 'ended', reason });
}

describe('reserved places', () => {
  it("ties one holder, one normalised plate and one hashed address to the holder's valid card", async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world);
    const place = await world.assignPlace('Utrecht', NOW, hid, 'gx-hr-12');
    expect(place).toEqual({
      plate: 'GX-HR-12',
      hid,
      cardNumber: card.cardNumber,
      municipality: 'Utrecht',
      addressHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      passengerException: false,
      validFrom: '2026-03-16',
      status: 'active',
    });
    expect(world.holder(hid)).toMatchObject({ place: 'GX-HR-12', places: ['GX-HR-12'] });
    expect(world.checkPlate('GX-HR-12', NOW)).toMatchObject({
      status: 'VALID',
      plate: 'GX-HR-12',
      cardNumber: card.cardNumber,
    });
    expect(world.ledger.transactions.at(-1)!.private).toEqual([
      { collection: 'place-addresses', key: `${hid}/GX-HR-12`, hash: place.addressHash },
    ]);
  });

  it('ends with the card: expiry, revocation and death all make the plate INVALID', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12');
    expect(world.checkPlate('GX-HR-12', at('2031-03-16')).status).toBe('VALID');
    expect(world.checkPlate('GX-HR-12', at('2031-03-17'))).toMatchObject({
      status: 'INVALID',
      reason: 'EXPIRED',
    });

    await world.run('Utrecht', at('2027-01-05'), (ctx) =>
      revokeCard(ctx, { cardNumber: card.cardNumber, ground: 'fraud' }),
    );
    expectPlaceEnded(world, at('2027-01-05'), 'card-revoked');

    const world2 = new World();
    const alice = await aliceWithCard(world2);
    await world2.assignPlace('Utrecht', NOW, alice.hid, 'GX-HR-12');
    await world2.run('Utrecht', at('2026-05-02'), (ctx) =>
      reportDeath(ctx, { hid: alice.hid, diedOn: '2026-05-01' }),
    );
    expectPlaceEnded(world2, at('2026-05-02'), 'card-ended-deceased');
  });

  it('moves to the duplicate card, so it stays valid while the old card is invalid', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12');
    const duplicate = await world.duplicate('Utrecht', at('2026-06-01'), card.cardNumber, 2);
    expect(world.checkPlate('GX-HR-12', at('2026-06-01'))).toMatchObject({
      status: 'VALID',
      cardNumber: duplicate.cardNumber,
    });
    expect(world.checkCard(card.cardNumber, at('2026-06-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
    });
  });

  it('does not come back with a renewal after the card expired; the plate is then free', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world, { ...WALKS_50M_DRIVES, expectedDurationMonths: 12 });
    await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12');
    expect(card.validUntil).toBe('2027-03-10');
    const assessmentId = await world.assess(hid, '2027-04-01');
    await world.issue('Utrecht', at('2027-04-02'), { hid, assessmentId, cardSerial: 2 });
    expect(world.checkPlate('GX-HR-12', at('2027-04-02'))).toMatchObject({
      status: 'INVALID',
      reason: 'PLACE_ENDED',
    });
    expect(world.holder(hid).place).toBeNull();
    await world.assignPlace('Utrecht', at('2027-04-03'), hid, 'GX-HR-12');
    expect(world.checkPlate('GX-HR-12', at('2027-04-03')).status).toBe('VALID');
  });

  it('refuses malformed plates, a second place, a taken plate, another municipality and a holder without a valid card', async () => {
    const world = new World();
    const { hid } = await aliceWithCard(world);
    const assign =
      (plate: string, who = hid) =>
      (ctx: Parameters<typeof assignReservedPlace>[0]) =>
        assignReservedPlace(ctx, { hid: who, plate, addressHash: HASH });
    const error = await world.expectRefused('PLATE_MALFORMED', 'Utrecht', NOW, assign('GXH-R12'));
    expect(error.detail).toContain('GX-HR-12');
    await world.expectRefused('PLATE_MALFORMED', 'Utrecht', NOW, assign('ABC123'));
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, assign('GX-HR-12'));
    await world.expectRefused('HASH_MALFORMED', 'Utrecht', NOW, (ctx) =>
      assignReservedPlace(ctx, { hid, plate: 'GX-HR-12', addressHash: 'Oudegracht 231' }),
    );
    await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12');
    await world.expectRefused('PLACE_ALREADY_ASSIGNED', 'Utrecht', NOW, assign('12-ABC-3'));

    const bob = await world.register('Utrecht', BOB, at('2026-03-02'), 2);
    await world.expectRefused('CARD_NOT_VALID', 'Utrecht', NOW, assign('12-ABC-3', bob));
    const assessmentId = await world.assess(bob, '2026-03-11');
    await world.issue('Utrecht', NOW, { hid: bob, assessmentId, cardSerial: 2 });
    await world.expectRefused('PLATE_TAKEN', 'Utrecht', NOW, assign('GXHR12', bob));
  });

  it("gives a passenger card a place only with the municipality's exception", async () => {
    const world = new World();
    const { hid } = await aliceWithCard(world, {
      ...WALKS_50M_DRIVES,
      drives: false,
      needsDoorToDoorHelp: true,
    });
    await world.expectRefused('PASSENGER_PLACE_NOT_JUSTIFIED', 'Utrecht', NOW, (ctx) =>
      assignReservedPlace(ctx, { hid, plate: 'GX-HR-12', addressHash: HASH }),
    );
    const place = await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12', 1, true);
    expect(place.passengerException).toBe(true);
  });

  it('ends on request, once, by the municipality of registration', async () => {
    const world = new World();
    const { hid } = await aliceWithCard(world);
    await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12');
    const end = (plate: string) => (ctx: Parameters<typeof endReservedPlace>[0]) =>
      endReservedPlace(ctx, { plate, reason: 'plate-changed' });
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, end('GX-HR-12'));
    await world.expectRefused('PLACE_UNKNOWN', 'Utrecht', NOW, end('12-ABC-3'));
    await world.run('Utrecht', NOW, end('gx-hr-12'));
    expect(world.checkPlate('GX-HR-12', NOW)).toMatchObject({ status: 'INVALID', reason: 'PLACE_ENDED' });
    expect(world.holder(hid).place).toBeNull();
    await world.expectRefused('PLACE_NOT_ACTIVE', 'Utrecht', NOW, end('GX-HR-12'));
    // A new car: a new place for the new plate.
    await world.assignPlace('Utrecht', NOW, hid, '12-ABC-3');
    expect(world.holder(hid).places).toEqual(['GX-HR-12', '12-ABC-3']);
    expect(world.checkPlate('99-XXX-9', NOW)).toMatchObject({ status: 'UNKNOWN', reason: 'UNKNOWN_PLATE' });
  });
});

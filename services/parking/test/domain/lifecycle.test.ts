import { describe, expect, it } from 'vitest';
import {
  issueDuplicate,
  keys,
  recordMove,
  reportDeath,
  revokeCard,
  issueCard,
  makeCardNumber,
  type CardRecord,
} from '../../src/domain/index.js';
import { ALICE, at, World } from './fixtures.js';

const NOW = at('2026-03-16');

async function aliceWithCard(world: World): Promise<{ hid: string; assessmentId: string; card: CardRecord }> {
  const hid = await world.register('Utrecht', ALICE, at('2026-03-02'));
  const assessmentId = await world.assess(hid, '2026-03-10');
  const card = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1 });
  return { hid, assessmentId, card };
}

describe('duplicates (lost, stolen, damaged)', () => {
  it('a check right after a duplicate reports the old card INVALID, superseded', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world);
    const later = at('2027-06-01', '13:00:00.000');
    const duplicate = await world.duplicate('Utrecht', later, card.cardNumber, 2);
    expect(duplicate).toMatchObject({
      kind: 'driver',
      validFrom: '2027-06-01',
      validUntil: card.validUntil, // a duplicate keeps the end date
      replaces: card.cardNumber,
      generation: 2,
    });
    const afterwards = at('2027-06-01', '13:00:00.001');
    expect(world.checkCard(card.cardNumber, afterwards)).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
      supersededBy: duplicate.cardNumber,
    });
    expect(world.checkCard(duplicate.cardNumber, afterwards)).toMatchObject({ status: 'VALID' });
    expect(world.ledger.value<CardRecord>(keys.card(card.cardNumber))).toMatchObject({
      status: 'superseded',
      reason: 'lost',
    });
    expect(world.holder(hid)).toMatchObject({ generation: 2, currentCard: duplicate.cardNumber });
    expect(world.ledger.transactions.at(-1)!.event?.type).toBe('card.duplicated');
  });

  it('invalidates every earlier card of the holder at once, through the generation', async () => {
    const world = new World();
    const { hid, assessmentId, card: first } = await aliceWithCard(world);
    const second = await world.duplicate('Utrecht', at('2026-05-01'), first.cardNumber, 2);
    const third = await world.issue('Utrecht', at('2026-07-01'), { hid, assessmentId, cardSerial: 3 });
    const fourth = await world.duplicate('Utrecht', at('2026-09-01'), third.cardNumber, 4);
    const time = at('2026-09-02');
    for (const old of [first, second, third]) {
      expect(world.checkCard(old.cardNumber, time)).toMatchObject({
        status: 'INVALID',
        reason: 'SUPERSEDED',
      });
    }
    expect(world.checkCard(fourth.cardNumber, time).status).toBe('VALID');
    // Even a card record never marked superseded (as if its update were lost) is invalid: the
    // check compares its generation with the holder's.
    const stale = {
      ...world.ledger.value<CardRecord>(keys.card(first.cardNumber))!,
      status: 'active' as const,
    };
    const { checkCard } = await import('../../src/domain/index.js');
    expect(checkCard(stale, world.holder(hid), time)).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
    });
  });

  it('refuses a duplicate of a card that is no longer valid, of an unknown card, or by another municipality', async () => {
    const world = new World();
    const { card } = await aliceWithCard(world);
    const duplicate =
      (cardNumber: string, cardSerial = 9) =>
      (ctx: Parameters<typeof issueDuplicate>[0]) =>
        issueDuplicate(ctx, { cardNumber, reason: 'stolen', cardSerial });
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, duplicate(card.cardNumber));
    await world.expectRefused('CARD_UNKNOWN', 'Utrecht', NOW, duplicate(makeCardNumber('Utrecht', 777)));
    await world.expectRefused('CARD_NUMBER_MALFORMED', 'Utrecht', NOW, duplicate('NL-0344-1'));
    await world.expectRefused('VALUE_INVALID', 'Utrecht', NOW, (ctx) =>
      issueDuplicate(ctx, { cardNumber: card.cardNumber, reason: 'sold' as never, cardSerial: 9 }),
    );
    await world.expectRefused('CARD_NUMBER_TAKEN', 'Utrecht', NOW, duplicate(card.cardNumber, 1));
    await world.expectRefused('CARD_NOT_VALID', 'Utrecht', at('2031-03-17'), duplicate(card.cardNumber));
    await world.duplicate('Utrecht', NOW, card.cardNumber, 2);
    const error = await world.expectRefused('CARD_NOT_VALID', 'Utrecht', NOW, duplicate(card.cardNumber, 3));
    expect(error.detail).toContain('SUPERSEDED');
  });
});

describe('death and moving away end validity', () => {
  it('after a reported death the card is INVALID and nothing more can be issued', async () => {
    const world = new World();
    const { hid, assessmentId, card } = await aliceWithCard(world);
    await world.run('Utrecht', at('2026-08-03'), (ctx) => reportDeath(ctx, { hid, diedOn: '2026-08-01' }));
    expect(world.holder(hid)).toMatchObject({ status: 'deceased', currentCard: null, endedOn: '2026-08-01' });
    expect(world.ledger.value<CardRecord>(keys.card(card.cardNumber))).toMatchObject({
      status: 'ended',
      reason: 'deceased',
    });
    expect(world.checkCard(card.cardNumber, at('2026-08-03'))).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_DECEASED',
    });
    await world.expectRefused('HOLDER_DECEASED', 'Utrecht', at('2026-08-04'), (ctx) =>
      issueCard(ctx, { hid, assessmentId, kind: 'driver', cardSerial: 2 }),
    );
    await world.expectRefused('HOLDER_DECEASED', 'Utrecht', at('2026-08-04'), (ctx) =>
      reportDeath(ctx, { hid, diedOn: '2026-08-01' }),
    );
  });

  it('after a move to another municipality the card is INVALID', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world);
    await world.run('Utrecht', at('2026-10-01'), (ctx) => recordMove(ctx, { hid, movedOn: '2026-09-30' }));
    expect(world.checkCard(card.cardNumber, at('2026-10-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_MOVED',
    });
    expect(world.ledger.transactions.at(-1)!.event).toEqual({
      type: 'holder.moved',
      data: { hid, on: '2026-09-30', endedCard: card.cardNumber, endedPlace: null },
    });
    await world.expectRefused('HOLDER_MOVED', 'Utrecht', at('2026-10-02'), (ctx) =>
      issueDuplicate(ctx, { cardNumber: card.cardNumber, reason: 'lost', cardSerial: 5 }),
    );
    // The new municipality registers the person afresh, with its own salt: a new, unlinkable hid.
    const again = await world.register('Amsterdam', ALICE, at('2026-10-02'), 9);
    expect(again).not.toBe(hid);
    expect(world.holder(again)).toMatchObject({ municipality: 'Amsterdam', status: 'active' });
  });

  it('refuses death and move reports by another municipality, in the future, or malformed', async () => {
    const world = new World();
    const { hid } = await aliceWithCard(world);
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, (ctx) =>
      reportDeath(ctx, { hid, diedOn: '2026-03-15' }),
    );
    await world.expectRefused('DATE_IN_FUTURE', 'Utrecht', NOW, (ctx) =>
      reportDeath(ctx, { hid, diedOn: '2026-03-17' }),
    );
    await world.expectRefused('DATE_MALFORMED', 'Utrecht', NOW, (ctx) =>
      recordMove(ctx, { hid, movedOn: '15-03-2026' }),
    );
    await world.expectRefused('HOLDER_UNKNOWN', 'Utrecht', NOW, (ctx) =>
      recordMove(ctx, { hid: 'ff'.repeat(32), movedOn: '2026-03-15' }),
    );
    await world.expectRefused('NOT_A_MUNICIPALITY', 'Police', NOW, (ctx) =>
      recordMove(ctx, { hid, movedOn: '2026-03-15' }),
    );
  });
});

describe('revocation', () => {
  it('the issuer revokes the current card; the check says REVOKED', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCard(world);
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, (ctx) =>
      revokeCard(ctx, { cardNumber: card.cardNumber, ground: 'fraud' }),
    );
    await world.expectRefused('VALUE_INVALID', 'Utrecht', NOW, (ctx) =>
      revokeCard(ctx, { cardNumber: card.cardNumber, ground: 'Alice was seen walking' as never }),
    );
    await world.run('Utrecht', NOW, (ctx) =>
      revokeCard(ctx, { cardNumber: card.cardNumber, ground: 'misuse' }),
    );
    expect(world.checkCard(card.cardNumber, NOW)).toMatchObject({ status: 'INVALID', reason: 'REVOKED' });
    expect(world.holder(hid).currentCard).toBeNull();
    await world.expectRefused('CARD_NOT_VALID', 'Utrecht', NOW, (ctx) =>
      revokeCard(ctx, { cardNumber: card.cardNumber, ground: 'misuse' }),
    );
  });
});

describe('roadside check answers', () => {
  it('UNKNOWN for a card number that was never issued, NOT_YET_VALID before its first day', async () => {
    const world = new World();
    const { card } = await aliceWithCard(world);
    expect(world.checkCard(makeCardNumber('Amsterdam', 26), NOW)).toMatchObject({
      status: 'UNKNOWN',
      reason: 'UNKNOWN_CARD',
    });
    expect(world.checkCard(card.cardNumber, at('2026-03-15'))).toMatchObject({
      status: 'INVALID',
      reason: 'NOT_YET_VALID',
    });
  });
});

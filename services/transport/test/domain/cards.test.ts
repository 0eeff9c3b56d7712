import { describe, expect, it } from 'vitest';
import { keys, type CardRecord } from '../../src/domain/index.js';
import { CARD, World } from './fixtures.js';

describe('card.issue and card.update (RDW register)', () => {
  it('RDW issues a card: the register holds the driver as a hash, the company and the validity', async () => {
    const world = new World();
    const issued = await world.issue(CARD, { driverKey: 'cd'.repeat(32) });
    expect(issued.ok && issued.code).toBe('VALID');
    const card = world.ledger.value<CardRecord>(keys.card(CARD))!;
    expect(card).toMatchObject({
      cardNumber: CARD,
      company: 'Haulier',
      status: 'ACTIVE',
      validFrom: '2023-06-01',
      validUntil: '2028-05-31',
      driverKey: 'cd'.repeat(32),
    });
    expect(issued.tx.event).toMatchObject({
      type: 'card.issued',
      data: { cardNumber: CARD, company: 'Haulier' },
    });
  });

  it('normalises card numbers and refuses malformed ones naming the field', async () => {
    const world = new World();
    const spaced = await world.issue('nb00 0000 0000 1100');
    expect(spaced.ok && spaced.value.cardNumber).toBe(CARD);
    const bad = await world.issue('NB-123');
    expect(bad.ok).toBe(false);
    expect(bad.ok || bad.violation).toMatchObject({
      rule: 'CARD_NUMBER_MALFORMED',
      field: 'cardNumber',
      category: 'input',
    });
  });

  it('only RDW issues, a card is issued once, to a transport company, for at most five years', async () => {
    const world = new World();
    const byCompany = await world.run('Haulier', 'card.issue', { cardNumber: CARD });
    expect(byCompany.ok || byCompany.violation.rule).toBe('NOT_CARD_AUTHORITY');
    expect((await world.issue()).ok).toBe(true);
    const again = await world.issue();
    expect(again.ok || again.violation.rule).toBe('CARD_EXISTS');
    const toInspector = await world.issue('NB00000000009900', { company: 'ILT' });
    expect(toInspector.ok || toInspector.violation).toMatchObject({
      rule: 'VALUE_INVALID',
      field: 'company',
    });
    const tooLong = await world.issue('NB00000000009900', { validUntil: '2033-06-02' });
    expect(tooLong.ok || tooLong.violation).toMatchObject({ rule: 'VALUE_INVALID', field: 'validUntil' });
    expect(world.ledger.value(keys.card('NB00000000009900'))).toBeUndefined();
  });

  it('RDW moves a card to another company, suspends it, replaces the key; unknown cards are 404', async () => {
    const world = new World();
    await world.issue();
    const moved = await world.run('RDW', 'card.update', {
      cardNumber: CARD,
      company: 'Trucker',
      status: 'SUSPENDED',
      driverKey: 'ef'.repeat(32),
    });
    expect(moved.ok && moved.code).toBe('VALID');
    expect(world.ledger.value<CardRecord>(keys.card(CARD))).toMatchObject({
      company: 'Trucker',
      status: 'SUSPENDED',
      driverKey: 'ef'.repeat(32),
    });
    // The key itself is not in the event; that it changed is.
    expect(moved.tx.event).toMatchObject({
      type: 'card.updated',
      data: { company: 'Trucker', keyChanged: true },
    });
    expect(JSON.stringify(moved.tx.event)).not.toContain('ef'.repeat(32));
    const unknown = await world.run('RDW', 'card.update', {
      cardNumber: 'NB00000000009900',
      status: 'WITHDRAWN',
    });
    expect(unknown.ok || unknown.violation).toMatchObject({ rule: 'CARD_NOT_FOUND', category: 'not-found' });
    const empty = await world.run('RDW', 'card.update', { cardNumber: CARD });
    expect(empty.ok || empty.violation.rule).toBe('VALUE_INVALID');
    const byPolice = await world.run('Police', 'card.update', { cardNumber: CARD, status: 'WITHDRAWN' });
    expect(byPolice.ok || byPolice.violation.rule).toBe('NOT_CARD_AUTHORITY');
  });
});

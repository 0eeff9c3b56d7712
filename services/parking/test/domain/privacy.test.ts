import { sha256, toHex } from '@civic/protocol';
import { describe, expect, it } from 'vitest';
import {
  canonicalPersonId,
  holderId,
  officerRef,
  preparePerson,
  privateDataHash,
  recordChecks,
  recordErasure,
  registerHolder,
  reportDeath,
  ParkingRuleViolation,
  PrivateCollection,
} from '../../src/domain/index.js';
import { ALICE, at, BOB, salt, World, WALKS_50M_DRIVES } from './fixtures.js';

const NOW = at('2026-03-16');

/** Strings that must never appear on the chain: names, addresses, person numbers, medical details. */
const PERSONAL = [
  ALICE.name,
  'Jansen',
  ALICE.address.street,
  ALICE.address.postcode,
  ALICE.personId,
  BOB.name,
  BOB.address.street,
  BOB.address.postcode,
  BOB.personId,
  'coxarthrosis',
  'arthroplasty',
  'walkingDistance',
  'wheelchair',
  'DoorToDoor',
  'expectedDuration',
  'notes',
];

async function busyWorld(): Promise<{ world: World; alice: string; bob: string }> {
  const world = new World();
  const alice = await world.register('Utrecht', ALICE, at('2026-03-02'), 1);
  const bob = await world.register('Amsterdam', BOB, at('2026-03-02'), 2);
  const a1 = await world.assess(alice, '2026-03-10');
  const b1 = await world.assess(bob, '2026-03-10', {
    ...WALKS_50M_DRIVES,
    drives: false,
    needsDoorToDoorHelp: true,
    notes: 'MS, relapsing',
  });
  await world.assess(bob, '2026-03-11', {
    ...WALKS_50M_DRIVES,
    walkingDistanceMaxM: 800,
    notes: 'knee sprain',
  });
  const card = await world.issue('Utrecht', NOW, { hid: alice, assessmentId: a1, cardSerial: 1 });
  await world.issue('Amsterdam', NOW, { hid: bob, assessmentId: b1, cardSerial: 1, kind: 'passenger' });
  await world.assignPlace('Utrecht', NOW, alice, 'GX-HR-12', 1);
  const duplicate = await world.duplicate('Utrecht', at('2026-04-01'), card.cardNumber, 2);
  await world.run('Police', at('2026-04-02'), (ctx) =>
    recordChecks(ctx, {
      checks: [
        {
          via: 'card',
          subject: duplicate.cardNumber,
          checkedAt: at('2026-04-02', '08:00:00.000'),
          officerRef: officerRef(salt(50), 'officer-4711'),
          area: '0344',
          status: 'VALID',
          reason: 'VALID',
        },
        {
          via: 'plate',
          subject: 'GX-HR-12',
          checkedAt: at('2026-04-02', '08:05:00.000'),
          officerRef: officerRef(salt(50), 'officer-4711'),
          area: '0344',
          status: 'VALID',
          reason: 'VALID',
        },
      ],
    }),
  );
  await world.run('Amsterdam', at('2026-05-01'), (ctx) =>
    reportDeath(ctx, { hid: bob, diedOn: '2026-04-30' }),
  );
  return { world, alice, bob };
}

describe('privacy by construction', () => {
  it('puts no name, address, person number, medical detail or salt anywhere in the chain', async () => {
    const { world } = await busyWorld();
    const chain = world.ledger.chainText();
    expect(world.ledger.transactions.length).toBeGreaterThan(10);
    for (const text of [...PERSONAL, salt(1), salt(2), 'officer-4711']) {
      expect(chain.includes(text), `${text} is on the chain`).toBe(false);
    }
    // ... while the private stores do hold them (the scan would find them if they leaked).
    expect(world.stores.Utrecht.dump()).toContain(ALICE.name);
    expect(world.stores.Assessor.dump()).toContain('coxarthrosis');
  });

  it('derives the hid as SHA-256(salt ‖ person id) and the private hashes as SHA-256(salt ‖ JCS(data))', () => {
    const s = salt(1);
    const expected = toHex(sha256(Buffer.from(s, 'hex'), Buffer.from('111222333', 'utf8')));
    expect(holderId(s, '111 222 333')).toBe(expected);
    expect(privateDataHash(s, { b: 1, a: 'x' })).toBe(
      toHex(sha256(Buffer.from(s, 'hex'), Buffer.from('{"a":"x","b":1}', 'utf8'))),
    );
    const prepared = preparePerson(s, ALICE);
    expect(prepared.hid).toBe(expected);
    expect(prepared.personHash).toBe(privateDataHash(s, ALICE));
    expect(prepared.writes.map((w) => [w.collection, w.key])).toEqual([
      [PrivateCollection.PERSONS, expected],
      [PrivateCollection.PERSON_INDEX, '111222333'],
    ]);
    // A different salt gives an unrelated id for the same person.
    expect(holderId(salt(2), ALICE.personId)).not.toBe(expected);
  });

  it('checks person ids (BSN 11-check) and salts without echoing the person id', () => {
    expect(canonicalPersonId('12345672')).toBe('012345672');
    expect(canonicalPersonId('1112.22.333')).toBe('111222333');
    for (const bad of ['111222334', '12345', 'abcdefghi', '000000000', 111222333]) {
      try {
        canonicalPersonId(bad);
        expect.unreachable(`${String(bad)} accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(ParkingRuleViolation);
        expect((error as ParkingRuleViolation).rule).toBe('PERSON_ID_MALFORMED');
        expect((error as Error).message).not.toContain(String(bad));
      }
    }
    expect(() => holderId('abcd', ALICE.personId)).toThrow(/SALT_MALFORMED/);
    expect(() => preparePerson(salt(1), { ...ALICE, name: '' })).toThrow(/VALUE_INVALID: name/);
    expect(() =>
      preparePerson(salt(1), { ...ALICE, address: { ...ALICE.address, postcode: '3511' } }),
    ).toThrow(/postcode/);
  });

  it('after an erasure the personal data can be read nowhere, the hid is unlinkable, and the chain is unchanged', async () => {
    const { world, alice } = await busyWorld();
    const before = world.ledger.transactions.map((tx) => JSON.stringify(tx));
    const card = world.holder(alice).currentCard!;

    // The service's erasure: each organisation's private store, then the erasure event.
    expect(await world.stores.Utrecht.erase(alice)).toBe(3); // person, index, place address
    expect(await world.stores.Assessor.erase(alice)).toBe(1); // assessment details
    const { tx } = await world.ledger.transact('Utrecht', at('2026-06-01'), (ctx) =>
      recordErasure(ctx, { hid: alice }),
    );
    expect(tx.event).toEqual({ type: 'holder.erased', data: { hid: alice } });

    for (const store of Object.values(world.stores)) {
      const dump = store.dump();
      for (const text of [ALICE.name, ALICE.personId, ALICE.address.street, 'coxarthrosis', salt(1), alice]) {
        expect(dump.includes(text), `${text} still in a private store`).toBe(false);
      }
    }
    expect(
      await world.stores.Utrecht.get(PrivateCollection.PERSON_INDEX, canonicalPersonId(ALICE.personId)),
    ).toBeUndefined();
    // Without the salt the hid cannot be recomputed from the person id.
    expect(toHex(sha256(Buffer.from(ALICE.personId)))).not.toBe(alice);
    for (const guess of [salt(0), salt(2), salt(3), '00'.repeat(16)])
      expect(holderId(guess, ALICE.personId)).not.toBe(alice);
    // The chain still holds every earlier transaction unchanged, and no personal data.
    expect(world.ledger.transactions.slice(0, before.length).map((t) => JSON.stringify(t))).toEqual(before);
    for (const text of PERSONAL) expect(world.ledger.chainText().includes(text)).toBe(false);
    // The card and place are no longer valid; the holder record says erased.
    expect(world.checkCard(card, at('2026-06-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_ERASED',
    });
    expect(world.checkPlate('GX-HR-12', at('2026-06-01'))).toMatchObject({
      status: 'INVALID',
      reason: 'PLACE_ENDED',
    });
    // Bob's data (another holder) is untouched.
    expect(world.stores.Amsterdam.dump()).toContain(BOB.name);
  });

  it('refuses a second erasure and an erasure by another municipality', async () => {
    const { world, alice, bob } = await busyWorld();
    await world.expectRefused('NOT_REGISTERED_HERE', 'Amsterdam', NOW, (ctx) =>
      recordErasure(ctx, { hid: alice }),
    );
    await world.run('Utrecht', at('2026-06-01'), (ctx) => recordErasure(ctx, { hid: alice }));
    await world.expectRefused('HOLDER_ERASED', 'Utrecht', at('2026-06-02'), (ctx) =>
      recordErasure(ctx, { hid: alice }),
    );
    // A deceased holder's data can be erased too.
    await world.run('Amsterdam', at('2026-06-01'), (ctx) => recordErasure(ctx, { hid: bob }));
    expect(world.holder(bob)).toMatchObject({ status: 'erased', endedOn: '2026-04-30' });
    await world.expectRefused('HOLDER_EXISTS', 'Utrecht', at('2026-06-02'), (ctx) =>
      registerHolder(ctx, { hid: alice, personHash: 'aa'.repeat(32) }),
    );
  });
});

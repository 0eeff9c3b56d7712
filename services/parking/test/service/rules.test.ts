/**
 * The parking REST API against the real NATS and PostgreSQL, with a stand-in orderer and a peer
 * running libs/ledger's real validation: one test per rule at the REST level (each refusal checked
 * to change nothing: world state, submissions and every private store compared before and after),
 * the duplicate-then-check case, roadside checks with verified proofs, and bad input.
 */
import { blockHashOf, merkleLeafHash, fromHex, toHex, verifyInclusionProof } from '@civic/protocol';
import { DEV_NAMESPACES } from '@civic/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARKING_NAMESPACE_CONFIG } from '../../src/domain/index.js';
import {
  assess,
  checkCard,
  checkPlate,
  holderWithCard,
  issue,
  ok,
  register,
  USER,
} from '../support/flows.js';
import { startParkingMesh, type Org, type ParkingMesh } from '../support/parking-mesh.js';
import { daysFromToday, drivesWalks50m, person, walksFar } from '../support/people.js';
import { snapshot } from '../support/snapshot.js';

let mesh: ParkingMesh;

beforeAll(async () => {
  mesh = await startParkingMesh();
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
}, 60_000);

/** Runs a request that must be refused with `status` and `code`, and checks that nothing changed. */
async function refused(
  status: number,
  code: string,
  org: Org,
  method: 'GET' | 'POST',
  url: string,
  user: string | null,
  body?: unknown,
) {
  const before = await snapshot(mesh);
  const reply = await mesh.call(org, method, url, user, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body.error.code).toBe(code);
  expect(await snapshot(mesh)).toBe(before);
  return reply.body.error;
}

describe('holders', () => {
  it('registers a person: the private store keeps who, the chain only the hid', async () => {
    const who = person();
    const reply = ok(await mesh.call('Utrecht', 'POST', '/holders', USER.Utrecht, who));
    expect(reply.holder).toMatchObject({
      municipality: 'Utrecht',
      status: 'active',
      generation: 0,
      cards: [],
    });
    expect(reply.holder.hid).toMatch(/^[0-9a-f]{64}$/);
    expect(reply.tx).toMatchObject({ action: 'holder.register', endorsedBy: [] });
    expect(JSON.stringify(reply)).not.toContain(who.name);
    const stored = await mesh.apps.Utrecht.privateStore.get('persons', reply.holder.hid);
    expect(stored?.data).toMatchObject({ person: { personId: who.personId, name: who.name } });
    const lookup = ok(
      await mesh.call('Utrecht', 'POST', '/holders/lookup', USER.Utrecht, { personId: who.personId }),
      200,
    );
    expect(lookup).toEqual({ hid: reply.holder.hid, status: 'active' });
  });

  it('refuses a second registration of the same person (HOLDER_EXISTS)', async () => {
    const who = person();
    await register(mesh, who);
    const error = await refused(409, 'HOLDER_EXISTS', 'Utrecht', 'POST', '/holders', USER.Utrecht, who);
    expect(error.message).not.toContain(who.personId);
  });

  it('refuses a malformed person id and a bad address with the field named, never echoing the number', async () => {
    const who = person();
    const error = await refused(400, 'PERSON_ID_MALFORMED', 'Utrecht', 'POST', '/holders', USER.Utrecht, {
      ...who,
      personId: '123456789',
    });
    expect(error).toMatchObject({ rule: 'PERSON_ID_MALFORMED', message: 'person id fails the BSN 11-check' });
    expect(error.source).toContain('11-proef');
    await refused(400, 'VALUE_INVALID', 'Utrecht', 'POST', '/holders', USER.Utrecht, {
      ...who,
      address: { ...who.address, postcode: 'X' },
    });
  });

  it('refuses registration on a service that is not a municipality’s (NOT_A_MUNICIPALITY)', async () => {
    await refused(403, 'NOT_A_MUNICIPALITY', 'Police', 'POST', '/holders', USER.Police, person());
  });
});

describe('assessments', () => {
  it('records the outcome and a salted hash on the chain, the details with the Assessor only', async () => {
    const hid = await register(mesh, person());
    const details = drivesWalks50m('Diagnose: ernstige artrose, zeldzame bijzonderheid Q');
    const body = ok(await mesh.call('Assessor', 'POST', '/assessments', USER.Assessor, { hid, details }));
    expect(body.assessment).toMatchObject({
      hid,
      outcome: 'positive',
      scope: 'driver',
      assessor: 'Assessor',
    });
    expect(body.assessment.detailsHash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await mesh.apps.Assessor.privateStore.get(
      'assessment-details',
      body.assessment.assessmentId,
    );
    expect(stored?.data).toMatchObject({ details: { notes: details.notes } });
    const onChain = await mesh.peer.store.getState({
      namespace: 'parking',
      key: `assessment/${body.assessment.assessmentId}`,
    });
    expect(onChain?.value).not.toContain('artrose');
  });

  it('refuses an assessment from an organisation that is not the independent assessor, keeping no details', async () => {
    const hid = await register(mesh, person());
    const error = await refused(
      403,
      'NOT_INDEPENDENT_ASSESSOR',
      'Utrecht',
      'POST',
      '/assessments',
      USER.Utrecht,
      { hid, details: drivesWalks50m() },
    );
    expect(error.message).toContain('Utrecht is not the independent assessor');
  });

  it('refuses details that are not an examination (VALUE_INVALID) and an unknown holder (HOLDER_UNKNOWN)', async () => {
    const hid = await register(mesh, person());
    await refused(400, 'VALUE_INVALID', 'Assessor', 'POST', '/assessments', USER.Assessor, {
      hid,
      details: { ...drivesWalks50m(), drives: 'yes' },
    });
    await refused(404, 'HOLDER_UNKNOWN', 'Assessor', 'POST', '/assessments', USER.Assessor, {
      hid: 'ab'.repeat(32),
      details: drivesWalks50m(),
    });
  });
});

describe('cards', () => {
  it('issues a card endorsed by the Assessor, valid at the roadside with a verifiable proof', async () => {
    const hid = await register(mesh, person());
    const { assessmentId } = await assess(mesh, hid);
    const { card, tx } = await issue(mesh, hid, assessmentId);
    expect(tx.endorsedBy).toEqual(['Assessor']);
    expect(card.cardNumber).toMatch(/^NL-0344-\d{8}$/);
    expect(card.validUntil).toBe(daysFromToday(0).replace(/^(\d{4})/, (y) => String(Number(y) + 5)));
    const answer = await checkCard(mesh, card.cardNumber.toLowerCase().replaceAll('-', ' '));
    expect(answer.check).toMatchObject({
      status: 'VALID',
      reason: 'VALID',
      cardNumber: card.cardNumber,
      kind: 'driver',
    });
    expect(answer).toMatchObject({ checker: 'Police', area: '0344', proof: { peerId: 'utrecht-peer' } });
    expect(answer.proof.records.map((r: { key: string }) => r.key)).toEqual([
      `card/${card.cardNumber}`,
      `holder/${hid}`,
    ]);
    for (const record of answer.proof.records) {
      const stored = await mesh.peer.store.getBlock(record.block);
      expect(record.blockHash).toBe(stored!.hash);
      expect(blockHashOf(record.header)).toBe(record.blockHash);
      const leaf = toHex(merkleLeafHash(fromHex(record.envelopeHash)));
      expect(verifyInclusionProof(leaf, record.inclusion, record.header.dataHash)).toBe(true);
      expect(stored!.txs[record.txIndex]!.txId).toBe(record.txId);
    }
  });

  it('a check right after a duplicate reports the old card invalid (SUPERSEDED, naming the new one)', async () => {
    const { cardNumber } = await holderWithCard(mesh, person());
    expect((await checkCard(mesh, cardNumber)).check.status).toBe('VALID');
    const dup = ok(
      await mesh.call('Utrecht', 'POST', `/cards/${cardNumber}/duplicate`, USER.Utrecht, {
        reason: 'stolen',
      }),
    );
    expect(dup.tx.endorsedBy).toEqual(['Assessor']);
    const old = await checkCard(mesh, cardNumber);
    expect(old.check).toMatchObject({
      status: 'INVALID',
      reason: 'SUPERSEDED',
      supersededBy: dup.card.cardNumber,
    });
    expect(old.proof.records[0].block).toBe(dup.tx.block);
    expect((await checkCard(mesh, dup.card.cardNumber)).check).toMatchObject({
      status: 'VALID',
      validUntil: dup.card.validUntil,
    });
    await refused(409, 'CARD_NOT_VALID', 'Utrecht', 'POST', `/cards/${cardNumber}/duplicate`, USER.Utrecht, {
      reason: 'lost',
    });
  });

  it('refuses a municipality issuing for a person registered elsewhere (NOT_REGISTERED_HERE)', async () => {
    const hid = await register(mesh, person());
    const { assessmentId } = await assess(mesh, hid);
    const error = await refused(403, 'NOT_REGISTERED_HERE', 'Amsterdam', 'POST', '/cards', USER.Amsterdam, {
      hid,
      kind: 'driver',
      assessmentId,
    });
    expect(error.message).toContain('registered in Utrecht');
  });

  it('refuses a card without a positive assessment, of the wrong kind, or valid too long', async () => {
    const hid = await register(mesh, person());
    const negative = await assess(mesh, hid, walksFar());
    expect(negative.outcome).toBe('negative');
    await refused(409, 'NO_POSITIVE_ASSESSMENT', 'Utrecht', 'POST', '/cards', USER.Utrecht, {
      hid,
      kind: 'driver',
      assessmentId: negative.assessmentId,
    });
    const positive = await assess(mesh, hid);
    await refused(409, 'WRONG_CARD_KIND', 'Utrecht', 'POST', '/cards', USER.Utrecht, {
      hid,
      kind: 'passenger',
      assessmentId: positive.assessmentId,
    });
    await refused(409, 'VALIDITY_TOO_LONG', 'Utrecht', 'POST', '/cards', USER.Utrecht, {
      hid,
      kind: 'driver',
      assessmentId: positive.assessmentId,
      validUntil: daysFromToday(6 * 366),
    });
    await refused(400, 'CARD_KIND_INVALID', 'Utrecht', 'POST', '/cards', USER.Utrecht, {
      hid,
      kind: 'bicycle',
      assessmentId: positive.assessmentId,
    });
  });

  it('revocation ends the card at the roadside', async () => {
    const { cardNumber } = await holderWithCard(mesh, person());
    ok(
      await mesh.call('Utrecht', 'POST', `/cards/${cardNumber}/revocation`, USER.Utrecht, {
        ground: 'misuse',
      }),
    );
    expect((await checkCard(mesh, cardNumber)).check).toMatchObject({ status: 'INVALID', reason: 'REVOKED' });
    await refused(400, 'VALUE_INVALID', 'Utrecht', 'POST', `/cards/${cardNumber}/revocation`, USER.Utrecht, {
      ground: 'because',
    });
  });
});

describe('reserved places', () => {
  it('assigns a place (address private), valid at the roadside with three proofs; ends on request', async () => {
    const who = person();
    const { hid, cardNumber } = await holderWithCard(mesh, who);
    const placed = ok(
      await mesh.call('Utrecht', 'POST', '/places', USER.Utrecht, {
        hid,
        plate: 'gx-hr-12',
        address: who.address,
      }),
    );
    const plate = placed.place.plate as string;
    expect(placed.place).toMatchObject({ hid, cardNumber, status: 'active' });
    expect(JSON.stringify(placed)).not.toContain(who.address.street);
    const answer = await checkPlate(mesh, plate.replaceAll('-', '').toLowerCase());
    expect(answer.check).toMatchObject({ status: 'VALID', plate, cardNumber });
    expect(answer.proof.records.map((r: { key: string }) => r.key)).toEqual([
      `plate/${plate}`,
      `card/${cardNumber}`,
      `holder/${hid}`,
    ]);
    await refused(409, 'PLACE_ALREADY_ASSIGNED', 'Utrecht', 'POST', '/places', USER.Utrecht, {
      hid,
      plate: '12-XX-XX',
      address: who.address,
    });
    ok(
      await mesh.call('Utrecht', 'POST', `/places/${plate}/end`, USER.Utrecht, { reason: 'holder-request' }),
    );
    expect((await checkPlate(mesh, plate)).check).toMatchObject({ status: 'INVALID', reason: 'PLACE_ENDED' });
  });

  it('refuses a place for a holder of another municipality and a malformed plate', async () => {
    const who = person();
    const { hid } = await holderWithCard(mesh, who);
    await refused(403, 'NOT_REGISTERED_HERE', 'Amsterdam', 'POST', '/places', USER.Amsterdam, {
      hid,
      plate: '12-AB-34',
      address: who.address,
    });
    const error = await refused(400, 'PLATE_MALFORMED', 'Utrecht', 'POST', '/places', USER.Utrecht, {
      hid,
      plate: 'ABC123',
      address: who.address,
    });
    expect(error.message).toContain('ABC123');
  });
});

describe('death and moves', () => {
  it('a death ends the card at once; a date in the future is refused', async () => {
    const { hid, cardNumber } = await holderWithCard(mesh, person());
    await refused(400, 'DATE_IN_FUTURE', 'Utrecht', 'POST', `/holders/${hid}/death`, USER.Utrecht, {
      diedOn: daysFromToday(3),
    });
    ok(
      await mesh.call('Utrecht', 'POST', `/holders/${hid}/death`, USER.Utrecht, {
        diedOn: daysFromToday(-1),
      }),
    );
    expect((await checkCard(mesh, cardNumber)).check).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_DECEASED',
    });
    await refused(409, 'HOLDER_DECEASED', 'Utrecht', 'POST', `/holders/${hid}/move`, USER.Utrecht, {
      movedOn: daysFromToday(0),
    });
  });

  it('a move ends the card; only the municipality of registration records it', async () => {
    const { hid, cardNumber } = await holderWithCard(mesh, person());
    await refused(403, 'NOT_REGISTERED_HERE', 'Amsterdam', 'POST', `/holders/${hid}/move`, USER.Amsterdam, {
      movedOn: daysFromToday(0),
    });
    ok(
      await mesh.call('Utrecht', 'POST', `/holders/${hid}/move`, USER.Utrecht, { movedOn: daysFromToday(0) }),
    );
    expect((await checkCard(mesh, cardNumber)).check).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_MOVED',
    });
  });
});

describe('roadside checks: bad input', () => {
  it('answers UNKNOWN for a well-formed card number never issued, and refuses malformed ones before any lookup', async () => {
    const unknown = await checkCard(mesh, 'NL-0344-99999992');
    expect(unknown.check).toMatchObject({ status: 'UNKNOWN', reason: 'UNKNOWN_CARD' });
    expect(unknown.proof.records).toEqual([]);
    await refused(
      400,
      'CARD_NUMBER_MALFORMED',
      'Police',
      'GET',
      '/checks/cards/NL-0344-99999993?area=0344',
      USER.Police,
    );
    await refused(
      400,
      'CARD_NUMBER_MALFORMED',
      'Police',
      'GET',
      '/checks/cards/hello?area=0344',
      USER.Police,
    );
    await refused(400, 'PLATE_MALFORMED', 'Police', 'GET', '/checks/plates/AB1-234?area=0344', USER.Police);
    await refused(
      400,
      'AREA_MALFORMED',
      'Police',
      'GET',
      '/checks/plates/12-AB-34?area=utrecht',
      USER.Police,
    );
    expect((await checkPlate(mesh, '34-XX-00')).check.status).toBe('UNKNOWN');
  });

  it('refuses writes about records that do not exist (404), changing nothing', async () => {
    await refused(404, 'CARD_UNKNOWN', 'Utrecht', 'POST', '/cards/NL-0344-99999992/duplicate', USER.Utrecht, {
      reason: 'lost',
    });
    await refused(404, 'PLACE_UNKNOWN', 'Utrecht', 'POST', '/places/12-AB-34/end', USER.Utrecht, {
      reason: 'misuse',
    });
    await refused(
      404,
      'HOLDER_UNKNOWN',
      'Utrecht',
      'POST',
      `/holders/${'cd'.repeat(32)}/death`,
      USER.Utrecht,
      {
        diedOn: daysFromToday(-1),
      },
    );
    await refused(400, 'HOLDER_ID_MALFORMED', 'Utrecht', 'POST', '/holders/not-a-hid/erasure', USER.Utrecht);
  });

  it('checks only on an enforcement organisation’s service, by its own officers', async () => {
    await refused(403, 'NOT_ENFORCEMENT', 'Assessor', 'GET', '/checks/cards/NL-0344-99999992', USER.Assessor);
    const other = await refused(
      403,
      'FORBIDDEN',
      'Utrecht',
      'GET',
      '/checks/cards/NL-0344-99999992',
      USER.Police,
    );
    expect(other.message).toContain('acts for Utrecht only');
    expect((await checkCard(mesh, 'NL-0344-99999992', 'Utrecht')).area).toBe('0344');
  });
});

describe('authentication and limits', () => {
  it('answers 401 without a token or with one for another service, 403 for another organisation or role', async () => {
    await refused(401, 'UNAUTHENTICATED', 'Utrecht', 'POST', '/holders', null, person());
    const wrongAudience = await mesh.call('Utrecht', 'POST', '/holders', null, person(), {
      authorization: `Bearer ${mesh.token(USER.Utrecht, 'subsidies')}`,
    });
    expect(wrongAudience.status).toBe(401);
    await refused(403, 'FORBIDDEN', 'Utrecht', 'POST', '/holders', USER.Amsterdam, person());
    await refused(403, 'FORBIDDEN', 'Utrecht', 'POST', '/cards', 'police-user2', {
      hid: 'ab'.repeat(32),
      kind: 'driver',
      assessmentId: 'ASM-1',
    });
    const admin = await mesh.call('Police', 'GET', '/checks/cards/NL-0344-99999992', null, undefined, {
      authorization: `Bearer ${mesh.token('police-admin')}`,
    });
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toContain('role admin');
  });

  it('answers 413 for a body over the limit and 400 for bad JSON', async () => {
    await refused(413, 'PAYLOAD_TOO_LARGE', 'Utrecht', 'POST', '/holders', USER.Utrecht, {
      ...person(),
      name: 'x'.repeat(20_000),
    });
    await refused(400, 'INVALID_BODY', 'Utrecht', 'POST', '/holders', USER.Utrecht, '{"personId": ');
    await refused(400, 'VALUE_INVALID', 'Utrecht', 'POST', '/holders', USER.Utrecht, [1, 2]);
  });

  it('serves the OpenAPI document and readiness', async () => {
    const doc = ok(await mesh.call('Police', 'GET', '/openapi.json'), 200);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/checks/cards/{cardNumber}',
        '/holders/{hid}/records',
        '/holders/{hid}/erasure',
      ]),
    );
    const ready = ok(await mesh.call('Assessor', 'GET', '/readyz'), 200);
    expect(ready.checks).toMatchObject({
      peer: { peerId: 'utrecht-peer' },
      privateStore: 'postgres',
      erasureConsumer: 'running',
    });
    expect(ok(await mesh.call('Utrecht', 'GET', '/readyz'), 200).checks.erasureConsumer).toBe('not-assessor');
  });
});

describe('the dev network', () => {
  it('configures the parking namespace as the domain says', () => {
    expect(DEV_NAMESPACES.parking.writers).toBe(PARKING_NAMESPACE_CONFIG.writers);
    expect(DEV_NAMESPACES.parking.defaultEndorsement).toBe(PARKING_NAMESPACE_CONFIG.defaultEndorsement);
    const defaults = DEV_NAMESPACES.parking.defaultEndorsement;
    for (const [action, policy] of Object.entries(PARKING_NAMESPACE_CONFIG.endorsement)) {
      expect(DEV_NAMESPACES.parking.endorsement[action] ?? defaults, action).toBe(policy);
    }
  });
});

describe('minBlock (docs/parking.md)', () => {
  it('a roadside check takes the block of the card’s issue; a malformed one is 400', async () => {
    const hid = await register(mesh, person());
    const { assessmentId } = await assess(mesh, hid);
    const { card, tx } = await issue(mesh, hid, assessmentId);
    const url = `/checks/cards/${card.cardNumber}?area=0344`;
    const reply = await mesh.call('Police', 'GET', `${url}&minBlock=${tx.block}`, USER.Police);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.check).toMatchObject({ status: 'VALID', cardNumber: card.cardNumber });
    const bad = await mesh.call('Police', 'GET', url, USER.Police, undefined, { 'Civic-Min-Block': 'next' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'minBlock' });
  });
});

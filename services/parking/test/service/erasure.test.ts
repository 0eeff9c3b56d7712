/**
 * Erasure end to end (docs/parking.md#erasure): a holder with a card, a reserved place, an
 * assessment and checks in the access log is erased by the municipality. Afterwards the Assessor's
 * service has erased the assessment details on the holder.erased event, no private store holds
 * anything for the holder, the person's data appears nowhere (private stores, chain), the
 * roadside answers HOLDER_ERASED, and the peer's self-audit (what `civic peer audit` runs)
 * still accepts the whole chain.
 */
import { auditChain } from '@civic/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCard, checkPlate, holderWithCard, ok, USER } from '../support/flows.js';
import { ORGS, startParkingMesh, type ParkingMesh } from '../support/parking-mesh.js';
import { person } from '../support/people.js';
import { chainText, privateRowsText, snapshot } from '../support/snapshot.js';

let mesh: ParkingMesh;

beforeAll(async () => {
  mesh = await startParkingMesh();
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
}, 60_000);

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('erasure', () => {
  it('deletes the personal data everywhere, records holder.erased, and the chain still verifies', async () => {
    const who = person();
    const notes = 'Zeldzame aandoening Xanthoria-syndroom, rolstoel binnenshuis';
    const { hid, cardNumber } = await holderWithCard(mesh, who);
    // A second assessment with distinctive medical notes.
    ok(
      await mesh.call('Assessor', 'POST', '/assessments', USER.Assessor, {
        hid,
        details: {
          assessedOn: new Date().toISOString().slice(0, 10),
          walkingDistanceMaxM: 20,
          wheelchairPermanent: false,
          drives: true,
          needsDoorToDoorHelp: false,
          expectedDurationMonths: 24,
          notes,
        },
      }),
    );
    const placed = ok(
      await mesh.call('Utrecht', 'POST', '/places', USER.Utrecht, {
        hid,
        plate: '34-XZ-56',
        address: who.address,
      }),
    );
    await checkCard(mesh, cardNumber);
    await checkPlate(mesh, placed.place.plate);
    await mesh.apps.Police.checkLog.log.flush();

    expect(await mesh.stores.Utrecht.countSubject(hid)).toBe(3); // person, index, place address
    expect(await mesh.stores.Assessor.countSubject(hid)).toBe(2); // two assessments' details
    const secrets = [who.personId, who.name, who.address.street, notes];
    const before = await privateRowsText(mesh);
    for (const secret of secrets) expect(before).toContain(secret);

    // Another municipality cannot erase; nothing changes.
    const snap = await snapshot(mesh);
    const foreign = await mesh.call('Amsterdam', 'POST', `/holders/${hid}/erasure`, USER.Amsterdam);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('NOT_REGISTERED_HERE');
    expect(await snapshot(mesh)).toBe(snap);

    const published = mesh.events.published;
    const erased = ok(await mesh.call('Utrecht', 'POST', `/holders/${hid}/erasure`, USER.Utrecht));
    expect(erased).toMatchObject({
      holder: { hid, status: 'erased', currentCard: null, place: null },
      privateRecordsErased: 3,
      tx: { action: 'holder.erase' },
    });
    await waitFor(
      'the Assessor to erase the details',
      async () => (await mesh.stores.Assessor.countSubject(hid)) === 0,
    );
    expect(mesh.events.published).toBeGreaterThan(published);

    for (const org of ORGS) expect(await mesh.stores[org].countSubject(hid), org).toBe(0);
    const after = await privateRowsText(mesh);
    const chain = await chainText(mesh);
    for (const secret of secrets) {
      expect(after).not.toContain(secret);
      expect(chain).not.toContain(secret);
    }
    expect(chain).toContain(hid);

    expect((await checkCard(mesh, cardNumber)).check).toMatchObject({
      status: 'INVALID',
      reason: 'HOLDER_ERASED',
    });
    expect((await checkPlate(mesh, placed.place.plate)).check).toMatchObject({
      status: 'INVALID',
      reason: 'PLACE_ENDED',
    });
    const again = await mesh.call('Utrecht', 'POST', `/holders/${hid}/erasure`, USER.Utrecht);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('HOLDER_ERASED');
    const lookup = await mesh.call('Utrecht', 'POST', '/holders/lookup', USER.Utrecht, {
      personId: who.personId,
    });
    expect(lookup.status).toBe(404);

    await mesh.apps.Police.checkLog.log.flush();
    const audit = await auditChain(mesh.peer.store, { channel: mesh.channel.channel });
    expect(audit.problems).toEqual([]);
    expect(audit).toMatchObject({ ok: true, height: mesh.peer.height });
    expect(audit.transactionsChecked).toBeGreaterThan(8);
  });
});

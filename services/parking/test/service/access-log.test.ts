/**
 * The access log and the holder view: checks are answered at once and recorded in batches
 * (`check.record`), the holder reads who checked, when and where with a citizen token minted by
 * the municipality, or through the municipality's staff; nobody else reads them. On a clean
 * shutdown every answered check is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '@civic/gateway';
import { loadSigner } from '@civic/identity';
import { checkCard, holderWithCard, ok, USER } from '../support/flows.js';
import { startParkingMesh, type ParkingMesh } from '../support/parking-mesh.js';
import { person } from '../support/people.js';

let mesh: ParkingMesh;

beforeAll(async () => {
  // A long flush interval: batches go out only when full (5) or when flushed/stopped.
  mesh = await startParkingMesh({ env: { CHECK_LOG_FLUSH_MS: '60000', CHECK_LOG_BATCH_MAX: '5' } });
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
}, 60_000);

const records = (hid: string, token: string, org: 'Utrecht' | 'Police' | 'Amsterdam' = 'Police') =>
  mesh.call(org, 'GET', `/holders/${hid}/records`, null, undefined, { authorization: `Bearer ${token}` });

describe('access log and holder view', () => {
  it('shows the holder who checked, when and where; only with the right token', async () => {
    const who = person();
    const { hid, cardNumber } = await holderWithCard(mesh, who);
    await checkCard(mesh, cardNumber, 'Police');
    await checkCard(mesh, cardNumber, 'Utrecht');
    for (const org of ['Police', 'Utrecht'] as const) await mesh.apps[org].checkLog.log.flush();

    const minted = ok(
      await mesh.call('Utrecht', 'POST', '/holders/tokens', USER.Utrecht, { personId: who.personId }),
    );
    expect(minted.hid).toBe(hid);
    const view = ok(await records(hid, minted.token), 200);
    expect(view).toMatchObject({ hid, municipality: 'Utrecht', status: 'active', viewer: 'holder' });
    expect(view.cards).toEqual([
      expect.objectContaining({ cardNumber, check: expect.objectContaining({ status: 'VALID' }) }),
    ]);
    expect(view.assessments[0]).toMatchObject({ outcome: 'positive', scope: 'driver' });
    expect(view.assessments[0].detailsHash).toBeUndefined();
    expect(view.accessLog.map((e: { checker: string }) => e.checker).sort()).toEqual(['Police', 'Utrecht']);
    for (const entry of view.accessLog) {
      expect(entry).toMatchObject({ area: '0344', via: 'card', subject: cardNumber, status: 'VALID' });
      expect(entry.officerRef).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(entry)).not.toContain('police-user1');
    }

    // Staff of the holder's municipality on its own service; not another municipality's staff.
    expect(ok(await mesh.call('Utrecht', 'GET', `/holders/${hid}/records`, USER.Utrecht), 200).viewer).toBe(
      'staff',
    );
    const foreignStaff = await mesh.call('Amsterdam', 'GET', `/holders/${hid}/records`, USER.Amsterdam);
    expect(foreignStaff.status).toBe(403);
    expect(foreignStaff.body.error.code).toBe('NOT_REGISTERED_HERE');
    const police = await mesh.call('Police', 'GET', `/holders/${hid}/records`, USER.Police);
    expect(police.status).toBe(403);

    // A holder token is for one hid; one minted by a user (not a municipality's service) or for another
    // audience is refused; no token is 401.
    const other = await holderWithCard(mesh, person());
    const wrongHolder = await records(other.hid, minted.token);
    expect(wrongHolder.status).toBe(403);
    expect(wrongHolder.body.error.message).toContain('another holder');
    const police1 = loadSigner(mesh.dir, 'police-user1');
    const forged = mintToken({
      cert: police1.cert,
      key: police1.key,
      audience: 'parking-holder',
      ttlMs: 60_000,
      nowMs: Date.now(),
    });
    expect((await records(hid, forged)).status).toBe(403);
    expect((await mesh.call('Police', 'GET', `/holders/${hid}/records`)).status).toBe(401);
    const personInUrl = await records(who.personId, minted.token);
    expect(personInUrl.status).toBe(400);
  });

  it('records every answered check on a clean shutdown', async () => {
    const { hid, cardNumber } = await holderWithCard(mesh, person());
    for (let i = 0; i < 3; i++) await checkCard(mesh, cardNumber, 'Utrecht');
    expect(mesh.apps.Utrecht.checkLog.log.length).toBe(3);
    const month = new Date().toISOString().slice(0, 7);
    expect(await mesh.peer.store.getState({ namespace: 'parking', key: `log/${hid}/${month}` })).toBeNull();
    await mesh.apps.Utrecht.app.close();
    const bucket = await mesh.peer.store.getState({ namespace: 'parking', key: `log/${hid}/${month}` });
    expect(JSON.parse(bucket!.value).entries).toHaveLength(3);
  });
});

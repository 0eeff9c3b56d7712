/**
 * The transport REST API on four organisations' instances (RDW, Haulier, ILT, Police) over the real
 * NATS and PostgreSQL: the register, uploads and their 400s naming the bad period, compliance
 * figures, who sees what, sharing with inspectors and the access log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '@civic/messaging';
import { RECORDS_COLLECTION } from '../../src/domain/index.js';
import { shareSubject } from '../../src/sharing/share-wire.js';
import { signTicket } from '../../src/sharing/ticket.js';
import { tl } from '../rules/timeline-dsl.js';
import { startTransportMesh, type TransportMesh } from '../support/transport-mesh.js';

const CARD = 'NB00000000001100';
const OTHER = 'NB00000000002200';
const JAN = 'from=2024-01-01T00:00:00Z&to=2024-01-29T00:00:00Z';
/** 11 h of driving in one shift (10 h allowed): DAILY_DRIVING, SERIOUS. Then a split driving period. */
const WEEK = tl('Mon 06:00 D 4h30, B 45m, D 4h30, B 45m, D 2h, R 11h, Tue 06:00 D 3h');
const AFTER = tl('Tue 09:00 D 2h, R 11h');

let mesh: TransportMesh;
let driver: ReturnType<TransportMesh['driverKey']>;
let driverToken: string;

beforeAll(async () => {
  // The company's access log waits for an explicit flush or the shutdown (tests below).
  mesh = await startTransportMesh({ env: { Haulier: { ACCESS_LOG_FLUSH_MS: '60000' } } });
  driver = mesh.driverKey();
  driverToken = mesh.driverToken(CARD, driver.key);
}, 120_000);
afterAll(async () => mesh?.stop());

function card(cardNumber: string, company: string, driverKey: string | null) {
  return {
    cardNumber,
    driver: { name: 'J. de Vries', birthDate: '1980-04-01', licenceNumber: 'NL1234567' },
    driverKey,
    company,
    validFrom: '2023-06-01',
    validUntil: '2028-05-31',
  };
}

describe('the register (RDW)', () => {
  it('RDW issues cards; the chain has a hash of the driver, RDW alone reads the particulars', async () => {
    const issued = await mesh.call('RDW', 'POST', '/cards', { body: card(CARD, 'Haulier', driver.hex) });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.card).toMatchObject({
      cardNumber: CARD,
      company: 'Haulier',
      status: 'ACTIVE',
      driverKey: driver.hex,
    });
    expect(JSON.stringify(issued.body)).not.toContain('de Vries');
    expect(issued.body.tx).toMatchObject({ action: 'card.issue', block: expect.any(Number) });
    // A card of another organisation's driver, for the access rules below.
    expect((await mesh.call('RDW', 'POST', '/cards', { body: card(OTHER, 'Utrecht', null) })).status).toBe(
      201,
    );

    const particulars = await mesh.call('RDW', 'GET', `/cards/${CARD}/driver`);
    expect(particulars.body).toMatchObject({ driver: { name: 'J. de Vries' }, matchesChain: true });
    expect((await mesh.call('RDW', 'GET', `/cards/${CARD}/driver`, { user: 'haulier-user1' })).status).toBe(
      403,
    );
    expect((await mesh.call('ILT', 'GET', `/cards/${CARD}`)).body).toMatchObject({ company: 'Haulier' });
    expect((await mesh.call('Haulier', 'GET', `/cards/${CARD}`, { token: driverToken })).status).toBe(200);
    expect((await mesh.call('Haulier', 'GET', `/cards/${OTHER}`, { token: driverToken })).status).toBe(403);
    const again = await mesh.call('RDW', 'POST', '/cards', { body: card(CARD, 'Haulier', null) });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CARD_EXISTS' });
    expect(
      (
        await mesh.call('Haulier', 'POST', '/cards', {
          user: 'haulier-user1',
          body: card('NB00000000003300', 'Haulier', null),
        })
      ).status,
    ).toBe(404);
  });
});

describe('uploads (a company)', () => {
  it('commits an upload: 201 with the upload, its hash and the month findings', async () => {
    const up = await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, { body: { activities: WEEK } });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.upload).toMatchObject({
      cardNumber: CARD,
      uploader: 'Haulier',
      count: 7,
      periodEnd: '2024-01-02T09:00:00.000Z',
    });
    const jan = up.body.months.find((m: { month: string }) => m.month === '2024-01');
    expect(jan.findings.find((f: { rule: string }) => f.rule === 'DAILY_DRIVING')).toMatchObject({
      severity: 'SERIOUS',
      figures: { drivenMinutes: 660, limitMinutes: 600 },
    });
    const second = await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, {
      body: { activities: AFTER },
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
  });

  const bad: [string, unknown, Record<string, unknown>][] = [
    [
      'overlapping',
      [
        { start: '2024-02-05T06:00:00Z', end: '2024-02-05T08:00:00Z', activity: 'DRIVING' },
        { start: '2024-02-05T07:00:00Z', end: '2024-02-05T09:00:00Z', activity: 'BREAK_REST' },
      ],
      { path: 'activities[1]', period: { start: '2024-02-05T07:00:00Z', end: '2024-02-05T09:00:00Z' } },
    ],
    [
      'unsorted',
      [
        { start: '2024-02-05T08:00:00Z', end: '2024-02-05T09:00:00Z', activity: 'DRIVING' },
        { start: '2024-02-05T06:00:00Z', end: '2024-02-05T07:00:00Z', activity: 'DRIVING' },
      ],
      { path: 'activities[1]', period: { start: '2024-02-05T06:00:00Z', end: '2024-02-05T07:00:00Z' } },
    ],
    [
      'future',
      [{ start: '2024-02-05T06:00:00Z', end: '2099-01-01T00:00:00Z', activity: 'DRIVING' }],
      { path: 'activities[0].end', period: { start: '2024-02-05T06:00:00Z', end: '2099-01-01T00:00:00Z' } },
    ],
    [
      'wrong type',
      [{ start: '2024-02-05T06:00:00Z', end: '2024-02-05T08:00:00Z', activity: 'SLEEPING' }],
      { path: 'activities[0].activity' },
    ],
  ];
  for (const [what, activities, where] of bad) {
    it(`400 for ${what} activities, naming the period; nothing stored`, async () => {
      const reply = await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, { body: { activities } });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'RECORDS_INVALID', rule: 'RECORDS_INVALID', ...where });
      expect(reply.body.error.errors.length).toBeGreaterThan(0);
    });
  }

  it('400 for an unknown card and a malformed card number; 409 before the latest upload; 413 too big', async () => {
    const unknown = await mesh.call('Haulier', 'POST', '/drivers/NB00000000009900/records', {
      body: { activities: AFTER },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'CARD_UNKNOWN' });
    expect(
      (await mesh.call('Haulier', 'POST', '/drivers/NB-1/records', { body: { activities: AFTER } })).body
        .error,
    ).toMatchObject({ code: 'CARD_NUMBER_MALFORMED' });
    const early = await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, {
      body: { activities: tl('Mon 20:00 D 1h') },
    });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'UPLOAD_OVERLAPS',
      path: 'activities[0]',
      latest: { periodEnd: '2024-01-02T22:00:00.000Z' },
    });
    const other = await mesh.call('Haulier', 'POST', `/drivers/${OTHER}/records`, {
      body: { activities: AFTER },
    });
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'CARD_OF_ANOTHER_COMPANY' });
    const huge = await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, {
      body: { activities: 'x'.repeat(1_100_000) },
    });
    expect(huge.status).toBe(413);
    const json = await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, { body: '{"activities": [' });
    expect(json.status).toBe(400);
  });

  it('401 without a token or with a bad driver token; 403 for another organisation or kind', async () => {
    expect(
      (
        await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, {
          user: null,
          body: { activities: AFTER },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await mesh.call('Haulier', 'POST', `/drivers/${CARD}/records`, {
          user: 'ilt-user1',
          body: { activities: AFTER },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await mesh.call('ILT', 'POST', `/drivers/${CARD}/records`, {
          user: 'ilt-user1',
          body: { activities: AFTER },
        })
      ).status,
    ).toBe(404);
    const forged = mesh.driverToken(CARD, mesh.driverKey().key);
    const refused = await mesh.call('Haulier', 'GET', `/drivers/${CARD}/access-log`, { token: forged });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/does not verify with the key registered/);
    expect(refused.headers['www-authenticate']).toMatch(/Bearer/);
  });
});

describe('compliance: the company, the driver and the inspector see the same', () => {
  it('the company gets the findings with their causes and figures', async () => {
    const reply = await mesh.call('Haulier', 'GET', `/drivers/${CARD}/compliance?${JAN}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const brk = reply.body.findings.find((f: { rule: string }) => f.rule === 'BREAK');
    expect(brk).toMatchObject({ severity: 'SERIOUS', figures: { drivenMinutes: 300 } });
    expect(brk.causes.map((c: { start: string }) => c.start)).toEqual([
      '2024-01-02T06:00:00.000Z',
      '2024-01-02T09:00:00.000Z',
    ]);
    expect(reply.body.uploads).toHaveLength(2);
    expect(reply.body.missing).toEqual([]);
  });

  it('an ILT inspector gets the same findings through ILT’s service (fetched from the company, checked against the chain)', async () => {
    const company = await mesh.call('Haulier', 'GET', `/drivers/${CARD}/compliance?${JAN}`);
    const inspector = await mesh.call(
      'ILT',
      'GET',
      `/drivers/${CARD}/compliance?${JAN}&purpose=ROADSIDE&reference=CASE-1`,
    );
    expect(inspector.status, JSON.stringify(inspector.body)).toBe(200);
    expect(inspector.body.findings).toEqual(company.body.findings);
    expect(inspector.body.summary).toEqual(company.body.summary);
    const driverView = await mesh.call('Haulier', 'GET', `/drivers/${CARD}/compliance?${JAN}`, {
      token: driverToken,
    });
    expect(driverView.body.findings).toEqual(company.body.findings);
  });

  it('the records themselves: the driver reads their own, not another card; a police user not through ILT', async () => {
    const own = await mesh.call('Haulier', 'GET', `/drivers/${CARD}/records?${JAN}`, { token: driverToken });
    expect(own.status).toBe(200);
    expect(own.body.uploads.flatMap((u: { activities: unknown[] }) => u.activities)).toHaveLength(9);
    expect(
      (await mesh.call('Haulier', 'GET', `/drivers/${OTHER}/records?${JAN}`, { token: driverToken })).status,
    ).toBe(403);
    expect(
      (await mesh.call('ILT', 'GET', `/drivers/${CARD}/records?${JAN}`, { user: 'police-user1' })).status,
    ).toBe(403);
    expect((await mesh.call('Police', 'GET', `/drivers/${CARD}/records?${JAN}`)).status).toBe(200);
  });

  it('a company sees only its own drivers on the chain; inspectors see any', async () => {
    expect((await mesh.call('Haulier', 'GET', `/drivers/${OTHER}/findings?${JAN}`)).status).toBe(403);
    expect(
      (await mesh.call('Haulier', 'GET', `/drivers/${OTHER}/access-log`, { token: driverToken })).status,
    ).toBe(403);
    const findings = await mesh.call('Police', 'GET', `/drivers/${CARD}/findings?${JAN}`);
    expect(findings.status).toBe(200);
    expect(findings.body.months[0].findings.map((f: { rule: string }) => f.rule)).toContain('BREAK');
    expect((await mesh.call('ILT', 'GET', `/drivers/${CARD}/uploads?${JAN}`)).body.uploads).toHaveLength(2);
  });
});

describe('minBlock (docs/transport.md)', () => {
  it('a read waits for the block it names (the driver’s token too); a malformed one is 400', async () => {
    const block = mesh.ledger.peers.get('utrecht-peer')!.height;
    const reply = await mesh.call('ILT', 'GET', `/cards/${CARD}?minBlock=${block}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ company: 'Haulier' });
    const driverView = await mesh.call('Haulier', 'GET', `/cards/${CARD}`, {
      token: driverToken,
      headers: { 'Civic-Min-Block': String(block) },
    });
    expect(driverView.status).toBe(200);
    const bad = await mesh.call('ILT', 'GET', `/cards/${CARD}?minBlock=-1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'minBlock' });
  });
});

describe('the access log', () => {
  it("every inspector access shows up in the driver's access log", async () => {
    // ILT and the police read above through their services (NATS); ILT reads once more at the company's REST.
    expect(
      (
        await mesh.call('Haulier', 'GET', `/drivers/${CARD}/records?${JAN}&purpose=INVESTIGATION`, {
          user: 'ilt-user2',
        })
      ).status,
    ).toBe(200);
    let log: { by: string; via: string; purpose: string; reference: string | null; servedBy: string }[] = [];
    for (let i = 0; i < 100 && log.length < 3; i++) {
      await mesh.apps.Haulier.accessLog.log.flush();
      log =
        (await mesh.call('RDW', 'GET', `/drivers/${CARD}/access-log`, { token: driverToken })).body.entries ??
        [];
      if (log.length < 3) await new Promise((r) => setTimeout(r, 100));
    }
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log).toContainEqual(
      expect.objectContaining({
        by: 'ILT',
        via: 'NATS',
        purpose: 'ROADSIDE',
        reference: 'CASE-1',
        servedBy: 'Haulier',
      }),
    );
    expect(log).toContainEqual(expect.objectContaining({ by: 'Police', via: 'NATS' }));
    expect(log).toContainEqual(expect.objectContaining({ by: 'ILT', via: 'REST', purpose: 'INVESTIGATION' }));
    // The driver's own reads and the company's are not accesses of an inspector.
    expect(log.every((e) => e.by === 'ILT' || e.by === 'Police')).toBe(true);
  });
});

describe('inspections (ILT, Police)', () => {
  it("records a check with the engine's infringements and the uploads they rest on; its driver reads it", async () => {
    const recorded = await mesh.call('ILT', 'POST', '/inspections', {
      body: {
        cardNumber: CARD,
        kind: 'COMPANY',
        from: '2024-01-01T00:00:00Z',
        to: '2024-01-29T00:00:00Z',
        reference: 'CASE-2',
      },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const { inspection } = recorded.body;
    expect(inspection).toMatchObject({ inspector: 'ILT', kind: 'COMPANY', cardNumber: CARD });
    expect(inspection.uploads).toHaveLength(2);
    expect(inspection.infringements.map((i: { rule: string }) => i.rule)).toEqual(
      expect.arrayContaining(['DAILY_DRIVING', 'BREAK']),
    );
    expect(inspection.infringements.every((i: { source: string }) => i.source === 'ENGINE')).toBe(true);
    const seen = await mesh.call('Haulier', 'GET', `/inspections/${inspection.inspectionId}`, {
      token: driverToken,
    });
    expect(seen.body).toEqual(inspection);
    expect(
      (await mesh.call('Haulier', 'POST', '/inspections', { body: { cardNumber: CARD, kind: 'ROADSIDE' } }))
        .status,
    ).toBe(404);
  });
});

describe('a company cannot show an inspector other records than it uploaded', () => {
  it('a doctored private store makes the inspector’s fetch fail with 502 RECORDS_MISMATCH', async () => {
    const uploads = (await mesh.call('ILT', 'GET', `/drivers/${CARD}/uploads?${JAN}`)).body.uploads;
    const key = `${CARD}/${uploads[0].uploadId}/0`;
    const chunk = await mesh.stores.Haulier.get<{ activity: string }[]>(RECORDS_COLLECTION, key);
    const doctored = chunk!.data.map((a) =>
      a.activity === 'DRIVING' ? { ...a, activity: 'OTHER_WORK' } : a,
    );
    await mesh.stores.Haulier.put(RECORDS_COLLECTION, key, { subject: CARD, data: doctored });
    try {
      const reply = await mesh.call('ILT', 'GET', `/drivers/${CARD}/compliance?${JAN}`);
      expect(reply.status).toBe(502);
      expect(reply.body.error).toMatchObject({
        code: 'RECORDS_MISMATCH',
        company: 'Haulier',
        uploadId: uploads[0].uploadId,
      });
      // The company's own view rests on the same check.
      expect((await mesh.call('Haulier', 'GET', `/drivers/${CARD}/compliance?${JAN}`)).status).toBe(502);
    } finally {
      await mesh.stores.Haulier.put(RECORDS_COLLECTION, key, { subject: CARD, data: chunk!.data });
    }
  });
});

describe('ops', () => {
  it('serves its OpenAPI document with every route', async () => {
    const doc = (await mesh.call('ILT', 'GET', '/openapi.json', { user: null })).body;
    for (const path of [
      '/cards',
      '/cards/{card}',
      '/drivers/{card}/records',
      '/drivers/{card}/compliance',
      '/drivers/{card}/access-log',
      '/inspections',
      '/inspections/{id}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect((await mesh.call('Haulier', 'GET', '/metrics', { user: null })).body).toMatch(
      /civic_transport_uploads_total\{[^}]*result="COMMITTED"/,
    );
  });
});

describe('the sharing wire (NATS)', () => {
  const ticketBody = () => ({
    v: 1 as const,
    channel: mesh.ledger.channel.channel,
    company: 'Haulier',
    cardNumber: CARD,
    from: '2024-01-01T00:00:00.000Z',
    to: '2024-01-29T00:00:00.000Z',
    purpose: 'ROADSIDE' as const,
    reference: null,
    officer: '4a1f',
    issuedAt: new Date().toISOString(),
    nonce: 'ab'.repeat(16),
  });
  const ask = (request: unknown) =>
    requestJson<{ status: string; code?: string; reason?: string; uploads?: unknown[] }>(
      mesh.ledger.channel.nc,
      shareSubject(mesh.ledger.channel.channel, 'Haulier'),
      request,
      { timeoutMs: 5_000 },
    );

  it('refuses a ticket a company signed, and chunks of an upload outside the ticket', async () => {
    const byCompany = await ask({
      op: 'open',
      ticket: signTicket(ticketBody(), mesh.ledger.signer('haulier-transport')),
    });
    expect(byCompany).toMatchObject({ status: 'REFUSED', code: 'NOT_AN_INSPECTOR' });
    const ticket = signTicket(
      { ...ticketBody(), from: '2024-03-01T00:00:00.000Z', to: '2024-03-29T00:00:00.000Z' },
      mesh.ledger.signer('ilt-transport'),
    );
    const opened = await ask({ op: 'open', ticket });
    expect(opened).toMatchObject({ status: 'OPEN', uploads: [] });
    const uploads = (await mesh.call('ILT', 'GET', `/drivers/${CARD}/uploads?${JAN}`)).body.uploads;
    const outside = await ask({ op: 'chunks', ticket, uploadId: uploads[0].uploadId, from: 0, count: 1 });
    expect(outside).toMatchObject({ status: 'REFUSED', code: 'NOT_IN_TICKET' });
  });
});

describe('a clean shutdown', () => {
  it("sends the accesses still queued: the company's service stops, the driver sees the access", async () => {
    const before = (await mesh.call('RDW', 'GET', `/drivers/${CARD}/access-log`, { token: driverToken })).body
      .entries.length;
    expect((await mesh.call('Police', 'GET', `/drivers/${CARD}/records?${JAN}&reference=LAST`)).status).toBe(
      200,
    );
    expect(mesh.apps.Haulier.accessLog.log.length).toBeGreaterThan(0);
    await mesh.apps.Haulier.app.close();
    const after = (await mesh.call('RDW', 'GET', `/drivers/${CARD}/access-log`, { token: driverToken })).body
      .entries;
    expect(after.length).toBeGreaterThan(before);
    expect(after).toContainEqual(expect.objectContaining({ by: 'Police', reference: 'LAST' }));
  });
});

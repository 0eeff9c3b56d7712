import { describe, expect, it } from 'vitest';
import {
  accessLogIn,
  inspectionsIn,
  keys,
  type AccessLogBucket,
  type InspectionRecord,
  type UploadResult,
} from '../../src/domain/index.js';
import { tl } from '../rules/timeline-dsl.js';
import { CARD, TX_TIME, World } from './fixtures.js';

const CHECKED_AT = '2024-05-31T10:00:00.000Z';
const OFFICER = '4a1f';

async function uploaded(): Promise<{ w: World; up: UploadResult }> {
  const w = new World();
  await w.issue();
  const up = await w.upload(tl('Mon 06:00 D 4h30, B 45m, D 4h30, B 45m, D 2h, R 11h'));
  if (!up.ok) throw new Error(JSON.stringify(up.violation));
  return { w, up: up.value };
}

function check(up: UploadResult, overrides: Record<string, unknown> = {}) {
  return {
    inspectionId: '0123456789abcdef0123456789abcdef',
    cardNumber: CARD,
    officer: OFFICER,
    kind: 'ROADSIDE',
    checkedAt: CHECKED_AT,
    from: '2024-01-01T00:00:00.000Z',
    to: '2024-01-29T00:00:00.000Z',
    uploads: [{ uploadId: up.upload.uploadId, hash: up.upload.hash }],
    infringements: [
      {
        rule: 'DAILY_DRIVING',
        article: '561/2006 Art. 6(1)',
        severity: 'SERIOUS',
        periodStart: '2024-01-01T06:00:00.000Z',
        periodEnd: '2024-01-01T18:30:00.000Z',
        figures: { drivenMinutes: 660, limitMinutes: 600 },
        source: 'ENGINE',
      },
    ],
    ...overrides,
  };
}

describe('check.record (ILT, Police)', () => {
  it('records the check, its infringements and the uploads it relied on, signed by the creator organisation', async () => {
    const { w, up } = await uploaded();
    const recorded = await w.run('ILT', 'check.record', check(up));
    expect(recorded.ok && recorded.code).toBe('VALID');
    const record = w.ledger.value<InspectionRecord>(keys.inspection('0123456789abcdef0123456789abcdef'))!;
    expect(record).toMatchObject({ inspector: 'ILT', kind: 'ROADSIDE', recordedAt: TX_TIME });
    expect(record.infringements[0]).toMatchObject({ rule: 'DAILY_DRIVING', severity: 'SERIOUS', note: null });
    const list = await inspectionsIn(w.ledger.reader(), CARD, {
      fromMs: Date.parse('2024-05-01T00:00:00Z'),
      toMs: Date.parse(TX_TIME),
    });
    expect(list).toEqual([
      {
        inspectionId: record.inspectionId,
        inspector: 'ILT',
        kind: 'ROADSIDE',
        checkedAt: CHECKED_AT,
        infringements: 1,
      },
    ]);
    const again = await w.run('Police', 'check.record', check(up));
    expect(again.ok || again.violation.rule).toBe('INSPECTION_EXISTS');
  });

  it('refuses companies, unknown cards, evidence that is not the chain’s and checks too old to record', async () => {
    const { w, up } = await uploaded();
    const byCompany = await w.run('Haulier', 'check.record', check(up));
    expect(byCompany.ok || byCompany.violation.rule).toBe('NOT_AN_INSPECTORATE');
    const unknown = await w.run('ILT', 'check.record', check(up, { cardNumber: 'NB00000000009900' }));
    expect(unknown.ok || unknown.violation.rule).toBe('CARD_NOT_FOUND');
    const forged = await w.run(
      'ILT',
      'check.record',
      check(up, { uploads: [{ uploadId: up.upload.uploadId, hash: '00'.repeat(32) }] }),
    );
    expect(forged.ok || forged.violation.rule).toBe('EVIDENCE_MISMATCH');
    const old = await w.run('ILT', 'check.record', check(up, { checkedAt: '2024-04-01T00:00:00.000Z' }));
    expect(old.ok || old.violation).toMatchObject({ rule: 'TIME_OUT_OF_RANGE', field: 'checkedAt' });
    const badSeverity = await w.run(
      'ILT',
      'check.record',
      check(up, { infringements: [{ ...check(up).infringements[0], severity: 'HUGE' }] }),
    );
    expect(badSeverity.ok || badSeverity.violation).toMatchObject({
      rule: 'VALUE_INVALID',
      field: 'infringements[0].severity',
    });
  });
});

describe('access.record (the company logs inspectors’ accesses; the driver reads them)', () => {
  const entry = (up: UploadResult, overrides: Record<string, unknown> = {}) => ({
    accessId: 'aa'.repeat(32),
    cardNumber: CARD,
    at: '2024-05-31T10:01:00.000Z',
    by: 'ILT',
    officer: OFFICER,
    purpose: 'ROADSIDE',
    reference: null,
    from: '2024-01-01T00:00:00.000Z',
    to: '2024-01-29T00:00:00.000Z',
    uploads: [up.upload.uploadId],
    via: 'NATS',
    ...overrides,
  });

  it('appends to the month bucket, logs a repeated access once, and the driver view lists it', async () => {
    const { w, up } = await uploaded();
    const first = await w.run('Haulier', 'access.record', {
      entries: [
        entry(up),
        entry(up, { accessId: 'bb'.repeat(32), by: 'Police', at: '2024-05-31T09:00:00.000Z' }),
      ],
    });
    expect(first.ok && first.value).toEqual({ logged: 2, duplicates: 0 });
    const repeat = await w.run('Haulier', 'access.record', { entries: [entry(up)] });
    expect(repeat.ok && repeat.value).toEqual({ logged: 0, duplicates: 1 });
    const bucket = w.ledger.value<AccessLogBucket>(keys.access(CARD, '2024-05'))!;
    expect(bucket.entries.map((e) => e.by)).toEqual(['Police', 'ILT']);
    expect(bucket.entries[1]).toMatchObject({
      servedBy: 'Haulier',
      via: 'NATS',
      uploads: [up.upload.uploadId],
    });
    const view = await accessLogIn(w.ledger.reader(), CARD, {
      fromMs: Date.parse('2024-05-01T00:00:00Z'),
      toMs: Date.parse(TX_TIME),
    });
    expect(view.entries).toHaveLength(2);
    expect(view.overflow).toBe(0);
  });

  it('refuses uploads of another company, unknown uploads, non-inspectors and other creators', async () => {
    const { w, up } = await uploaded();
    const notOurs = await w.run('Trucker', 'access.record', { entries: [entry(up)] });
    expect(notOurs.ok || notOurs.violation.rule).toBe('UPLOAD_NOT_OURS');
    const missing = await w.run('Haulier', 'access.record', {
      entries: [entry(up, { uploads: ['ff'.repeat(16)] })],
    });
    expect(missing.ok || missing.violation.rule).toBe('UPLOAD_NOT_FOUND');
    const byRdw = await w.run('Haulier', 'access.record', { entries: [entry(up, { by: 'RDW' })] });
    expect(byRdw.ok || byRdw.violation).toMatchObject({ rule: 'VALUE_INVALID', field: 'entries[0].by' });
    const byInspector = await w.run('ILT', 'access.record', { entries: [entry(up)] });
    expect(byInspector.ok || byInspector.violation.rule).toBe('NOT_A_COMPANY');
    const empty = await w.run('Haulier', 'access.record', { entries: [] });
    expect(empty.ok || empty.violation.rule).toBe('VALUE_INVALID');
  });
});

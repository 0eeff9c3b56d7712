import { describe, expect, it } from 'vitest';
import {
  keys,
  prepareUpload,
  RECORDS_COLLECTION,
  uploadHash,
  type FindingsRecord,
  type RecordsHead,
  type UploadIndexBucket,
  type UploadRecord,
} from '../../src/domain/index.js';
import { tl } from '../rules/timeline-dsl.js';
import { CARD, CARD2, freshSalt, TX_TIME, World } from './fixtures.js';

/** 11 h of driving in one shift: above the 10 h of an extended day (Art. 6(1)), SERIOUS. */
const LONG_DAY = 'Mon 06:00 D 4h30, B 45m, D 4h30, B 45m, D 2h, R 11h';

async function world(): Promise<World> {
  const w = new World();
  await w.issue(CARD);
  return w;
}

describe('records.upload: what goes on the chain', () => {
  it('puts the hash, period, indexes and the month findings with their figures; not the activities', async () => {
    const w = await world();
    const up = await w.upload(tl(LONG_DAY));
    expect(up.ok && up.code).toBe('VALID');
    if (!up.ok) return;
    const { upload } = up.value;
    expect(upload).toMatchObject({
      cardNumber: CARD,
      uploader: 'Haulier',
      periodStart: '2024-01-01T06:00:00.000Z',
      periodEnd: '2024-01-02T05:30:00.000Z',
      count: 6,
      previous: null,
    });
    const stored = w.store('Haulier').get(upload.uploadId)!;
    expect(upload.hash).toBe(uploadHash(stored.salt, stored.content));
    expect(up.tx.privateHashes).toEqual([
      { collection: RECORDS_COLLECTION, key: `${CARD}/${upload.uploadId}`, hash: upload.hash },
    ]);
    expect(w.ledger.value<UploadRecord>(keys.upload(CARD, upload.uploadId))).toEqual(upload);
    expect(w.ledger.value<RecordsHead>(keys.head(CARD))).toMatchObject({
      uploads: 1,
      latest: { uploadId: upload.uploadId },
    });
    expect(w.ledger.value<UploadIndexBucket>(keys.uploadIndex(CARD, '2024-01'))!.uploads).toHaveLength(1);

    const month = w.ledger.value<FindingsRecord>(keys.findings(CARD, '2024-01'))!;
    const daily = month.findings.find((f) => f.rule === 'DAILY_DRIVING')!;
    expect(daily).toMatchObject({
      article: '561/2006 Art. 6(1)',
      kind: 'INFRINGEMENT',
      severity: 'SERIOUS',
      figures: { drivenMinutes: 660, limitMinutes: 600, excessMinutes: 60 },
      causes: [
        [0, 0],
        [0, 2],
        [0, 4],
      ],
      causesTotal: 3,
    });
    expect(month.basis.uploads).toEqual([upload.uploadId]);
    // Months with no findings are not written.
    expect(w.ledger.value(keys.findings(CARD, '2023-12'))).toBeUndefined();
    // No activity on the chain: the payload's writes name no activity type or period of the day.
    const writes = JSON.stringify([...up.tx.writes.values()]);
    expect(writes).not.toContain('BREAK_REST');
    expect(writes).not.toContain('2024-01-01T10:30:00.000Z');
    expect(up.tx.event).toMatchObject({
      type: 'records.uploaded',
      data: { uploadId: upload.uploadId, count: 6 },
    });
  });

  it('judges findings across uploads: a driving period split over two uploads breaks Art. 7', async () => {
    const w = await world();
    const first = await w.upload(tl('Mon 06:00 D 3h'), { txTime: '2024-01-01T09:30:00.000Z' });
    expect(first.ok && first.code).toBe('VALID');
    expect(
      w.ledger
        .value<FindingsRecord>(keys.findings(CARD, '2024-01'))
        ?.findings.some((f) => f.rule === 'BREAK'),
    ).toBeFalsy();
    const second = await w.upload(tl('Mon 09:00 D 2h, R 11h'));
    expect(second.ok && second.code).toBe('VALID');
    if (!first.ok || !second.ok) return;
    const month = w.ledger.value<FindingsRecord>(keys.findings(CARD, '2024-01'))!;
    expect(month.computedBy).toBe(second.value.upload.uploadId);
    expect(month.basis.uploads).toEqual([first.value.upload.uploadId, second.value.upload.uploadId]);
    const brk = month.findings.find((f) => f.rule === 'BREAK')!;
    expect(brk).toMatchObject({
      severity: 'SERIOUS',
      figures: { drivenMinutes: 300 },
      causes: [
        [0, 0],
        [1, 0],
      ],
    });
    expect(second.value.upload.previous).toBe(first.value.upload.uploadId);
  });

  it('leaves a month untouched when its findings did not change', async () => {
    const w = await world();
    await w.upload(tl(LONG_DAY));
    const version = w.ledger.version(keys.findings(CARD, '2024-01'));
    const later = await w.upload(tl('W3 Mon 06:00 D 4h, R 11h'));
    expect(later.ok && later.value.months.find((m) => m.month === '2024-01')).toMatchObject({
      written: false,
    });
    expect(w.ledger.version(keys.findings(CARD, '2024-01'))).toBe(version);
  });
});

describe('records.upload: refusals name the bad period and change nothing', () => {
  const cases: [string, unknown, string, { path: string; period: unknown }][] = [
    [
      'overlapping',
      tl('Mon 06:00 D 2h, R 1h').map((a, i) => (i === 1 ? { ...a, start: '2024-01-01T07:30:00.000Z' } : a)),
      'OVERLAPPING',
      {
        path: 'activities[1]',
        period: { start: '2024-01-01T07:30:00.000Z', end: '2024-01-01T09:00:00.000Z' },
      },
    ],
    [
      'unsorted',
      [...tl('Mon 06:00 D 2h, R 1h')].reverse(),
      'UNSORTED',
      {
        path: 'activities[1]',
        period: { start: '2024-01-01T06:00:00.000Z', end: '2024-01-01T08:00:00.000Z' },
      },
    ],
    [
      'in the future',
      [{ start: '2024-05-31T20:00:00.000Z', end: '2024-06-01T02:00:00.000Z', activity: 'DRIVING' }],
      'FUTURE',
      {
        path: 'activities[0].end',
        period: { start: '2024-05-31T20:00:00.000Z', end: '2024-06-01T02:00:00.000Z' },
      },
    ],
    [
      'of the wrong type',
      [{ start: '2024-01-01T06:00:00Z', end: 42, activity: 'DRIVING' }],
      'MALFORMED',
      { path: 'activities[0].end', period: null },
    ],
  ];
  for (const [what, activities, code, where] of cases) {
    it(`refuses activities ${what} (${code}) with the path and period, before and inside the transaction`, async () => {
      const w = await world();
      const prepared = prepareUpload({
        reader: w.ledger.reader(),
        load: async () => {
          throw new Error('not reached');
        },
        company: 'Haulier',
        cardNumber: CARD,
        records: { activities },
        salt: freshSalt(),
        now: TX_TIME,
      });
      await expect(prepared).rejects.toMatchObject({ rule: 'RECORDS_INVALID', details: where });
      const direct = await w.run('Haulier', 'records.upload', {
        cardNumber: CARD,
        salt: freshSalt(),
        records: { activities },
        context: [],
      });
      expect(direct.ok).toBe(false);
      if (direct.ok) return;
      expect(direct.violation).toMatchObject({ rule: 'RECORDS_INVALID', category: 'input', ...where });
      expect(direct.violation.errors[0]).toMatchObject({ code });
      expect(direct.tx.writes.size).toBe(0);
    });
  }

  it('refuses an unknown card (400), a card of another company (403) and records outside the card validity', async () => {
    const w = await world();
    const unknown = await w.upload(tl(LONG_DAY), { cardNumber: CARD2 });
    expect(unknown.ok || unknown.violation).toMatchObject({ rule: 'CARD_UNKNOWN', category: 'input' });
    const other = await w.upload(tl(LONG_DAY), { company: 'Trucker' });
    expect(other.ok || other.violation).toMatchObject({
      rule: 'CARD_OF_ANOTHER_COMPANY',
      category: 'permission',
    });
    const byInspector = await w.upload(tl(LONG_DAY), { company: 'ILT' });
    expect(byInspector.ok || byInspector.violation.rule).toBe('NOT_A_COMPANY');
    await w.issue(CARD2, { validFrom: '2024-01-02' });
    const early = await w.upload(tl(LONG_DAY), { cardNumber: CARD2 });
    expect(early.ok || early.violation).toMatchObject({
      rule: 'ACTIVITY_OUTSIDE_CARD_VALIDITY',
      path: 'activities[0]',
      period: { start: '2024-01-01T06:00:00.000Z', end: '2024-01-01T10:30:00.000Z' },
    });
    expect(w.ledger.value(keys.head(CARD))).toBeUndefined();
  });

  it('refuses an upload that starts before the end of the latest one, naming both', async () => {
    const w = await world();
    const first = await w.upload(tl(LONG_DAY));
    const again = await w.upload(tl('Mon 20:00 D 1h'));
    expect(again.ok).toBe(false);
    if (again.ok || !first.ok) return;
    expect(again.violation).toMatchObject({
      rule: 'UPLOAD_OVERLAPS',
      category: 'conflict',
      path: 'activities[0]',
      period: { start: '2024-01-01T20:00:00.000Z' },
      latest: { uploadId: first.value.upload.uploadId, periodEnd: '2024-01-02T05:30:00.000Z' },
    });
  });

  it('refuses bounds: more than a quarter in one upload', async () => {
    const w = await world();
    const long = [
      { start: '2024-01-01T06:00:00Z', end: '2024-01-01T08:00:00Z', activity: 'DRIVING' },
      { start: '2024-04-10T06:00:00Z', end: '2024-04-10T08:00:00Z', activity: 'DRIVING' },
    ];
    await expect(w.upload(long)).rejects.toMatchObject({ rule: 'UPLOAD_TOO_LARGE' });
  });

  it('refuses stale or doctored context: the store must match the chain', async () => {
    const w = await world();
    await w.upload(tl('Mon 06:00 D 3h'));
    const prepared = await prepareUpload({
      reader: w.ledger.reader(),
      load: async (ref) => w.store('Haulier').get(ref.uploadId)!,
      company: 'Haulier',
      cardNumber: CARD,
      records: { activities: tl('Mon 09:00 D 2h, R 11h') },
      salt: freshSalt(),
      now: TX_TIME,
    });
    expect(prepared.input.context).toHaveLength(1);
    const missing = await w.run('Haulier', 'records.upload', { ...prepared.input, context: [] });
    expect(missing.ok || missing.violation.rule).toBe('CONTEXT_CHANGED');
    const [ctx0] = prepared.input.context;
    const doctored = {
      ...ctx0!,
      content: {
        ...ctx0!.content,
        activities: ctx0!.content.activities.map((a) => ({ ...a, activity: 'OTHER_WORK' })),
      },
    };
    const tampered = await w.run('Haulier', 'records.upload', { ...prepared.input, context: [doctored] });
    expect(tampered.ok || tampered.violation.rule).toBe('CONTEXT_MISMATCH');
  });

  it('two uploads prepared on the same state: the second conflicts (MVCC) and, rebuilt, overlaps', async () => {
    const w = await world();
    const a = w.ledger.begin('Haulier', TX_TIME);
    const b = w.ledger.begin('Haulier', TX_TIME);
    const { transportLogic } = await import('../../src/domain/index.js');
    const input = (activities: unknown) => ({
      cardNumber: CARD,
      salt: freshSalt(),
      records: { activities },
      context: [],
    });
    expect((await transportLogic('records.upload')(a, input(tl(LONG_DAY)))).ok).toBe(true);
    expect((await transportLogic('records.upload')(b, input(tl('Mon 08:00 D 1h')))).ok).toBe(true);
    expect(w.ledger.commit(a, b)).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
    const rebuilt = await w.run('Haulier', 'records.upload', input(tl('Mon 08:00 D 1h')));
    expect(rebuilt.ok || rebuilt.violation.rule).toBe('UPLOAD_OVERLAPS');
  });
});

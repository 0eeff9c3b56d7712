import { describe, expect, it } from 'vitest';
import {
  buildHolderView,
  holderViewKeys,
  LIMITS,
  makeCardNumber,
  officerRef,
  recordChecks,
  type AccessLogBucket,
  type CheckToRecord,
  type HolderRecord,
} from '../../src/domain/index.js';
import { ALICE, at, salt, World } from './fixtures.js';

const NOW = at('2026-03-16');
const OFFICER = officerRef(salt(60), 'badge-0815');

function check(subject: string, checkedAt: string, extra: Partial<CheckToRecord> = {}): CheckToRecord {
  return {
    via: 'card',
    subject,
    checkedAt,
    officerRef: OFFICER,
    area: '0344',
    status: 'VALID',
    reason: 'VALID',
    ...extra,
  };
}

async function aliceWithCardAndPlace(world: World) {
  const hid = await world.register('Utrecht', ALICE, at('2026-01-20'));
  const assessmentId = await world.assess(hid, '2026-03-10');
  const card = await world.issue('Utrecht', NOW, { hid, assessmentId, cardSerial: 1 });
  await world.assignPlace('Utrecht', NOW, hid, 'GX-HR-12');
  return { hid, card };
}

function view(world: World, hid: string, now: string) {
  const holder = world.holder(hid);
  const k = holderViewKeys(holder, now);
  const read = <T>(list: readonly string[]) => list.map((key) => world.ledger.value<T>(key));
  return buildHolderView(
    holder,
    {
      cards: read(k.cards),
      places: read(k.places),
      assessments: read(k.assessments),
      accessLog: read<AccessLogBucket>(k.accessLog),
    },
    now,
  );
}

describe('the access log', () => {
  it("records who checked which card or plate, when and where, in the holder's month bucket", async () => {
    const world = new World();
    const { hid, card } = await aliceWithCardAndPlace(world);
    const { tx, result } = await world.ledger.transact('Police', at('2026-04-01', '10:00:00.000'), (ctx) =>
      recordChecks(ctx, {
        checks: [
          check(card.cardNumber.replaceAll('-', '').toLowerCase(), at('2026-03-31', '21:30:00.000')), // 23:30 in Amsterdam
          check('gxhr12', at('2026-03-31', '22:30:00.000'), { via: 'plate' }), // 00:30 on 1 April
          check(makeCardNumber('Amsterdam', 5), at('2026-04-01', '09:00:00.000'), {
            status: 'UNKNOWN',
            reason: 'UNKNOWN_CARD',
          }),
          check('99-XXX-9', at('2026-04-01', '09:10:00.000'), {
            via: 'plate',
            status: 'UNKNOWN',
            reason: 'UNKNOWN_PLATE',
          }),
        ],
      }),
    );
    expect(result).toEqual({ logged: 2, unmatched: 2 });
    expect(tx.writes.map((w) => w.key).sort()).toEqual([`log/${hid}/2026-03`, `log/${hid}/2026-04`]);
    expect(world.ledger.value<AccessLogBucket>(`log/${hid}/2026-03`)).toEqual({
      hid,
      month: '2026-03',
      overflow: 0,
      entries: [
        {
          checkedAt: at('2026-03-31', '21:30:00.000'),
          checker: 'Police',
          officerRef: OFFICER,
          area: '0344',
          via: 'card',
          subject: card.cardNumber,
          status: 'VALID',
          reason: 'VALID',
        },
      ],
    });
    // Numbers that match nothing are only counted: no plate seen at a place and time is kept.
    expect(JSON.stringify(tx)).not.toContain('99-XXX-9');
    expect(tx.event.data).toMatchObject({ checker: 'Police', unmatched: 2 });
  });

  it('is visible in the holder view, newest first, next to cards, places and assessments', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCardAndPlace(world);
    await world.run('Utrecht', at('2026-05-02'), (ctx) =>
      recordChecks(ctx, {
        checks: [check(card.cardNumber, at('2026-05-02', '08:00:00.000'), { area: '0363' })],
      }),
    );
    const duplicate = await world.duplicate('Utrecht', at('2026-06-01'), card.cardNumber, 2);
    // Someone uses the lost card: the holder sees it in the log.
    await world.run('Police', at('2026-06-10'), (ctx) =>
      recordChecks(ctx, {
        checks: [
          check(card.cardNumber, at('2026-06-10', '07:00:00.000'), {
            area: '0599',
            status: 'INVALID',
            reason: 'SUPERSEDED',
          }),
        ],
      }),
    );
    const v = view(world, hid, at('2026-06-11'));
    expect(v.accessLog.map((e) => [e.checker, e.area, e.status, e.reason])).toEqual([
      ['Police', '0599', 'INVALID', 'SUPERSEDED'],
      ['Utrecht', '0363', 'VALID', 'VALID'],
    ]);
    expect(v.cards.map((c) => [c.cardNumber, c.check.status, c.check.reason])).toEqual([
      [card.cardNumber, 'INVALID', 'SUPERSEDED'],
      [duplicate.cardNumber, 'VALID', 'VALID'],
    ]);
    expect(v.places).toHaveLength(1);
    expect(v.places[0]).toMatchObject({
      plate: 'GX-HR-12',
      cardNumber: duplicate.cardNumber,
      check: { status: 'VALID' },
    });
    expect(v.assessments).toEqual([
      expect.objectContaining({ outcome: 'positive', scope: 'driver', validUntil: '2036-03-10' }),
    ]);
    expect(v.assessments[0]).not.toHaveProperty('detailsHash');
    expect(v).toMatchObject({ hid, municipality: 'Utrecht', status: 'active', accessLogOverflow: 0 });
  });

  it('reads month buckets by name from registration to now, bounded', () => {
    const holder = {
      hid: 'ab'.repeat(32),
      registeredOn: '2000-01-01',
      cards: [],
      places: [],
      assessments: [],
    } as unknown as HolderRecord;
    const k = holderViewKeys(holder, at('2026-03-16'));
    expect(k.accessLog).toHaveLength(LIMITS.accessLogMonthsMax);
    expect(k.accessLog.at(-1)).toBe(`log/${holder.hid}/2026-03`);
  });

  it('counts checks beyond the monthly bound as overflow', async () => {
    const world = new World();
    const { hid, card } = await aliceWithCardAndPlace(world);
    const many = Array.from({ length: LIMITS.checksPerBatchMax }, (_, i) =>
      check(
        card.cardNumber,
        at(
          '2026-03-20',
          `08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`,
        ),
      ),
    );
    for (let i = 0; i < 3; i++)
      await world.run('Police', at('2026-03-21'), (ctx) => recordChecks(ctx, { checks: many }));
    const bucket = world.ledger.value<AccessLogBucket>(`log/${hid}/2026-03`)!;
    expect(bucket.entries).toHaveLength(LIMITS.accessLogEntriesPerMonthMax);
    expect(bucket.overflow).toBe(3 * LIMITS.checksPerBatchMax - LIMITS.accessLogEntriesPerMonthMax);
  });

  it('refuses checks by non-enforcement organisations and malformed batches, and changes nothing', async () => {
    const world = new World();
    const { card } = await aliceWithCardAndPlace(world);
    const time = at('2026-04-01');
    const record = (checks: unknown) => (ctx: Parameters<typeof recordChecks>[0]) =>
      recordChecks(ctx, { checks: checks as CheckToRecord[] });
    const ok = check(card.cardNumber, at('2026-03-31'));
    await world.expectRefused('NOT_ENFORCEMENT', 'Assessor', time, record([ok]));
    await world.expectRefused('NOT_ENFORCEMENT', 'RVO', time, record([ok]));
    await world.expectRefused('BATCH_SIZE_INVALID', 'Police', time, record([]));
    await world.expectRefused(
      'BATCH_SIZE_INVALID',
      'Police',
      time,
      record(Array(LIMITS.checksPerBatchMax + 1).fill(ok)),
    );
    await world.expectRefused(
      'PLATE_MALFORMED',
      'Police',
      time,
      record([ok, { ...ok, via: 'plate', subject: 'GX-HR12X' }]),
    );
    await world.expectRefused(
      'CARD_NUMBER_MALFORMED',
      'Police',
      time,
      record([{ ...ok, subject: 'NL-0344-1' }]),
    );
    await world.expectRefused(
      'CHECK_TIME_OUT_OF_RANGE',
      'Police',
      time,
      record([{ ...ok, checkedAt: at('2026-04-02') }]),
    );
    await world.expectRefused(
      'CHECK_TIME_OUT_OF_RANGE',
      'Police',
      time,
      record([{ ...ok, checkedAt: at('2026-03-20') }]),
    );
    await world.expectRefused(
      'AREA_MALFORMED',
      'Police',
      time,
      record([{ ...ok, area: 'Oudegracht 231, Utrecht' }]),
    );
    await world.expectRefused(
      'HASH_MALFORMED',
      'Police',
      time,
      record([{ ...ok, officerRef: 'badge-0815' }]),
    );
    await world.expectRefused('VALUE_INVALID', 'Police', time, record([{ ...ok, status: 'OK' }]));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complianceView, uploadsIn, type LoadedUpload } from '../../src/domain/index.js';
import type { ActivityInput } from '../../src/rules/index.js';
import { tl } from '../rules/timeline-dsl.js';
import { CARD, World } from './fixtures.js';

async function loaded(w: World, fromMs: number, toMs: number): Promise<LoadedUpload[]> {
  const refs = await uploadsIn(w.ledger.reader(), CARD, { fromMs, toMs });
  return refs.map((ref) => ({ ref, content: w.store(ref.uploader).get(ref.uploadId)!.content }));
}

const JAN = Date.parse('2024-01-01T00:00:00Z');
const FEB = Date.parse('2024-02-01T00:00:00Z');

describe('complianceView: findings with the periods that caused them and the figures', () => {
  it('resolves causes to upload, index and period, and keeps findings that touch the range', async () => {
    const w = new World();
    await w.issue();
    await w.upload(tl('Mon 06:00 D 3h'), { txTime: '2024-01-01T09:30:00.000Z' });
    await w.upload(tl('Mon 09:00 D 2h, R 11h, Tue 20:00 D 4h30, B 45m, D 4h30, B 45m, D 2h, R 11h'));
    const uploads = await loaded(w, JAN - 35 * 86_400_000, FEB);
    const view = complianceView(CARD, uploads, JAN, FEB);
    expect(view.window).toEqual({ from: '2023-11-27T00:00:00.000Z', to: '2024-02-01T00:00:00.000Z' });
    const brk = view.findings.find((f) => f.rule === 'BREAK')!;
    expect(brk.causes).toEqual([
      {
        uploadId: uploads[0]!.ref.uploadId,
        index: 0,
        start: '2024-01-01T06:00:00.000Z',
        end: '2024-01-01T09:00:00.000Z',
        activity: 'DRIVING',
      },
      {
        uploadId: uploads[1]!.ref.uploadId,
        index: 0,
        start: '2024-01-01T09:00:00.000Z',
        end: '2024-01-01T11:00:00.000Z',
        activity: 'DRIVING',
      },
    ]);
    const daily = view.findings.find((f) => f.rule === 'DAILY_DRIVING')!;
    expect(daily.figures).toMatchObject({ drivenMinutes: 660, limitMinutes: 600 });
    expect(daily.message).toMatch(/11 h/);
    expect(view.summary?.weeks[0]).toMatchObject({
      weekStart: '2024-01-01T00:00:00.000Z',
      drivingMinutes: 960,
    });
    // Nothing before the range: a range in February sees none of January's findings.
    expect(complianceView(CARD, uploads, FEB, FEB + 86_400_000).findings).toEqual([]);
  });

  it('gives no findings and no summary without records', () => {
    expect(complianceView(CARD, [], JAN, FEB)).toMatchObject({ findings: [], summary: null, uploads: [] });
  });
});

const ACTIVITIES = ['DRIVING', 'DRIVING', 'OTHER_WORK', 'AVAILABILITY', 'BREAK_REST'] as const;

/** A contiguous record from Monday 2024-01-01 06:00 of `steps` (activity, minutes). */
function record(steps: readonly (readonly [number, number])[]): ActivityInput[] {
  let t = Date.parse('2024-01-01T06:00:00Z');
  return steps.map(([kind, minutes]) => {
    const start = new Date(t).toISOString();
    t += minutes * 60_000;
    return { start, end: new Date(t).toISOString(), activity: ACTIVITIES[kind]! };
  });
}

/** A finding as seen through its periods (upload ids and indexes differ between splits). */
function seen(view: ReturnType<typeof complianceView>) {
  return view.findings.map(({ causes, ...f }) => ({
    ...f,
    causes: causes.map(({ start, end, activity }) => ({ start, end, activity })),
  }));
}

describe('property: how the records were split into uploads does not change what is found', () => {
  it('one upload or several chronological ones give the same findings, causes and figures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 15, max: 12 * 60 })), {
          minLength: 8,
          maxLength: 80,
        }),
        fc.uniqueArray(fc.integer({ min: 1, max: 79 }), { maxLength: 4 }),
        async (steps, cuts) => {
          const activities = record(steps);
          const end = Date.parse(activities[activities.length - 1]!.end);
          const whole = new World();
          await whole.issue();
          expect((await whole.upload(activities)).ok).toBe(true);
          const split = new World();
          await split.issue();
          const points = [
            0,
            ...cuts.filter((c) => c < activities.length).sort((a, b) => a - b),
            activities.length,
          ];
          for (let i = 0; i + 1 < points.length; i++) {
            if (points[i] === points[i + 1]) continue;
            const part = await split.upload(activities.slice(points[i], points[i + 1]));
            expect(part.ok).toBe(true);
          }
          const range = [JAN, end + 1] as const;
          const a = complianceView(CARD, await loaded(whole, JAN - 35 * 86_400_000, range[1]), ...range);
          const b = complianceView(CARD, await loaded(split, JAN - 35 * 86_400_000, range[1]), ...range);
          expect(seen(b)).toEqual(seen(a));
          expect(b.summary).toEqual(a.summary);
        },
      ),
      { numRuns: 25 },
    );
  });
});

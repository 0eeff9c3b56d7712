/**
 * Every Annex III band boundary (Directive 2006/22/EC as amended by Regulation (EU) 2016/403),
 * just under, at and just over, one minute apart.
 */
import { describe, expect, it } from 'vitest';
import {
  DAILY_REST_11H,
  MULTI_MANNING_DAILY_REST,
  REDUCED_DAILY_REST_9H,
  REDUCED_WEEKLY_REST,
  SPLIT_DAILY_REST,
  TWO_WEEK_DRIVING,
  UNINTERRUPTED_DRIVING,
  WEEKLY_DRIVING,
  WEEKLY_REST_45H,
  WEEKLY_REST_DELAY,
  classifyDailyDriving,
  classifyExcess,
  classifyShortfall,
  leastSevere,
  type ExcessTable,
  type ShortfallTable,
} from '../../src/rules/severity.js';

const MIN = 60_000;
const H = 60 * MIN;

/** [minutes, class] rows: the boundary values of a band table, one minute apart. */
type Row = readonly [minutes: number, severity: string | null];

/** Rows around limit L for bands starting at b1 < b2 < b3 (minutes above which the class rises). */
function rising(limit: number, ...bands: number[]): Row[] {
  const names = ['MINOR', 'SERIOUS', 'VERY_SERIOUS', 'MOST_SERIOUS'];
  const rows: Row[] = [
    [limit, null],
    [limit + 1, 'MINOR'],
  ];
  bands.forEach((b, i) => rows.push([b - 1, names[i]!], [b, names[i + 1]!]));
  return rows;
}

/** Rows around requirement R for bands ending at b1 > b2 (minutes under which the class rises). */
function falling(required: number, ...bands: number[]): Row[] {
  const names = ['MINOR', 'SERIOUS', 'VERY_SERIOUS'];
  const rows: Row[] = [
    [required, null],
    [required - 1, 'MINOR'],
  ];
  bands.forEach((b, i) => rows.push([b, names[i]!], [b - 1, names[i + 1]!]));
  return rows;
}

const EXCESS: readonly [string, ExcessTable, Row[]][] = [
  [
    'weekly driving: 56 h < MI < 60 h ≤ SI < 65 h ≤ VSI < 70 h ≤ MSI',
    WEEKLY_DRIVING,
    rising(3360, 3600, 3900, 4200),
  ],
  [
    'two weeks: 90 h < MI < 100 h ≤ SI < 105 h ≤ VSI < 112 h 30 ≤ MSI',
    TWO_WEEK_DRIVING,
    rising(5400, 6000, 6300, 6750),
  ],
  ['uninterrupted driving: 4 h 30 < MI < 5 h ≤ SI < 6 h ≤ VSI', UNINTERRUPTED_DRIVING, rising(270, 300, 360)],
  ['weekly rest delay: MI < 3 h ≤ SI < 12 h ≤ VSI', WEEKLY_REST_DELAY, rising(0, 180, 720)],
];

const SHORTFALL: readonly [string, ShortfallTable, Row[]][] = [
  [
    'daily rest, no reduction: 10 h ≤ MI < 11 h, 8 h 30 ≤ SI, VSI < 8 h 30',
    DAILY_REST_11H,
    falling(660, 600, 510),
  ],
  [
    'reduced daily rest: 8 h ≤ MI < 9 h, 7 h ≤ SI < 8 h, VSI < 7 h',
    REDUCED_DAILY_REST_9H,
    falling(540, 480, 420),
  ],
  ['split daily rest: 3 h + (8 h ≤ MI < 9 h, 7 h ≤ SI, VSI < 7 h)', SPLIT_DAILY_REST, falling(540, 480, 420)],
  ['multi-manning: 8 h ≤ MI < 9 h, 7 h ≤ SI, VSI < 7 h', MULTI_MANNING_DAILY_REST, falling(540, 480, 420)],
  [
    'reduced weekly rest: 22 h ≤ MI < 24 h, 20 h ≤ SI, VSI < 20 h',
    REDUCED_WEEKLY_REST,
    falling(1440, 1320, 1200),
  ],
  [
    'weekly rest, no reduction: 42 h ≤ MI < 45 h, 36 h ≤ SI, VSI < 36 h',
    WEEKLY_REST_45H,
    falling(2700, 2520, 2160),
  ],
];

describe('band boundaries', () => {
  it.each(EXCESS)('%s', (_name, table, rows) => {
    expect(rows.map(([m]) => [m, classifyExcess(table, m * MIN)?.severity ?? null])).toEqual(rows);
  });

  it.each(SHORTFALL)('%s', (_name, table, rows) => {
    expect(rows.map(([m]) => [m, classifyShortfall(table, m * MIN)?.severity ?? null])).toEqual(rows);
  });

  it.each([
    ['9 h: MI < 10 h ≤ SI < 11 h ≤ VSI, MSI from 13 h 30', 9, rising(540, 600, 660, 810)],
    ['10 h: MI < 11 h ≤ SI < 12 h ≤ VSI, MSI from 15 h', 10, rising(600, 660, 720, 900)],
  ])('daily driving at %s without 4.5 h of rest', (_name, limitHours, rows) => {
    const classify = (m: number) => classifyDailyDriving(limitHours * H, m * MIN, 45 * MIN)?.severity ?? null;
    expect(rows.map(([m]) => [m, classify(m)])).toEqual(rows);
  });

  it('a rest of 4.5 h in the shift keeps 50 % over the limit VERY SERIOUS', () => {
    const classify = (limitH: number, restMin: number) =>
      classifyDailyDriving(limitH * H, limitH * 1.5 * H, restMin * MIN)?.severity;
    expect([classify(9, 269), classify(9, 270), classify(10, 269), classify(10, 270)]).toEqual([
      'MOST_SERIOUS',
      'VERY_SERIOUS',
      'MOST_SERIOUS',
      'VERY_SERIOUS',
    ]);
  });
});

describe('leastSevere', () => {
  it('picks the mildest reading, and none when one reading has no infringement', () => {
    const serious = classifyShortfall(DAILY_REST_11H, 9 * H);
    const minor = classifyShortfall(REDUCED_DAILY_REST_9H, 8 * H);
    expect(leastSevere([serious, minor])?.severity).toBe('MINOR');
    expect(leastSevere([serious, null])).toBeNull();
  });
});

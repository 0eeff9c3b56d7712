/**
 * Building findings: one place that turns milliseconds into the output's minutes and RFC 3339
 * times, so every rule module reports in the same shape.
 */
import type { Classification } from './severity.js';
import { formatRfc3339, toMinutes } from './time.js';
import { FindingKind, type Finding, type FindingFigures, type RuleId } from './types.js';

/** The article each rule cites (Regulation (EC) No 561/2006 as amended by (EU) 2020/1054). */
export const ARTICLE: Readonly<Record<RuleId, string>> = {
  DAILY_DRIVING: '561/2006 Art. 6(1)',
  WEEKLY_DRIVING: '561/2006 Art. 6(2)',
  TWO_WEEK_DRIVING: '561/2006 Art. 6(3)',
  BREAK: '561/2006 Art. 7',
  DAILY_REST: '561/2006 Art. 8(2)',
  MULTI_MANNING_DAILY_REST: '561/2006 Art. 8(5)',
  REDUCED_DAILY_REST_COUNT: '561/2006 Art. 8(4)',
  WEEKLY_REST_START: '561/2006 Art. 8(6) second subparagraph',
  WEEKLY_REST_TOO_SHORT: '561/2006 Art. 8(6) first subparagraph',
  CONSECUTIVE_REDUCED_WEEKLY_REST: '561/2006 Art. 8(6) first subparagraph',
  FOUR_WEEK_WEEKLY_RESTS: '561/2006 Art. 8(6) third subparagraph',
  WEEKLY_REST_COMPENSATION: '561/2006 Art. 8(6b) first subparagraph',
  COMPENSATION_BEFORE_WEEKLY_REST: '561/2006 Art. 8(6b) second subparagraph',
  REGULAR_WEEKLY_REST_IN_VEHICLE: '561/2006 Art. 8(8)',
  EXCEEDANCE_COMPENSATION: '561/2006 Art. 12 fifth subparagraph',
  COMPENSATION_OWED: '561/2006 Art. 8(6b) / Art. 12',
  EXCEEDANCE_APPLIED: '561/2006 Art. 12',
  EXCEEDANCE_NOT_APPLICABLE: '561/2006 Art. 12',
};

/** Figures in milliseconds; converted to minutes on the way out. */
export type FiguresMs = { readonly [K in keyof FindingFigures]?: number };

const COUNT_KEYS = new Set(['count', 'allowed']);

function toMinuteFigures(figures: FiguresMs): FindingFigures {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(figures)) {
    if (value !== undefined) out[key] = COUNT_KEYS.has(key) ? value : toMinutes(value);
  }
  return out as FindingFigures;
}

export interface FindingDraft {
  readonly rule: RuleId;
  readonly kind?: FindingKind;
  readonly classification: Classification | null;
  readonly startMs: number;
  readonly endMs: number;
  readonly figuresMs: FiguresMs;
  readonly causes: readonly number[];
  readonly dueByMs?: number;
  readonly message: string;
  /** Overrides ARTICLE[rule] when a rule cites a more precise paragraph. */
  readonly article?: string;
}

export function makeFinding(draft: FindingDraft): Finding {
  const causes = [...new Set(draft.causes)].sort((a, b) => a - b);
  return {
    rule: draft.rule,
    article: draft.article ?? ARTICLE[draft.rule],
    kind: draft.kind ?? FindingKind.INFRINGEMENT,
    severity: draft.classification?.severity ?? null,
    annex: draft.classification?.annex ?? null,
    periodStart: formatRfc3339(draft.startMs),
    periodEnd: formatRfc3339(draft.endMs),
    figures: toMinuteFigures(draft.figuresMs),
    causes,
    ...(draft.dueByMs === undefined ? {} : { dueBy: formatRfc3339(draft.dueByMs) }),
    message: draft.message,
  };
}

/** "9 h 45" style, for messages. */
export function formatDuration(durationMs: number): string {
  const totalMinutes = Math.round(toMinutes(durationMs));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${String(minutes).padStart(2, '0')}`;
}

/** Positions of every period in [from, to), as input indices (periods are sorted, index = position). */
export function periodRange(from: number, to: number): number[] {
  const out: number[] = [];
  for (let p = from; p < to; p++) out.push(p);
  return out;
}

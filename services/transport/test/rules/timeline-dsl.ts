/**
 * A small language for worked timelines, so that each test reads like an enforcement example:
 *
 *   tl('Mon 06:00 D 4h30, B 45m, D 4h30, R 11h')
 *   tl('W2 Tue 20:00 D 2h +mm, R 45h +veh +abroad, @W3 Mon 06:00 W 30m')
 *
 * Items are separated by commas or new lines. An item may start with a time `[Wn] Day HH:MM`
 * (week 1 is the week of Monday 2024-01-01; `@` is optional) that moves the cursor forward —
 * the time skipped is left unrecorded, which the engine counts as rest, as a tachograph does.
 * Then an activity and a duration: D driving, W other work, A availability, B break, R rest
 * (both BREAK_REST), U unknown, G gap (nothing recorded); durations like 45m, 4h30, 11h, 2d3h.
 * Flags: +mm multi-manning, +veh rest in the vehicle, +abroad rest begun outside the home countries.
 */
import type {
  ActivityInput,
  ActivityType,
  ComplianceReport,
  ComplianceRequest,
  Finding,
  RuleId,
} from '../../src/rules/index.js';
import { checkCompliance } from '../../src/rules/index.js';

export const NOW = '2030-01-01T00:00:00.000Z';
/** Monday 2024-01-01 00:00 UTC: week 1. */
export const BASE_MS = Date.UTC(2024, 0, 1);
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const CODES: Readonly<Record<string, ActivityType | null>> = {
  D: 'DRIVING',
  W: 'OTHER_WORK',
  A: 'AVAILABILITY',
  B: 'BREAK_REST',
  R: 'BREAK_REST',
  U: 'UNKNOWN',
  G: null,
};

const TIME = /^@?(?:W(\d+)\s+)?(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(\d{2}):(\d{2})\s*/;
const ACTIVITY = /^([DWABRUG])\s+((?:\d+d)?(?:\d+h)?(?:\d+m?)?)((?:\s+\+\w+)*)$/;

/** Epoch ms of `[Wn] Day HH:MM`. */
export function atMs(text: string): number {
  const m = TIME.exec(text.trim());
  if (m === null) throw new Error(`dsl: not a time: ${text}`);
  const week = Number(m[1] ?? '1');
  return (
    BASE_MS + ((week - 1) * 7 + DAYS.indexOf(m[2]!)) * DAY_MS + (Number(m[3]) * 60 + Number(m[4])) * MINUTE_MS
  );
}

/** RFC 3339 of `[Wn] Day HH:MM`. */
export function at(text: string): string {
  return new Date(atMs(text)).toISOString();
}

/** Minutes in a duration like 4h30, 45m, 2d3h. */
export function minutes(text: string): number {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m?)?$/.exec(text);
  if (m === null || text === '') throw new Error(`dsl: not a duration: ${text}`);
  return Number(m[1] ?? 0) * 24 * 60 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export function tl(spec: string, startMs = BASE_MS): ActivityInput[] {
  const out: ActivityInput[] = [];
  let cursorMs = startMs;
  for (const raw of spec.split(/[,\n]/)) {
    let item = raw.trim();
    if (item === '') continue;
    const time = TIME.exec(item);
    if (time !== null) {
      const targetMs = atMs(time[0]);
      if (targetMs < cursorMs)
        throw new Error(`dsl: ${time[0].trim()} is before the cursor (${new Date(cursorMs).toISOString()})`);
      cursorMs = targetMs;
      item = item.slice(time[0].length).trim();
      if (item === '') continue;
    }
    const m = ACTIVITY.exec(item);
    if (m === null) throw new Error(`dsl: cannot read "${item}"`);
    const durationMs = minutes(m[2]!) * MINUTE_MS;
    const flags = (m[3] ?? '')
      .split('+')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    const activity = CODES[m[1]!];
    if (activity !== null && activity !== undefined) {
      out.push({
        start: new Date(cursorMs).toISOString(),
        end: new Date(cursorMs + durationMs).toISOString(),
        activity,
        ...(flags.includes('mm') ? { multiManning: true } : {}),
        ...(flags.includes('veh') ? { inVehicle: true } : {}),
        ...(flags.includes('abroad') ? { outsideHomeCountries: true } : {}),
      });
    }
    cursorMs += durationMs;
  }
  return out;
}

/** `spec` repeated `count` times, joined by commas. */
export function times(count: number, spec: string): string {
  return Array.from({ length: count }, () => spec).join(', ');
}

export function check(
  activities: readonly ActivityInput[],
  context: Omit<ComplianceRequest, 'activities'> = {},
): ComplianceReport {
  return checkCompliance({ ...context, activities }, { now: NOW });
}

export function only(report: ComplianceReport, rule: RuleId): Finding[] {
  return report.findings.filter((f) => f.rule === rule);
}

/** Infringements only (no notices). */
export function infringements(report: ComplianceReport): Finding[] {
  return report.findings.filter((f) => f.kind === 'INFRINGEMENT');
}

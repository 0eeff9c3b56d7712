/**
 * The compliance engine: validates a request, runs every rule module over one timeline, settles
 * compensation, and assembles findings and summary. Pure and deterministic: the same request and
 * `now` give the same report, byte for byte. O(n log n) in the number of periods.
 */
import { settleDebts, surplusMs, type Debt, type Settlement } from './compensation.js';
import { analyseBreaks } from './breaks.js';
import { analyseDriving, type DrivingAnalysis } from './driving-time.js';
import { InvalidComplianceRequestError } from './errors.js';
import { excusedDrivingMs, isSafetyDeparture } from './exceedances.js';
import { formatDuration, makeFinding } from './findings.js';
import type { Exceedance, ValidatedRequest } from './model.js';
import { analyseShifts, type Shift } from './shifts.js';
import { buildTimeline, type RestBlock, type Timeline } from './timeline.js';
import { WEEK_MS, formatRfc3339, toMinutes, weekStartMs } from './time.js';
import {
  CompensationOrigin,
  CompensationStatus,
  FindingKind,
  RestType,
  RuleId,
  type ComplianceReport,
  type CompensationSummary,
  type Finding,
  type RestSummary,
  type ShiftSummary,
} from './types.js';
import { validateComplianceRequest, type ValidationOptions } from './validate.js';
import { analyseWeeklyRests, type PairCheck } from './weekly-rest.js';

const WEEKS_TO_COMPENSATE = 3;

/**
 * Checks one driver's records. Throws InvalidComplianceRequestError (with every input error) on
 * bad input; `options.now` is the present, so that nothing can be recorded in the future.
 */
export function checkCompliance(request: unknown, options: ValidationOptions): ComplianceReport {
  const validated = validateComplianceRequest(request, options);
  if (!validated.ok) throw new InvalidComplianceRequestError(validated.errors);
  return evaluateCompliance(validated.value);
}

/** Evaluates an already validated request. */
export function evaluateCompliance(request: ValidatedRequest): ComplianceReport {
  const timeline = buildTimeline(request.periods, request.crossings);
  const shiftAnalysis = analyseShifts(timeline, request.exceedances);
  const shifts = shiftAnalysis.shifts;
  const applied = shifts.flatMap((s) => s.exceedances);
  const safety = applied.filter(isSafetyDeparture).sort((a, b) => a.startMs - b.startMs);
  const driving = analyseDriving(timeline, shifts);
  const weekly = analyseWeeklyRests(timeline, request, shifts, safety);
  const debts: Debt[] = [...weekly.debts, ...exceedanceDebts(driving)];
  const settlements = settleDebts(
    debts,
    timeline.rests.filter((r) => surplusMs(r) > 0 || r.openEnd),
    timeline.dataEndMs,
  );
  const findings = [
    ...shiftAnalysis.findings,
    ...driving.findings,
    ...analyseBreaks(timeline, safety),
    ...weekly.findings,
    ...compensationFindings(settlements),
    ...pairFindings(weekly.pairChecks, settlements),
    ...exceedanceNotices(timeline, request.exceedances, applied, shiftAnalysis.rejected),
  ].sort(byTime);
  return {
    findings,
    summary: {
      analysedFrom: formatRfc3339(timeline.dataStartMs),
      analysedTo: formatRfc3339(timeline.dataEndMs),
      drivingMinutes: toMinutes(timeline.drivingBeforeMs[timeline.periods.length] as number),
      weeks: driving.weeks.map((w) => ({
        weekStart: formatRfc3339(w.weekStartMs),
        drivingMinutes: toMinutes(w.drivingMs),
        twoWeekDrivingMinutes: toMinutes(w.twoWeekDrivingMs),
        extendedShifts: w.extendedShifts,
      })),
      shifts: shifts.map((s, i) => shiftSummary(s, driving.perShift[i]!, weekly.types)),
      compensations: settlements.map(compensationSummary),
    },
  };
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byTime(a: Finding, b: Finding): number {
  return (
    compareText(a.periodStart, b.periodStart) ||
    compareText(a.periodEnd, b.periodEnd) ||
    compareText(a.rule, b.rule) ||
    (a.causes[0] ?? -1) - (b.causes[0] ?? -1)
  );
}

function exceedanceDebts(driving: DrivingAnalysis): Debt[] {
  const debts: Debt[] = [];
  for (const [x, usedMs] of driving.extensionUsedMs) {
    if (usedMs <= 0) continue;
    debts.push({
      origin: CompensationOrigin.EXCEEDANCE,
      originStartMs: x.startMs,
      availableFromMs: x.endMs,
      owedMs: usedMs,
      dueMs: weekStartMs(x.startMs) + (WEEKS_TO_COMPENSATE + 1) * WEEK_MS,
      key: x,
    });
  }
  return debts;
}

function compensationFindings(settlements: readonly Settlement[]): Finding[] {
  const out: Finding[] = [];
  for (const { debt, status } of settlements) {
    if (status === CompensationStatus.SETTLED) continue;
    const forWhat =
      debt.origin === CompensationOrigin.REDUCED_WEEKLY_REST ? 'reduced weekly rest' : 'Article 12 extension';
    const overdue = status === CompensationStatus.OVERDUE;
    const rule = !overdue
      ? RuleId.COMPENSATION_OWED
      : debt.origin === CompensationOrigin.REDUCED_WEEKLY_REST
        ? RuleId.WEEKLY_REST_COMPENSATION
        : RuleId.EXCEEDANCE_COMPENSATION;
    out.push(
      makeFinding({
        rule,
        kind: overdue ? FindingKind.INFRINGEMENT : FindingKind.NOTICE,
        article:
          rule === RuleId.COMPENSATION_OWED
            ? debt.origin === CompensationOrigin.REDUCED_WEEKLY_REST
              ? '561/2006 Art. 8(6b) first subparagraph'
              : '561/2006 Art. 12 fifth subparagraph'
            : undefined,
        classification: null,
        startMs: debt.originStartMs,
        endMs: debt.dueMs,
        figuresMs: { owedMinutes: debt.owedMs },
        causes: [],
        dueByMs: debt.dueMs,
        message: overdue
          ? `${formatDuration(debt.owedMs)} of compensation for the ${forWhat} of ${formatRfc3339(debt.originStartMs)} not taken en bloc by ${formatRfc3339(debt.dueMs)}`
          : `${formatDuration(debt.owedMs)} of compensation owed for the ${forWhat} of ${formatRfc3339(debt.originStartMs)}, to be taken en bloc with a rest of at least 9 h by ${formatRfc3339(debt.dueMs)}`,
      }),
    );
  }
  return out;
}

/** After two consecutive reduced weekly rests, the next weekly rest is preceded by their compensation. */
function pairFindings(pairChecks: readonly PairCheck[], settlements: readonly Settlement[]): Finding[] {
  const byDebt = new Map(settlements.map((s) => [s.debt, s]));
  const out: Finding[] = [];
  for (const check of pairChecks) {
    if (check.next.openEnd) continue; // still going on at the end of the record: may yet carry it
    const missing = check.debts.filter((d) => {
      const paidWith = byDebt.get(d)?.settledWith ?? null;
      return paidWith === null || paidWith.startMs > check.next.startMs;
    });
    if (missing.length === 0) continue;
    const owedMs = missing.reduce((sum, d) => sum + d.owedMs, 0);
    out.push(
      makeFinding({
        rule: RuleId.COMPENSATION_BEFORE_WEEKLY_REST,
        classification: null,
        startMs: check.next.startMs,
        endMs: check.next.endMs,
        figuresMs: { owedMinutes: owedMs, restedMinutes: check.next.restMs },
        causes: [],
        message: `the weekly rest after two consecutive reduced weekly rests was not preceded by their compensation (${formatDuration(owedMs)} missing)`,
      }),
    );
  }
  return out;
}

function exceedanceNotices(
  timeline: Timeline,
  all: readonly Exceedance[],
  applied: readonly Exceedance[],
  rejected: ReadonlyMap<Exceedance, string>,
): Finding[] {
  const appliedSet = new Set(applied);
  return all.map((x) => {
    const ok = appliedSet.has(x);
    const why = rejected.get(x) ?? 'not inside a shift of the record';
    return makeFinding({
      rule: ok ? RuleId.EXCEEDANCE_APPLIED : RuleId.EXCEEDANCE_NOT_APPLICABLE,
      kind: FindingKind.NOTICE,
      classification: null,
      startMs: x.startMs,
      endMs: x.endMs,
      figuresMs: ok ? { excusedMinutes: excusedDrivingMs(timeline, x) } : {},
      causes: [],
      message: ok
        ? `Article 12 ${x.kind} applied (reason recorded: "${x.reason}")`
        : `Article 12 ${x.kind} not applied: ${why} (reason recorded: "${x.reason}")`,
    });
  });
}

function restSummary(
  shift: Shift,
  rest: RestBlock,
  weeklyTypes: ReadonlyMap<RestBlock, RestType>,
): RestSummary {
  const split = shift.splitFirst;
  return {
    start: formatRfc3339(rest.startMs),
    end: formatRfc3339(rest.endMs),
    minutes: toMinutes(rest.restMs),
    inWindowMinutes: toMinutes(shift.inWindowMs),
    type: weeklyTypes.get(rest) ?? shift.restType ?? RestType.REGULAR_WEEKLY,
    splitFirstPart:
      split === null || shift.restType !== RestType.SPLIT_DAILY
        ? null
        : { start: formatRfc3339(split.startMs), end: formatRfc3339(split.endMs) },
    ferryOrTrainInterruptions: rest.parts.length - 1,
    inVehicleMinutes: toMinutes(rest.inVehicleMs),
    surplusMinutes: toMinutes(surplusMs(rest)),
  };
}

function shiftSummary(
  shift: Shift,
  driving: DrivingAnalysis['perShift'][number],
  weeklyTypes: ReadonlyMap<RestBlock, RestType>,
): ShiftSummary {
  return {
    start: formatRfc3339(shift.startMs),
    end: shift.rest === null ? null : formatRfc3339(shift.rest.startMs),
    drivingMinutes: toMinutes(shift.drivingMs),
    limitMinutes: toMinutes(driving.limitMs),
    extended: driving.extended,
    multiManning: shift.multiManning,
    windowEnd: formatRfc3339(shift.windowEndMs),
    rest: shift.rest === null ? null : restSummary(shift, shift.rest, weeklyTypes),
  };
}

function compensationSummary(s: Settlement): CompensationSummary {
  return {
    origin: s.debt.origin,
    originStart: formatRfc3339(s.debt.originStartMs),
    owedMinutes: toMinutes(s.debt.owedMs),
    dueBy: formatRfc3339(s.debt.dueMs),
    status: s.status,
    settledWith: s.settledWith === null ? null : formatRfc3339(s.settledWith.startMs),
  };
}

/**
 * One driver's uploads put together and checked by the engine, the same way wherever it runs: in
 * the company's service over its private store, in an inspector's service over the records the
 * company shared (after checking them against the chain's hashes), and in the upload transaction
 * that puts the findings on the chain. Same uploads and range in, same findings out: "a company
 * sees exactly what an inspector will see" (docs/transport.md#compliance).
 */
import {
  evaluateCompliance,
  validateComplianceRequest,
  type ActivityInput,
  type ComplianceReport,
  type ComplianceSummary,
  type Finding,
} from '../rules/index.js';
import { formatRfc3339, parseRfc3339Utc } from '../rules/time.js';
import { invariant } from './errors.js';
import { monthOf, type Month } from './months.js';
import { LIMITS, type StoredFinding, type UploadRef } from './records.js';
import type { UploadContent } from './upload.js';

/** An upload's reference (from the chain) with its content (from a private store, hash checked). */
export interface LoadedUpload {
  readonly ref: UploadRef;
  readonly content: UploadContent;
}

/** Where each activity of a combined request came from: `[k, i]` = activity i of upload k. */
export type Origin = readonly [number, number];

export interface Combined {
  readonly uploads: readonly LoadedUpload[];
  readonly activities: readonly ActivityInput[];
  readonly origins: readonly Origin[];
  readonly report: ComplianceReport;
}

function ms(text: string): number {
  const value = parseRfc3339Utc(text);
  invariant(value !== null, () => `stored time ${text} does not parse`);
  return value;
}

function overlaps(item: { start: string; end: string }, fromMs: number, toMs: number): boolean {
  return ms(item.end) > fromMs && ms(item.start) < toMs;
}

/** Uploads ordered as every service orders them: by start, then id. */
export function sortUploads(uploads: readonly LoadedUpload[]): LoadedUpload[] {
  return [...uploads].sort(
    (a, b) => ms(a.ref.periodStart) - ms(b.ref.periodStart) || (a.ref.uploadId < b.ref.uploadId ? -1 : 1),
  );
}

/**
 * Runs the engine over the activities of `uploads` that overlap [fromMs, toMs) (whole periods,
 * never cut). Null when there are none. The uploads of a card never overlap (they are
 * chronological), so the combined list is valid; anything else is a broken invariant.
 */
export function combineAndCheck(
  uploads: readonly LoadedUpload[],
  fromMs: number,
  toMs: number,
): Combined | null {
  const sorted = sortUploads(uploads);
  const activities: ActivityInput[] = [];
  const origins: Origin[] = [];
  const crossings = [];
  const exceedances = [];
  for (let k = 0; k < sorted.length; k++) {
    const { content } = sorted[k]!;
    content.activities.forEach((activity, i) => {
      if (!overlaps(activity, fromMs, toMs)) return;
      activities.push(activity);
      origins.push([k, i]);
    });
    crossings.push(...content.crossings.filter((c) => overlaps(c, fromMs, toMs)));
    exceedances.push(...content.exceedances.filter((e) => overlaps(e, fromMs, toMs)));
  }
  if (activities.length === 0) return null;
  const last = sorted[sorted.length - 1]!.content;
  const request = {
    activities,
    transport: last.transport,
    international: last.international,
    crossings,
    exceedances,
  };
  const now = activities[activities.length - 1]!.end;
  const validated = validateComplianceRequest(request, { now });
  invariant(
    validated.ok,
    () => `uploads do not combine: ${validated.ok ? '' : validated.errors[0]?.message}`,
  );
  return { uploads: sorted, activities, origins, report: evaluateCompliance(validated.value) };
}

/** The engine's finding as the chain keeps it (causes as `[upload position, index]`, bounded). */
export function storedFinding(finding: Finding, origins: readonly Origin[]): StoredFinding {
  const causes = finding.causes.slice(0, LIMITS.causesStoredMax).map((c) => origins[c]!);
  return {
    rule: finding.rule,
    article: finding.article,
    kind: finding.kind,
    severity: finding.severity,
    annex: finding.annex,
    periodStart: finding.periodStart,
    periodEnd: finding.periodEnd,
    figures: finding.figures,
    ...(finding.dueBy === undefined ? {} : { dueBy: finding.dueBy }),
    causes,
    causesTotal: finding.causes.length,
  };
}

/** The findings of `combined` that start in each of `months`, bounded per month. */
export function findingsByMonth(
  combined: Combined | null,
  months: readonly Month[],
): Map<Month, { findings: StoredFinding[]; overflow: number }> {
  const out = new Map(months.map((m) => [m, { findings: [] as StoredFinding[], overflow: 0 }]));
  if (combined === null) return out;
  for (const finding of combined.report.findings) {
    const bucket = out.get(monthOf(ms(finding.periodStart)));
    if (bucket === undefined) continue;
    if (bucket.findings.length < LIMITS.findingsPerMonthMax) {
      bucket.findings.push(storedFinding(finding, combined.origins));
    } else {
      bucket.overflow++;
    }
  }
  return out;
}

/** One activity that caused a finding, as the REST view shows it. */
export interface CauseView {
  readonly uploadId: string;
  readonly index: number;
  readonly start: string;
  readonly end: string;
  readonly activity: string;
}

export interface FindingView extends Omit<Finding, 'causes'> {
  readonly causes: readonly CauseView[];
}

export interface ComplianceView {
  readonly cardNumber: string;
  readonly from: string;
  readonly to: string;
  /** The records the engine ran over: the range and its context before it. */
  readonly window: { readonly from: string; readonly to: string };
  readonly uploads: readonly UploadRef[];
  readonly findings: readonly FindingView[];
  /** The engine's summary, restricted to weeks, shifts and compensations that touch the range. */
  readonly summary: ComplianceSummary | null;
}

function restrictSummary(summary: ComplianceSummary, fromMs: number, toMs: number): ComplianceSummary {
  const weekMs = 7 * 86_400_000;
  return {
    ...summary,
    weeks: summary.weeks.filter((w) => ms(w.weekStart) < toMs && ms(w.weekStart) + weekMs > fromMs),
    shifts: summary.shifts.filter((s) => ms(s.start) < toMs && (s.end === null || ms(s.end) > fromMs)),
    compensations: summary.compensations.filter((c) => ms(c.originStart) < toMs && ms(c.dueBy) > fromMs),
  };
}

/**
 * The compliance of a card over [fromMs, toMs): the engine runs from LIMITS.contextMs before
 * `fromMs`, and the findings that touch the range are returned with the periods that caused them.
 */
export function complianceView(
  cardNumber: string,
  uploads: readonly LoadedUpload[],
  fromMs: number,
  toMs: number,
): ComplianceView {
  const windowFromMs = fromMs - LIMITS.contextMs;
  const combined = combineAndCheck(uploads, windowFromMs, toMs);
  const sorted = combined?.uploads ?? sortUploads(uploads);
  const findings =
    combined === null
      ? []
      : combined.report.findings
          .filter((f) => ms(f.periodEnd) > fromMs && ms(f.periodStart) < toMs)
          .map((f): FindingView => ({
            ...f,
            causes: f.causes.map((c) => {
              const [k, i] = combined.origins[c]!;
              const activity = combined.activities[c]!;
              return {
                uploadId: sorted[k]!.ref.uploadId,
                index: i,
                start: activity.start,
                end: activity.end,
                activity: activity.activity,
              };
            }),
          }));
  return {
    cardNumber,
    from: formatRfc3339(fromMs),
    to: formatRfc3339(toMs),
    window: { from: formatRfc3339(windowFromMs), to: formatRfc3339(toMs) },
    uploads: sorted.map((u) => u.ref),
    findings,
    summary: combined === null ? null : restrictSummary(combined.report.summary, fromMs, toMs),
  };
}

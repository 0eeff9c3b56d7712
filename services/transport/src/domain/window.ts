/**
 * Which records an upload's findings depend on (docs/transport.md#findings-on-the-chain). A new
 * upload starting at `s` can change the judgement of anything that was still pending up to
 * LIMITS.contextMs before `s` (a week's driving, a weekly rest, a compensation due in three
 * weeks), so the findings of every month from the one holding `s − context` are recomputed; the
 * engine runs from one more context before the first of those months, so that the findings it
 * keeps are judged with their own context.
 */
import { formatRfc3339 } from '../rules/time.js';
import { monthOf, monthsBetween, monthStartMs, type Month } from './months.js';
import { LIMITS, type UploadIndexBucket, type UploadRef } from './records.js';

export interface UploadWindow {
  /** Where the engine starts. */
  readonly basisFromMs: number;
  /** The months whose findings this upload recomputes, oldest first. */
  readonly recomputed: readonly Month[];
  /** The index months that list the context uploads (those overlapping [basisFrom, s)). */
  readonly contextMonths: readonly Month[];
  /** The months the upload itself covers: its ref is added to their indexes. */
  readonly uploadMonths: readonly Month[];
}

/** A quarter's upload plus context touches at most this many months. */
const WINDOW_MONTHS_MAX = 12;

export function uploadWindow(startMs: number, endMs: number): UploadWindow {
  const recheckFromMs = startMs - LIMITS.contextMs;
  const basisFromMs = monthStartMs(monthOf(recheckFromMs)) - LIMITS.contextMs;
  return {
    basisFromMs,
    recomputed: monthsBetween(recheckFromMs, endMs, WINDOW_MONTHS_MAX),
    contextMonths: monthsBetween(basisFromMs, startMs, WINDOW_MONTHS_MAX),
    uploadMonths: monthsBetween(startMs, endMs, WINDOW_MONTHS_MAX),
  };
}

/** Refs listed in `buckets`, each once, ordered by start then id. */
export function refsOf(buckets: readonly (UploadIndexBucket | undefined)[]): UploadRef[] {
  const byId = new Map<string, UploadRef>();
  for (const bucket of buckets) for (const ref of bucket?.uploads ?? []) byId.set(ref.uploadId, ref);
  return [...byId.values()].sort((a, b) =>
    a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : a.uploadId < b.uploadId ? -1 : 1,
  );
}

/** Refs overlapping [fromMs, toMs), compared as wire-form times (which sort as text). */
export function overlapping(refs: readonly UploadRef[], fromMs: number, toMs: number): UploadRef[] {
  const from = formatRfc3339(fromMs);
  const to = formatRfc3339(toMs);
  return refs.filter((r) => r.periodEnd > from && r.periodStart < to);
}

/** The context of an upload: the uploader's own uploads overlapping [basisFrom, s). */
export function contextRefs(
  buckets: readonly (UploadIndexBucket | undefined)[],
  uploader: string,
  window: UploadWindow,
  startMs: number,
): UploadRef[] {
  return overlapping(refsOf(buckets), window.basisFromMs, startMs).filter((r) => r.uploader === uploader);
}

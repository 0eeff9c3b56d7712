/**
 * How Article 12 exceedances take part in finding a shift's daily rest: each one declared inside
 * the window moves the deadline (Art. 8(2) is among the provisions they depart from), then the
 * rest found is checked against the paragraph's conditions (a weekly rest, or a regular weekly
 * rest after a 30 min break, must follow); an exceedance that fails them is dropped and the rest
 * is looked for again. Bounded: at most one retry per exceedance in the window.
 */
import { unmetCondition, windowExtensionMs } from './exceedances.js';
import type { Exceedance } from './model.js';
import type { RestBlock, Timeline } from './timeline.js';

export interface ExceedanceEffects {
  /** What the selector returned for the final set of exceedances. */
  readonly selection: unknown;
  /** Exceedances inside the shift whose conditions hold. */
  readonly applied: readonly Exceedance[];
  readonly rejected: ReadonlyMap<Exceedance, string>;
  /** First exceedance not yet consumed (starting at or after the end of the shift's rest). */
  readonly nextIndex: number;
}

export interface SelectedRest {
  readonly kind: string;
  readonly j?: number;
}

export function exceedanceEffects<S extends SelectedRest>(
  timeline: Timeline,
  exceedances: readonly Exceedance[],
  fromIndex: number,
  shiftStartMs: number,
  windowMs: number,
  select: (extensionMs: number) => S,
): ExceedanceEffects {
  const rejected = new Map<Exceedance, string>();
  let i = fromIndex;
  const candidates: Exceedance[] = [];
  for (; i < exceedances.length && exceedances[i]!.startMs < shiftStartMs + windowMs; i++) {
    const x = exceedances[i]!;
    if (x.startMs < shiftStartMs)
      rejected.set(x, 'declared outside any shift (during a rest or before the record)');
    else candidates.push(x);
  }
  let active: readonly Exceedance[] = candidates;
  // Each pass either succeeds or drops one candidate, so at most candidates.length + 1 passes.
  for (let pass = 0; pass <= candidates.length; pass++) {
    const extensionMs = active.reduce((sum, x) => sum + windowExtensionMs(x), 0);
    const selection = select(extensionMs);
    const rest = selection.kind === 'rest' ? (timeline.rests[selection.j!] as RestBlock) : null;
    const failing = active.find(
      (x) => startsBefore(x, rest, timeline) && unmetCondition(timeline, x, rest) !== null,
    );
    if (failing !== undefined) {
      rejected.set(failing, unmetCondition(timeline, failing, rest)!);
      active = active.filter((x) => x !== failing);
      continue;
    }
    return finish(timeline, exceedances, fromIndex, shiftStartMs, rest, rejected, selection);
  }
  throw new Error('exceedances: retry bound exceeded'); // unreachable: every pass drops one
}

function startsBefore(x: Exceedance, rest: RestBlock | null, timeline: Timeline): boolean {
  return x.startMs < (rest?.startMs ?? timeline.dataEndMs);
}

/**
 * Assigns every exceedance that starts before the end of the shift's rest: applied when inside
 * the shift and its conditions hold, rejected otherwise (those already rejected stay so).
 */
function finish(
  timeline: Timeline,
  exceedances: readonly Exceedance[],
  fromIndex: number,
  shiftStartMs: number,
  rest: RestBlock | null,
  rejected: Map<Exceedance, string>,
  selection: unknown,
): ExceedanceEffects {
  const applied: Exceedance[] = [];
  const shiftEndMs = rest?.startMs ?? Number.POSITIVE_INFINITY;
  const consumedUntilMs = rest?.endMs ?? Number.POSITIVE_INFINITY;
  let i = fromIndex;
  for (; i < exceedances.length && exceedances[i]!.startMs < consumedUntilMs; i++) {
    const x = exceedances[i]!;
    if (rejected.has(x)) continue;
    if (x.startMs < shiftStartMs)
      rejected.set(x, 'declared outside any shift (during a rest or before the record)');
    else if (x.startMs >= shiftEndMs) rejected.set(x, 'declared during a rest, not during driving');
    else {
      const why = unmetCondition(timeline, x, rest);
      if (why === null) applied.push(x);
      else rejected.set(x, why);
    }
  }
  return { selection, applied, rejected, nextIndex: i };
}

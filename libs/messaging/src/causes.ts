/** How far down the `cause` chain to look (nats.js wraps errors two or three deep). */
const CAUSE_DEPTH_MAX = 5;

/** True when `err` or one of its causes (bounded depth) satisfies `predicate`. */
export function someCause(err: unknown, predicate: (error: Error) => boolean): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < CAUSE_DEPTH_MAX && current instanceof Error; depth += 1) {
    if (predicate(current)) return true;
    current = current.cause;
  }
  return false;
}

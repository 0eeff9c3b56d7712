/**
 * Canonical JSON, RFC 8785 (JCS): object members sorted by their UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped as
 * ECMAScript's JSON.stringify does. Values that JSON cannot carry (functions, NaN, Infinity,
 * lone surrogates, cycles, class instances, undefined outside an object member) are refused
 * rather than silently changed, so that two parties never hash different bytes for what they
 * believe is the same value. An object member whose value is `undefined` is absent, as with
 * JSON.stringify: that is how optional fields of the wire types are left out.
 *
 * Hot path (every hash of the protocol goes through it): no per-value path strings are built;
 * the path of an offending value is assembled only when an error unwinds. Cycles need no
 * bookkeeping either: a cycle nests without end and meets the depth bound.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    readonly detail: string,
    /** `$`-rooted path of the offending value, e.g. `$.writes[0].value`. */
    readonly path: string,
  ) {
    super(`${detail} at ${path || '$'}`);
  }
}

/** Default bound on nesting, so that hostile input cannot blow the stack. */
export const CANONICAL_JSON_DEPTH_MAX = 64;

export interface CanonicalizeOptions {
  /** Deepest nesting of arrays and objects accepted (the top-level value is depth 0). */
  readonly depthMax?: number;
}

/** Thrown inside the writer; carries the path segments from the failure up to the root. */
class Failure {
  readonly segments: string[] = [];
  constructor(readonly detail: string) {}
}

/** The RFC 8785 text of `value`. Throws CanonicalJsonError for values JSON cannot carry. */
export function canonicalize(value: unknown, options: CanonicalizeOptions = {}): string {
  const depthMax = options.depthMax ?? CANONICAL_JSON_DEPTH_MAX;
  if (!Number.isSafeInteger(depthMax) || depthMax < 0)
    throw new RangeError(`canonicalize: bad depthMax ${depthMax}`);
  try {
    return write(value, 0, depthMax);
  } catch (error) {
    if (error instanceof Failure)
      throw new CanonicalJsonError(error.detail, `$${error.segments.reverse().join('')}`);
    throw error;
  }
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of the RFC 8785 text of `value`: what `H(x)` hashes. */
export function canonicalBytes(value: unknown, options: CanonicalizeOptions = {}): Uint8Array {
  return encoder.encode(canonicalize(value, options));
}

function write(value: unknown, depth: number, depthMax: number): string {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new Failure('string holds a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Failure(`number ${value} is not finite`);
      // Number-to-string of ECMAScript (§7.1.12.1) is exactly RFC 8785 §3.2.2.3; -0 gives "0".
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= depthMax) throw new Failure(`nesting deeper than ${depthMax} (or a cycle)`);
      return Array.isArray(value)
        ? writeArray(value, depth + 1, depthMax)
        : writeObject(value as Record<string, unknown>, depth + 1, depthMax);
    default:
      throw new Failure(`${typeof value} cannot be encoded`);
  }
}

function writeArray(value: readonly unknown[], depth: number, depthMax: number): string {
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ',';
    try {
      // A hole of a sparse array reads as undefined and is refused like an undefined element.
      out += write(value[i], depth, depthMax);
    } catch (error) {
      if (error instanceof Failure) error.segments.push(`[${i}]`);
      throw error;
    }
  }
  return `${out}]`;
}

function writeObject(value: Record<string, unknown>, depth: number, depthMax: number): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new Failure(`${proto?.constructor?.name ?? 'object'} is not a plain object`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) throw new Failure('object has symbol keys');
  // Default sort compares UTF-16 code units, which is exactly what RFC 8785 §3.2.3 asks.
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    try {
      if (!key.isWellFormed()) throw new Failure('key holds a lone surrogate');
      out += `${first ? '' : ','}${JSON.stringify(key)}:${write(member, depth, depthMax)}`;
    } catch (error) {
      if (error instanceof Failure) error.segments.push(`.${key}`);
      throw error;
    }
    first = false;
  }
  return `${out}}`;
}

/**
 * Canonical JSON, RFC 8785 (JCS): object members sorted by their UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped as
 * ECMAScript's JSON.stringify does. Values that JSON cannot carry (functions, NaN, Infinity,
 * lone surrogates, cycles, class instances, undefined outside an object member) are refused
 * rather than silently changed, so that two parties never hash different bytes for what they
 * believe is the same value. An object member whose value is `undefined` is absent, as with
 * JSON.stringify: that is how optional fields of the wire types are left out.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path || '$'}`);
  }
}

/** Default bound on nesting, so that hostile input cannot blow the stack. */
export const CANONICAL_JSON_DEPTH_MAX = 64;

export interface CanonicalizeOptions {
  /** Deepest nesting of arrays and objects accepted (the top-level value is depth 0). */
  readonly depthMax?: number;
}

/** The RFC 8785 text of `value`. Throws CanonicalJsonError for values JSON cannot carry. */
export function canonicalize(value: unknown, options: CanonicalizeOptions = {}): string {
  const depthMax = options.depthMax ?? CANONICAL_JSON_DEPTH_MAX;
  if (!Number.isSafeInteger(depthMax) || depthMax < 0)
    throw new RangeError(`canonicalize: bad depthMax ${depthMax}`);
  const parts: string[] = [];
  write(value, '$', 0, depthMax, parts, new Set());
  return parts.join('');
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of the RFC 8785 text of `value`: what `H(x)` hashes. */
export function canonicalBytes(value: unknown, options: CanonicalizeOptions = {}): Uint8Array {
  return encoder.encode(canonicalize(value, options));
}

function write(
  value: unknown,
  path: string,
  depth: number,
  depthMax: number,
  out: string[],
  seen: Set<object>,
): void {
  if (depth > depthMax) throw new CanonicalJsonError(`nesting deeper than ${depthMax}`, path);
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalJsonError('string holds a lone surrogate', path);
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`number ${value} is not finite`, path);
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (seen.has(value)) throw new CanonicalJsonError('cycle', path);
      seen.add(value);
      if (Array.isArray(value)) writeArray(value, path, depth, depthMax, out, seen);
      else writeObject(value as Record<string, unknown>, path, depth, depthMax, out, seen);
      seen.delete(value);
      return;
    default:
      throw new CanonicalJsonError(`${typeof value} cannot be encoded`, path);
  }
}

function writeArray(
  value: unknown[],
  path: string,
  depth: number,
  depthMax: number,
  out: string[],
  seen: Set<object>,
): void {
  out.push('[');
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out.push(',');
    // A hole of a sparse array reads as undefined and is refused like an undefined element.
    write(value[i], `${path}[${i}]`, depth + 1, depthMax, out, seen);
  }
  out.push(']');
}

function writeObject(
  value: Record<string, unknown>,
  path: string,
  depth: number,
  depthMax: number,
  out: string[],
  seen: Set<object>,
): void {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`${proto?.constructor?.name ?? 'object'} is not a plain object`, path);
  }
  if (Object.getOwnPropertySymbols(value).length > 0)
    throw new CanonicalJsonError('object has symbol keys', path);
  // Default sort compares UTF-16 code units, which is exactly what RFC 8785 §3.2.3 asks.
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (!key.isWellFormed()) throw new CanonicalJsonError('key holds a lone surrogate', path);
    if (i > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(value[key], `${path}.${key}`, depth + 1, depthMax, out, seen);
  });
  out.push('}');
}

/**
 * Reads settings from environment variables and collects every problem, so that a
 * misconfigured program names all of them at once (ServiceConfigError) instead of one per start.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service} service configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  text(name: string): string | undefined {
    const raw = this.env[name];
    if (raw === undefined) return undefined;
    const trimmed = raw.trim();
    return trimmed.length === 0 ? undefined : trimmed;
  }

  /** A value that must be set; `hint` says what it is. */
  required(name: string, hint: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) this.problems.push(`${name} is required (${hint})`);
    return value;
  }

  /** A value matching `pattern`, else a problem (the fallback is returned to keep reading). */
  matching(name: string, pattern: RegExp, fallback: string | undefined, example: string): string {
    const value = this.text(name) ?? fallback ?? '';
    if (!pattern.test(value)) {
      this.problems.push(
        `${name} must match ${pattern.source} (e.g. ${example}), got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** A decimal integer in [min, max]; `fallback` when unset. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return Number(raw);
  }

  /** One of `choices`; `fallback` when unset. */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.text(name) ?? fallback;
    if (!(choices as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw as T;
  }

  /** Throws ServiceConfigError with every problem found so far. */
  assertValid(service: string): void {
    if (this.problems.length > 0) throw new ServiceConfigError(service, this.problems);
  }
}

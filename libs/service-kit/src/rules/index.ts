/**
 * `@civic/service-kit/rules`: the shape of a domain's business rules, shared by the parking and
 * transport domains (their transaction code imports it, so it has no NestJS in it). A domain
 * lists its rules in a catalogue `{ CODE: { category, source } }`: a stable code (what clients
 * and tests match on), the category a service answers with (input 400, permission 403,
 * not-found 404, conflict 409: `ruleErrors` in the kit's HTTP part), and where the rule comes
 * from. A refusal is a CatalogueRuleViolation of one code, with what was wrong; `violationLogic`
 * turns a domain function that throws it into the gateway's accept-or-refuse logic.
 */
import type { EndorsementLogic, TxContext, TxLogic } from '@civic/gateway';

/** How a service answers a refusal: 400, 403, 404 or 409 respectively (RULE_CATEGORY_STATUS). */
export const RuleCategory = {
  INPUT: 'input',
  PERMISSION: 'permission',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
} as const;
export type RuleCategory = (typeof RuleCategory)[keyof typeof RuleCategory];

/** The HTTP status of each category. */
export const RULE_CATEGORY_STATUS: Readonly<Record<RuleCategory, number>> = {
  input: 400,
  permission: 403,
  'not-found': 404,
  conflict: 409,
};

export interface RuleSpec {
  readonly category: RuleCategory;
  /** Where the rule comes from (regulation, guidance, the section of the service's docs). */
  readonly source: string;
}

/** Every rule of a domain by code. Codes are part of the service's API: never rename. */
export type RuleCatalogue<C extends string = string> = Readonly<Record<C, RuleSpec>>;

/** A violation as it travels (endorser refusals, REST bodies): `toJSON()` of a violation. */
export interface RuleViolationJson<C extends string = string> {
  readonly rule: C;
  readonly category: RuleCategory;
  readonly message: string;
  readonly source: string;
  /** The rule's particulars (the bad period, the input errors, the clashing record). */
  readonly [detail: string]: unknown;
}

/**
 * A refused request of a domain: names the rule, its category and source, and what was wrong.
 * Transaction code checks every rule before its first write, so nothing was written. Each domain
 * subclasses it with its catalogue and its own `name`.
 */
export abstract class CatalogueRuleViolation<C extends string = string> extends Error {
  readonly category: RuleCategory;
  readonly source: string;

  constructor(
    catalogue: RuleCatalogue<C>,
    readonly rule: C,
    /** What is wrong, naming the value, period or record involved. */
    readonly detail: string,
    /** Machine-readable particulars, carried in the JSON. */
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(`${rule}: ${detail}`, options);
    const spec = catalogue[rule];
    this.category = spec.category;
    this.source = spec.source;
  }

  /** The violation as it travels: its particulars, then rule, category, message and source. */
  toJSON(): RuleViolationJson<C> {
    return {
      ...this.details,
      rule: this.rule,
      category: this.category,
      message: this.detail,
      source: this.source,
    };
  }
}

/**
 * A short, quoted rendering of a refused value for messages, at most `charsMax` characters
 * (input may be hostile: a message never carries a whole body).
 */
export function showValue(value: unknown, charsMax: number): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > charsMax ? `${text.slice(0, charsMax - 3)}...` : text;
}

/**
 * The gateway's logic (creator and endorsers) of a domain function that throws its refusals: a
 * CatalogueRuleViolation becomes the refusal, as its JSON (so an endorser's refusal reaches the
 * creator's caller with its rule, message and source); anything else throws.
 */
export function violationLogic<C extends string, T = unknown>(
  run: (ctx: TxContext, input: unknown) => Promise<unknown>,
): TxLogic<unknown, T, RuleViolationJson<C>> {
  return async (ctx, input) => {
    try {
      return { ok: true, value: (await run(ctx, input)) as T };
    } catch (error) {
      if (error instanceof CatalogueRuleViolation) {
        return { ok: false, violation: error.toJSON() as RuleViolationJson<C> };
      }
      throw error;
    }
  };
}

/** What an endorser runs for (namespace, action): the action's logic in `namespace`, else nothing. */
export function namespaceLogicFor<A extends string>(
  namespace: string,
  isAction: (action: unknown) => action is A,
  logicOf: (action: A) => TxLogic<unknown, unknown, unknown>,
): (namespace: string, action: string) => EndorsementLogic | undefined {
  return (ns, action) => {
    if (ns !== namespace || !isAction(action)) return undefined;
    const logic = logicOf(action);
    return (ctx, input) => logic(ctx, input);
  };
}

/**
 * The REST answers of a domain whose rules form a catalogue (`@civic/service-kit/rules`):
 * `{ error: { code, rule, message, source, …particulars } }` with its category's status (input
 * 400, permission 403, not-found 404, conflict 409), whether the rule refused here (a thrown
 * CatalogueRuleViolation), on another organisation's endorser (`refusedBy`, and the message says
 * so), or came back from the gateway as a violation.
 */
import {
  CatalogueRuleViolation,
  RULE_CATEGORY_STATUS,
  type RuleCatalogue,
  type RuleViolationJson,
} from '../rules/index.js';
import { ApiError } from './api-error.js';
import type { ErrorMapper } from './error-mapping.js';

export interface RuleErrors<C extends string> {
  /** A violation of this catalogue as it travels (checked: it may come from another party). */
  isViolation(value: unknown): value is RuleViolationJson<C>;
  /** The REST answer of a refusal; `refusedBy` when another organisation's endorser refused. */
  violationError(violation: RuleViolationJson<C>, refusedBy?: string): ApiError;
  /** createErrorMapping's `domain` mapper: a thrown violation of this catalogue. */
  readonly thrown: ErrorMapper;
  /** createErrorMapping's `violation`: an endorser's refusal that carries a violation. */
  endorsed(violation: unknown, refusedBy: string): ApiError | null;
}

export function ruleErrors<C extends string>(catalogue: RuleCatalogue<C>): RuleErrors<C> {
  const isViolation = (value: unknown): value is RuleViolationJson<C> => {
    if (value === null || typeof value !== 'object') return false;
    const { rule } = value as { rule?: unknown };
    return typeof rule === 'string' && Object.hasOwn(catalogue, rule);
  };
  const violationError = (violation: RuleViolationJson<C>, refusedBy?: string): ApiError => {
    const { rule, message, category: _category, source: _source, ...details } = violation;
    const spec = catalogue[rule];
    return new ApiError(RULE_CATEGORY_STATUS[spec.category], {
      ...details,
      code: rule,
      rule,
      message: refusedBy === undefined ? message : `${refusedBy}'s endorser refused: ${message}`,
      source: spec.source,
      ...(refusedBy === undefined ? {} : { refusedBy }),
    });
  };
  return {
    isViolation,
    violationError,
    thrown: (error) => {
      if (!(error instanceof CatalogueRuleViolation)) return null;
      const violation: unknown = error.toJSON();
      return isViolation(violation) ? violationError(violation) : null;
    },
    endorsed: (violation, refusedBy) =>
      isViolation(violation) ? violationError(violation, refusedBy) : null,
  };
}

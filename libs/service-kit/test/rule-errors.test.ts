/**
 * A rule catalogue's refusals as REST answers (`ruleErrors`, `@civic/service-kit/rules`): the
 * status of each category, the body with the rule's particulars, an endorser's refusal, and what
 * is not this catalogue's; `showValue`'s bound.
 */
import { EndorsementRefusedError } from '@civic/gateway';
import { describe, expect, it } from 'vitest';
import { createErrorMapping, ruleErrors } from '../src/index.js';
import { CatalogueRuleViolation, showValue, type RuleCatalogue } from '../src/rules/index.js';

const RULES = {
  BAD_INPUT: { category: 'input', source: 'docs#input' },
  NOT_YOURS: { category: 'permission', source: 'docs#who' },
  NO_SUCH: { category: 'not-found', source: 'docs#state' },
  TAKEN: { category: 'conflict', source: 'law art. 1' },
} as const satisfies RuleCatalogue;
type Code = keyof typeof RULES;

class TestViolation extends CatalogueRuleViolation<Code> {
  override readonly name = 'TestViolation';
  constructor(rule: Code, detail: string, details: Record<string, unknown> = {}) {
    super(RULES, rule, detail, details);
  }
}

const rules = ruleErrors(RULES);
const mapping = createErrorMapping({ domain: [rules.thrown], violation: rules.endorsed });
const answer = (error: unknown) => {
  const api = mapping(error);
  return { status: api.status, ...api.body };
};

describe('ruleErrors', () => {
  it('answers each category with its status, the rule, message, source and particulars', () => {
    const statuses = (Object.keys(RULES) as Code[]).map(
      (rule) => answer(new TestViolation(rule, 'x')).status,
    );
    expect(statuses).toEqual([400, 403, 404, 409]);
    expect(answer(new TestViolation('TAKEN', 'plate GX-HR-12 is taken', { plate: 'GX-HR-12' }))).toEqual({
      status: 409,
      plate: 'GX-HR-12',
      code: 'TAKEN',
      rule: 'TAKEN',
      message: 'plate GX-HR-12 is taken',
      source: 'law art. 1',
    });
  });

  it('says which endorser refused, with the same status and body', () => {
    const violation = new TestViolation('NOT_YOURS', 'not the issuer').toJSON();
    expect(violation).toEqual({
      rule: 'NOT_YOURS',
      category: 'permission',
      message: 'not the issuer',
      source: 'docs#who',
    });
    const refused = new EndorsementRefusedError('Assessor', 'NOT_YOURS', 'not the issuer', violation);
    expect(answer(refused)).toEqual({
      status: 403,
      code: 'NOT_YOURS',
      rule: 'NOT_YOURS',
      message: "Assessor's endorser refused: not the issuer",
      source: 'docs#who',
      refusedBy: 'Assessor',
    });
  });

  it("leaves what is not this catalogue's to the other mappers", () => {
    expect(rules.isViolation({ rule: 'OTHER', message: 'x' })).toBe(false);
    expect(rules.isViolation({ rule: 'toString', message: 'x' })).toBe(false);
    expect(rules.endorsed({ rule: 'OTHER' }, 'Police')).toBeNull();
    const foreign = new EndorsementRefusedError('Police', 'OTHER', 'no', { rule: 'OTHER' });
    expect(answer(foreign)).toMatchObject({ status: 502, code: 'OTHER', refusedBy: 'Police' });
    expect(answer(new Error('boom'))).toMatchObject({ status: 500, code: 'INTERNAL' });
  });

  it('shows a refused value quoted and bounded', () => {
    expect(showValue('GX-HR-12', 60)).toBe('"GX-HR-12"');
    expect(showValue({ a: 1 }, 60)).toBe('{"a":1}');
    expect(showValue('x'.repeat(100), 20)).toBe(`"${'x'.repeat(16)}...`);
    expect(showValue('x'.repeat(100), 20)).toHaveLength(20);
    expect(showValue(undefined, 60)).toBe('undefined');
  });
});

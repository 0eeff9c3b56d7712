import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  evaluatePolicy,
  explainPolicy,
  formatPolicy,
  parsePolicy,
  PolicySyntaxError,
  type PolicyNode,
  type PolicySigner,
} from '../src/index.js';

const ctx = { applicationOrgs: ['RVO', 'Utrecht', 'Amsterdam'] };
const s = (mspId: string, role: string, id?: string): PolicySigner => ({ mspId, role, id });

function syntaxError(text: string): PolicySyntaxError {
  try {
    parsePolicy(text);
  } catch (error) {
    if (error instanceof PolicySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${text}`);
}

describe('parsePolicy', () => {
  it('parses principals, combinators and meta policies', () => {
    expect(parsePolicy("'RVO.admin'")).toEqual({ kind: 'signedBy', mspId: 'RVO', role: 'admin', column: 1 });
    const node = parsePolicy(
      "OutOf(2, 'RVO.client', \"Utrecht.member\", AND('A.peer', 'B.orderer'), MAJORITY admin)",
    );
    expect(formatPolicy(node)).toBe(
      "OutOf(2, 'RVO.client', 'Utrecht.member', AND('A.peer', 'B.orderer'), MAJORITY admin)",
    );
    expect(formatPolicy(parsePolicy("and('A.admin')"))).toBe("AND('A.admin')");
    expect(formatPolicy(parsePolicy('any member'))).toBe('ANY member');
  });

  it('reports the column and what was expected', () => {
    const missingComma = syntaxError("AND('RVO.admin' 'Utrecht.admin')");
    expect(missingComma.column).toBe(17);
    expect(missingComma.expected).toBe("',' or ')'");
    expect(missingComma.message).toContain('column 17');

    const badRole = syntaxError("OR('RVO.admin', 'Utrecht.boss')");
    expect(badRole.column).toBe(26);
    expect(badRole.found).toBe("'boss'");

    const noRole = syntaxError("'RVO'");
    expect(noRole.expected).toContain('role');

    expect(syntaxError("OutOf(3, 'A.admin', 'B.admin')").expected).toContain('between 1 and 2');
    expect(syntaxError("OutOf(0, 'A.admin')").column).toBe(7);
    expect(syntaxError('AND(').found).toBe('end of policy');
    expect(syntaxError("AND('A.admin'").expected).toBe("',' or ')'");
    expect(syntaxError("'A.admin' extra").expected).toBe('end of policy');
    expect(syntaxError('MAJORITY').expected).toContain('a role');
    expect(syntaxError("'A.admin").expected).toContain("closing '");
    expect(syntaxError('XOR(1)').column).toBe(1);
    expect(syntaxError('').found).toBe('end of policy');
    expect(syntaxError("'1bad.admin'").column).toBe(2);
    expect(syntaxError('#').found).toBe("'#'");
  });

  it('bounds nesting depth and principal count', () => {
    expect(syntaxError('AND('.repeat(20) + "'A.admin'" + ')'.repeat(20)).expected).toContain('nesting');
    const many = `OR(${Array.from({ length: 65 }, () => "'A.admin'").join(', ')})`;
    expect(syntaxError(many).expected).toContain('64 principals');
  });
});

describe('evaluatePolicy', () => {
  it('matches roles, member and organisations', () => {
    expect(evaluatePolicy("'RVO.admin'", [s('RVO', 'admin')], ctx)).toBe(true);
    expect(evaluatePolicy("'RVO.admin'", [s('RVO', 'client')], ctx)).toBe(false);
    expect(evaluatePolicy("'RVO.member'", [s('RVO', 'peer')], ctx)).toBe(true);
    expect(evaluatePolicy("'RVO.member'", [s('Utrecht', 'admin')], ctx)).toBe(false);
    expect(evaluatePolicy("OR('RVO.client', 'Utrecht.client')", [s('Utrecht', 'client')], ctx)).toBe(true);
  });

  it('lets one signer satisfy at most one principal', () => {
    expect(evaluatePolicy("AND('RVO.member', 'RVO.member')", [s('RVO', 'admin')], ctx)).toBe(false);
    expect(
      evaluatePolicy("AND('RVO.member', 'RVO.member')", [s('RVO', 'admin'), s('RVO', 'client')], ctx),
    ).toBe(true);
    // The same identity twice counts once.
    expect(
      evaluatePolicy(
        "AND('RVO.member', 'RVO.member')",
        [s('RVO', 'admin', 'x'), s('RVO', 'admin', 'x')],
        ctx,
      ),
    ).toBe(false);
  });

  it('finds an assignment where a greedy walk would not', () => {
    // Greedy gives the admin to 'RVO.member', leaving the client for 'RVO.admin': fails.
    const signers = [s('RVO', 'admin'), s('RVO', 'client')];
    expect(evaluatePolicy("AND('RVO.member', 'RVO.admin')", signers, ctx)).toBe(true);
    expect(evaluatePolicy("OutOf(2, 'RVO.member', 'RVO.admin', 'Utrecht.admin')", signers, ctx)).toBe(true);
    expect(evaluatePolicy("AND(OR('RVO.member', 'Utrecht.admin'), 'RVO.admin')", signers, ctx)).toBe(true);
  });

  it('expands ANY, ALL and MAJORITY over the application organisations', () => {
    const admins = (...orgs: string[]) => orgs.map((o) => s(o, 'admin'));
    expect(evaluatePolicy('ANY admin', admins('Amsterdam'), ctx)).toBe(true);
    expect(evaluatePolicy('ANY admin', admins('Orderers'), ctx)).toBe(false);
    expect(evaluatePolicy('MAJORITY admin', admins('RVO'), ctx)).toBe(false);
    expect(evaluatePolicy('MAJORITY admin', admins('RVO', 'Amsterdam'), ctx)).toBe(true);
    expect(evaluatePolicy('ALL admin', admins('RVO', 'Amsterdam'), ctx)).toBe(false);
    expect(evaluatePolicy('ALL admin', admins('RVO', 'Amsterdam', 'Utrecht'), ctx)).toBe(true);
    expect(
      evaluatePolicy('MAJORITY admin', admins('RVO', 'Utrecht'), {
        applicationOrgs: ['RVO', 'Utrecht', 'A', 'B'],
      }),
    ).toBe(false);
    expect(evaluatePolicy('ALL admin', [], { applicationOrgs: [] })).toBe(false);
    expect(evaluatePolicy("AND('Orderers.admin', ANY admin)", admins('Orderers', 'RVO'), ctx)).toBe(true);
  });
});

describe('explainPolicy', () => {
  it('names the missing principals', () => {
    const result = explainPolicy("AND('Utrecht.client', 'Assessor.client')", [s('Utrecht', 'client')], ctx);
    expect(result.satisfied).toBe(false);
    expect(result.missing).toEqual(["'Assessor.client'"]);
    expect(result.reason).toContain("missing 'Assessor.client'");
    expect(result.reason).toContain('signed by Utrecht.client');
  });

  it('says how many of an OutOf are missing', () => {
    const result = explainPolicy('MAJORITY admin', [s('RVO', 'admin')], ctx);
    expect(result.missing).toEqual(["one of 'Utrecht.admin', 'Amsterdam.admin'"]);
    expect(explainPolicy("OR('A.admin', 'B.admin')", [], ctx).reason).toContain('no signer');
  });

  it('explains a failure caused by shared signers', () => {
    const result = explainPolicy("AND('RVO.member', 'RVO.admin')", [s('RVO', 'admin')], ctx);
    expect(result.satisfied).toBe(false);
    expect(result.missing).toEqual([]);
    expect(result.reason).toContain('different principal');
    expect(explainPolicy("'RVO.admin'", [s('RVO', 'admin')], ctx)).toEqual({
      satisfied: true,
      missing: [],
      reason: '',
    });
  });
});

// ---- properties ---------------------------------------------------------------------------

const orgArb = fc.constantFrom('A', 'B', 'C');
const roleArb = fc.constantFrom('admin', 'client', 'peer', 'member');
const leafArb = fc
  .record({ mspId: orgArb, role: roleArb })
  .map(({ mspId, role }) => ({ kind: 'signedBy', mspId, role, column: 1 }) as PolicyNode);
const policyArb: fc.Arbitrary<PolicyNode> = fc.letrec<{ node: PolicyNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc
      .array(tie('node'), { minLength: 1, maxLength: 3 })
      .chain((rules) =>
        fc
          .integer({ min: 1, max: rules.length })
          .map((n) => ({ kind: 'outOf', combinator: 'OutOf', n, rules, column: 1 }) as PolicyNode),
      ),
  ),
})).node;
const signersArb = fc.array(fc.record({ mspId: orgArb, role: fc.constantFrom('admin', 'client', 'peer') }), {
  maxLength: 4,
});

function leaves(node: PolicyNode): PolicyNode[] {
  return node.kind === 'outOf' ? node.rules.flatMap(leaves) : [node];
}

/** Reference: some set of true leaves makes the tree true and has distinct matching signers. */
function bruteForce(node: PolicyNode, signers: readonly PolicySigner[]): boolean {
  const all = leaves(node);
  const truth = (n: PolicyNode, chosen: Set<PolicyNode>): boolean =>
    n.kind === 'outOf' ? n.rules.filter((r) => truth(r, chosen)).length >= n.n : chosen.has(n);
  const matches = (leaf: PolicyNode, signer: PolicySigner) =>
    leaf.kind === 'signedBy' &&
    leaf.mspId === signer.mspId &&
    (leaf.role === 'member' || leaf.role === signer.role);
  const assign = (rest: PolicyNode[], used: boolean[]): boolean =>
    rest.length === 0 ||
    signers.some(
      (signer, i) =>
        !used[i] &&
        matches(rest[0]!, signer) &&
        assign(
          rest.slice(1),
          used.map((u, j) => u || j === i),
        ),
    );
  for (let mask = 0; mask < 1 << all.length; mask++) {
    const chosen = new Set(all.filter((_, i) => (mask & (1 << i)) !== 0));
    if (
      chosen.size <= signers.length &&
      truth(node, chosen) &&
      assign(
        [...chosen],
        signers.map(() => false),
      )
    )
      return true;
  }
  return false;
}

describe('policy properties', () => {
  it('formatting and parsing round-trip', () => {
    fc.assert(
      fc.property(policyArb, (node) => {
        const text = formatPolicy(node);
        expect(formatPolicy(parsePolicy(text))).toBe(text);
      }),
    );
  });

  it('evaluation agrees with a brute-force search over assignments', () => {
    fc.assert(
      fc.property(
        policyArb.filter((node) => leaves(node).length <= 8),
        signersArb,
        (node, signers) => {
          expect(evaluatePolicy(node, signers, ctx)).toBe(bruteForce(node, signers));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adding a signer never turns a satisfied policy into an unsatisfied one', () => {
    fc.assert(
      fc.property(
        policyArb,
        signersArb,
        fc.record({ mspId: orgArb, role: fc.constantFrom('admin', 'client') }),
        (node, signers, extra) => {
          if (evaluatePolicy(node, signers, ctx))
            expect(evaluatePolicy(node, [...signers, extra], ctx)).toBe(true);
        },
      ),
    );
  });
});

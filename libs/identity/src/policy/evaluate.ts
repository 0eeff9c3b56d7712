import { MEMBER } from '../roles.js';
import { Combinator, Quantifier, type PolicyContext, type PolicyNode, type PolicySigner } from './ast.js';
import { formatPolicy, parsePolicy } from './parse.js';
import { BoundedCache } from '@civic/protocol';

/**
 * Policy evaluation over a set of verified signers. Like Fabric, one signer satisfies at most
 * one principal: AND('RVO.member', 'RVO.member') needs two RVO signers. Unlike Fabric's greedy
 * walk, the search is exact: it backtracks over which signer serves which principal, so a
 * policy is satisfied whenever some assignment of distinct signers satisfies it (a greedy walk
 * can refuse `AND('RVO.member', 'RVO.admin')` signed by an admin and a client, if the admin is
 * spent on the first principal).
 *
 * Signers with the same (mspId, role) are interchangeable, so the search works on classes with
 * counts; with the parser's bounds (64 principals, depth 16) it stays small, and a step bound
 * makes the worst case finite and deterministic (the policy then counts as not satisfied).
 */

/** Bound on search steps; real policies take a few dozen. */
export const POLICY_EVALUATION_STEPS_MAX = 100_000;

/** Parsed policies by text: the same few dozen policies are evaluated for every transaction. */
const parsed = new BoundedCache<string, PolicyNode>(1024);

function toNode(policy: PolicyNode | string): PolicyNode {
  if (typeof policy !== 'string') return policy;
  let node = parsed.get(policy);
  if (node === undefined) {
    node = parsePolicy(policy);
    parsed.set(policy, node);
  }
  return node;
}

/** Replaces ANY/ALL/MAJORITY by OutOf over the context's application organisations. */
export function expandPolicy(node: PolicyNode, context: PolicyContext): PolicyNode {
  switch (node.kind) {
    case 'signedBy':
      return node;
    case 'outOf':
      return { ...node, rules: node.rules.map((rule) => expandPolicy(rule, context)) };
    case 'meta': {
      const orgs = context.applicationOrgs;
      const rules = orgs.map((mspId) => ({
        kind: 'signedBy' as const,
        mspId,
        role: node.role,
        column: node.column,
      }));
      const k = rules.length;
      // With no organisation, nothing can satisfy the rule (not even ALL: that would be vacuous).
      const n =
        k === 0
          ? 1
          : node.quantifier === Quantifier.ANY
            ? 1
            : node.quantifier === Quantifier.ALL
              ? k
              : Math.floor(k / 2) + 1;
      return { kind: 'outOf', combinator: Combinator.OUT_OF, n, rules, column: node.column };
    }
  }
}

interface SignerClasses {
  readonly mspIds: string[];
  readonly roles: string[];
  /** How many distinct signers of each class are still unused. */
  readonly remaining: number[];
}

function classify(signers: readonly PolicySigner[]): SignerClasses {
  const classes: SignerClasses = { mspIds: [], roles: [], remaining: [] };
  const index = new Map<string, number>();
  const seenIds = new Set<string>();
  for (const signer of signers) {
    if (signer.id !== undefined) {
      if (seenIds.has(signer.id)) continue;
      seenIds.add(signer.id);
    }
    const key = `${signer.mspId}\u0000${signer.role}`;
    const at = index.get(key);
    if (at !== undefined) {
      classes.remaining[at]!++;
    } else {
      index.set(key, classes.mspIds.length);
      classes.mspIds.push(signer.mspId);
      classes.roles.push(signer.role);
      classes.remaining.push(1);
    }
  }
  return classes;
}

class Search {
  steps = 0;
  constructor(readonly classes: SignerClasses) {}

  /** True when `node` can be satisfied from the unused signers and then `next` succeeds. */
  satisfy(node: PolicyNode, next: () => boolean): boolean {
    if (++this.steps > POLICY_EVALUATION_STEPS_MAX) return false;
    if (node.kind === 'meta') throw new TypeError('satisfy: expand meta policies first');
    if (node.kind === 'signedBy') return this.#signedBy(node.mspId, node.role, next);
    const { n, rules } = node;
    const pick = (i: number, got: number): boolean => {
      if (got === n) return next();
      if (rules.length - i < n - got) return false;
      return this.satisfy(rules[i]!, () => pick(i + 1, got + 1)) || pick(i + 1, got);
    };
    return pick(0, 0);
  }

  #signedBy(mspId: string, role: string, next: () => boolean): boolean {
    const { mspIds, roles, remaining } = this.classes;
    for (let c = 0; c < mspIds.length; c++) {
      if (mspIds[c] !== mspId || (role !== MEMBER && roles[c] !== role) || remaining[c] === 0) continue;
      remaining[c]!--;
      const ok = next();
      remaining[c]!++;
      if (ok) return true;
    }
    return false;
  }
}

function satisfiedBy(node: PolicyNode, classes: SignerClasses): { ok: boolean; steps: number } {
  const search = new Search(classes);
  const ok = search.satisfy(node, () => true);
  return { ok, steps: search.steps };
}

/** True when distinct signers from `signers` satisfy the policy. */
export function evaluatePolicy(
  policy: PolicyNode | string,
  signers: readonly PolicySigner[],
  context: PolicyContext,
): boolean {
  return satisfiedBy(expandPolicy(toNode(policy), context), classify(signers)).ok;
}

export interface PolicyExplanation {
  readonly satisfied: boolean;
  /** The sub-policies (canonical spelling) that no signer satisfies, outermost failing level. */
  readonly missing: readonly string[];
  /** One line for an error message; empty when satisfied. */
  readonly reason: string;
}

/** Evaluates and, on failure, says which principals are missing. */
export function explainPolicy(
  policy: PolicyNode | string,
  signers: readonly PolicySigner[],
  context: PolicyContext,
): PolicyExplanation {
  const source = toNode(policy);
  const node = expandPolicy(source, context);
  const classes = classify(signers);
  const { ok, steps } = satisfiedBy(node, classes);
  if (ok) return { satisfied: true, missing: [], reason: '' };
  const signed =
    signers.length === 0 ? 'no signer' : [...new Set(signers.map((s) => `${s.mspId}.${s.role}`))].join(', ');
  if (steps > POLICY_EVALUATION_STEPS_MAX) {
    return {
      satisfied: false,
      missing: [],
      reason: `policy ${formatPolicy(source)} is too complex to evaluate (over ${POLICY_EVALUATION_STEPS_MAX} steps)`,
    };
  }
  const missing = missingRules(node, classes);
  const what =
    missing.length > 0
      ? `missing ${missing.join(', ')}`
      : 'the signers cannot each serve a different principal';
  return {
    satisfied: false,
    missing,
    reason: `policy ${formatPolicy(source)} not satisfied: ${what} (signed by ${signed})`,
  };
}

/** The children of the outermost failing node that are not satisfiable even on their own. */
function missingRules(node: PolicyNode, classes: SignerClasses): string[] {
  if (node.kind !== 'outOf') return [formatPolicy(node)];
  const failing = node.rules.filter((rule) => !satisfiedBy(rule, classes).ok);
  if (failing.length === 0) return [];
  const alone = node.rules.length - failing.length;
  // Enough rules hold on their own: they fail together because they would share signers.
  if (alone >= node.n) return [];
  if (failing.length === 1) return missingRules(failing[0]!, classes);
  const need = node.n - alone;
  const list = failing.map(formatPolicy);
  if (need >= failing.length) return list;
  return [`${need === 1 ? 'one' : need} of ${list.join(', ')}`];
}

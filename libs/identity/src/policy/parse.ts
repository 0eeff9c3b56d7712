import { NamePattern } from '@civic/protocol';
import { isPrincipalRole, type PrincipalRole } from '../roles.js';
import { Combinator, Quantifier, type PolicyNode } from './ast.js';

/**
 * The policy language (as Hyperledger Fabric's signature policies, plus implicit meta
 * policies usable anywhere):
 *
 *   policy    := rule EOF
 *   rule      := combinator | outOf | meta | principal
 *   combinator:= ("AND" | "OR") "(" rule ("," rule)* ")"
 *   outOf     := "OutOf" "(" integer "," rule ("," rule)* ")"
 *   meta      := ("ANY" | "ALL" | "MAJORITY") role
 *   principal := "'" mspId "." role "'"   (double quotes accepted too)
 *   role      := "admin" | "client" | "peer" | "orderer" | "member"
 *
 * Keywords (AND, OR, OutOf, ANY, ALL, MAJORITY) are case-insensitive, as in Fabric; roles and
 * mspIds are not.
 */

/** Bounds, so that a hostile or mistyped policy cannot make evaluation expensive. */
export const POLICY_TEXT_CHARS_MAX = 4096;
export const POLICY_DEPTH_MAX = 16;
export const POLICY_PRINCIPALS_MAX = 64;

export class PolicySyntaxError extends Error {
  override readonly name = 'PolicySyntaxError';
  constructor(
    /** 1-based column in `text` where the problem is. */
    readonly column: number,
    /** What the parser expected there, e.g. `"," or ")"`. */
    readonly expected: string,
    /** What it found instead (a token, or "end of policy"). */
    readonly found: string,
    readonly text: string,
  ) {
    super(
      `policy syntax error at column ${column}: expected ${expected}, found ${found} in ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)}`,
    );
  }
}

type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | ',' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based column of the token's first character. */
  readonly column: number;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of policy';
  return token.kind === 'string' ? `string ${token.text}` : `'${token.text}'`;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, text: ch, column });
      i++;
    } else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new PolicySyntaxError(column, `a closing ${ch}`, 'end of policy', text);
      tokens.push({ kind: 'string', text: text.slice(i, end + 1), column });
      i = end + 1;
    } else if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+/.exec(text.slice(i))![0];
      tokens.push({ kind: 'number', text: match, column });
      i += match.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(i))![0];
      tokens.push({ kind: 'word', text: match, column });
      i += match.length;
    } else {
      throw new PolicySyntaxError(column, 'a policy', `'${ch}'`, text);
    }
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

const RULE_EXPECTED = `AND(, OR(, OutOf(, ANY/ALL/MAJORITY <role> or a principal 'MspId.role'`;

class Parser {
  #index = 0;
  #principals = 0;
  constructor(
    readonly text: string,
    readonly tokens: readonly Token[],
  ) {}

  get #token(): Token {
    return this.tokens[this.#index]!;
  }

  #fail(expected: string, token: Token = this.#token): never {
    throw new PolicySyntaxError(token.column, expected, describe(token), this.text);
  }

  #expect(kind: TokenKind, expected: string): Token {
    const token = this.#token;
    if (token.kind !== kind) this.#fail(expected);
    this.#index++;
    return token;
  }

  policy(): PolicyNode {
    const node = this.#rule(1);
    if (this.#token.kind !== 'end') this.#fail('end of policy');
    return node;
  }

  #rule(depth: number): PolicyNode {
    const token = this.#token;
    if (depth > POLICY_DEPTH_MAX) this.#fail(`at most ${POLICY_DEPTH_MAX} levels of nesting`);
    if (token.kind === 'string') return this.#principal();
    if (token.kind !== 'word') this.#fail(RULE_EXPECTED);
    const upper = token.text.toUpperCase();
    if (upper === 'AND' || upper === 'OR')
      return this.#combinator(upper === 'AND' ? Combinator.AND : Combinator.OR, depth);
    if (upper === 'OUTOF') return this.#outOf(depth);
    if (upper === 'ANY' || upper === 'ALL' || upper === 'MAJORITY') return this.#meta(upper);
    return this.#fail(RULE_EXPECTED);
  }

  #combinator(combinator: Combinator, depth: number): PolicyNode {
    const start = this.#token;
    this.#index++;
    this.#expect('(', `'(' after ${combinator}`);
    const rules = this.#rules(depth);
    return {
      kind: 'outOf',
      combinator,
      n: combinator === Combinator.AND ? rules.length : 1,
      rules,
      column: start.column,
    };
  }

  #outOf(depth: number): PolicyNode {
    const start = this.#token;
    this.#index++;
    this.#expect('(', `'(' after OutOf`);
    const count = this.#expect('number', 'the number of rules needed');
    const n = Number(count.text);
    this.#expect(',', `',' after the count`);
    const rules = this.#rules(depth);
    if (n < 1 || n > rules.length) {
      this.#fail(`a count between 1 and ${rules.length} (the number of rules)`, count);
    }
    return { kind: 'outOf', combinator: Combinator.OUT_OF, n, rules, column: start.column };
  }

  /** Rules separated by commas, up to and including the closing parenthesis. */
  #rules(depth: number): PolicyNode[] {
    const rules: PolicyNode[] = [this.#rule(depth + 1)];
    while (this.#token.kind === ',') {
      this.#index++;
      rules.push(this.#rule(depth + 1));
    }
    this.#expect(')', `',' or ')'`);
    return rules;
  }

  #meta(quantifier: Quantifier): PolicyNode {
    const start = this.#token;
    this.#index++;
    const role = this.#token;
    if (role.kind !== 'word' || !isPrincipalRole(role.text)) {
      this.#fail(`a role (admin, client, peer, orderer or member) after ${quantifier}`);
    }
    this.#index++;
    return { kind: 'meta', quantifier, role: role.text as PrincipalRole, column: start.column };
  }

  #principal(): PolicyNode {
    const token = this.#token;
    this.#index++;
    const inner = token.text.slice(1, -1);
    const dot = inner.lastIndexOf('.');
    const mspId = dot < 0 ? inner : inner.slice(0, dot);
    const role = dot < 0 ? '' : inner.slice(dot + 1);
    if (!NamePattern.MSP_ID.test(mspId)) {
      throw new PolicySyntaxError(
        token.column + 1,
        'an mspId (a letter, then letters, digits or -)',
        `'${mspId}'`,
        this.text,
      );
    }
    if (!isPrincipalRole(role)) {
      const column = token.column + 1 + (dot < 0 ? inner.length : dot + 1);
      throw new PolicySyntaxError(
        column,
        `'.' and a role (admin, client, peer, orderer or member)`,
        dot < 0 ? 'no role' : `'${role}'`,
        this.text,
      );
    }
    this.#principals++;
    if (this.#principals > POLICY_PRINCIPALS_MAX)
      this.#fail(`at most ${POLICY_PRINCIPALS_MAX} principals`, token);
    return { kind: 'signedBy', mspId, role, column: token.column };
  }
}

/** Parses a policy; throws PolicySyntaxError naming the column and what was expected. */
export function parsePolicy(text: string): PolicyNode {
  if (typeof text !== 'string') throw new PolicySyntaxError(1, 'a policy string', typeof text, String(text));
  if (text.length > POLICY_TEXT_CHARS_MAX) {
    throw new PolicySyntaxError(
      POLICY_TEXT_CHARS_MAX + 1,
      `at most ${POLICY_TEXT_CHARS_MAX} characters`,
      `${text.length} characters`,
      text,
    );
  }
  return new Parser(text, tokenize(text)).policy();
}

/** The policy in its canonical spelling: `AND('A.admin', OutOf(2, 'B.peer', ANY admin))`. */
export function formatPolicy(node: PolicyNode): string {
  switch (node.kind) {
    case 'signedBy':
      return `'${node.mspId}.${node.role}'`;
    case 'meta':
      return `${node.quantifier} ${node.role}`;
    case 'outOf': {
      const rules = node.rules.map(formatPolicy).join(', ');
      return node.combinator === Combinator.OUT_OF
        ? `OutOf(${node.n}, ${rules})`
        : `${node.combinator}(${rules})`;
    }
  }
}

/** Every mspId that a policy names explicitly (meta policies name none). */
export function policyMspIds(node: PolicyNode): string[] {
  const out = new Set<string>();
  const visit = (n: PolicyNode): void => {
    if (n.kind === 'signedBy') out.add(n.mspId);
    else if (n.kind === 'outOf') n.rules.forEach(visit);
  };
  visit(node);
  return [...out];
}

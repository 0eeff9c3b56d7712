import type { PrincipalRole } from '../roles.js';

/**
 * The parsed form of a policy. AND and OR are kept as written (for messages and formatting)
 * but evaluate as OutOf(all) and OutOf(1). `column` is 1-based, into the policy's text.
 */
export type PolicyNode = SignedByNode | OutOfNode | MetaNode;

/** `'MspId.role'`: one signer of that organisation with that role (`member`: any role). */
export interface SignedByNode {
  readonly kind: 'signedBy';
  readonly mspId: string;
  readonly role: PrincipalRole;
  readonly column: number;
}

export const Combinator = { AND: 'AND', OR: 'OR', OUT_OF: 'OutOf' } as const;
export type Combinator = (typeof Combinator)[keyof typeof Combinator];

/** `AND(...)`, `OR(...)`, `OutOf(n, ...)`: at least `n` of `rules`, each with distinct signers. */
export interface OutOfNode {
  readonly kind: 'outOf';
  readonly combinator: Combinator;
  readonly n: number;
  readonly rules: readonly PolicyNode[];
  readonly column: number;
}

export const Quantifier = { ANY: 'ANY', ALL: 'ALL', MAJORITY: 'MAJORITY' } as const;
export type Quantifier = (typeof Quantifier)[keyof typeof Quantifier];

/**
 * `ANY role`, `ALL role`, `MAJORITY role`: over the channel's application organisations (see
 * PolicyContext). Expands to OutOf(1 | k | floor(k/2)+1, 'Org1.role', ..., 'Orgk.role').
 */
export interface MetaNode {
  readonly kind: 'meta';
  readonly quantifier: Quantifier;
  readonly role: PrincipalRole;
  readonly column: number;
}

/** What a policy is evaluated against: the organisations that ANY/ALL/MAJORITY range over. */
export interface PolicyContext {
  /** mspIds of the channel's application organisations, in config order. */
  readonly applicationOrgs: readonly string[];
}

/** One verified signer of a transaction (its creator or an endorser). */
export interface PolicySigner {
  readonly mspId: string;
  /** The certificate's role (never `member`). */
  readonly role: string;
  /**
   * A stable key of the identity (e.g. `mspId + ':' + serialHex`). Entries with the same id
   * count once, so an identity that signs twice cannot satisfy two principals.
   */
  readonly id?: string;
}

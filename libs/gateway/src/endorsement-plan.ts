/**
 * Which organisations must endorse a transaction: the action's endorsement policy from the
 * channel config (`namespaces[ns].endorsement[action]`, else `defaultEndorsement`), evaluated over
 * the creator plus candidate endorsers. Endorsers are domain services, which hold `client`
 * certificates; the real signers are checked again once the endorsements are back.
 */
import {
  evaluatePolicy,
  explainPolicy,
  OrganizationType,
  Role,
  type ChannelConfig,
  type PolicyContext,
  type PolicySigner,
} from '@civic/identity';
import { PolicyUnsatisfiableError } from './errors.js';

export interface EndorsementPlan {
  /** The endorsement policy text of the action. */
  readonly policy: string;
  /** Organisations whose endorsers are asked (never the creator's own), in the order given or found. */
  readonly endorsers: readonly string[];
}

export interface PlanInput {
  readonly namespace: string;
  readonly action: string;
  readonly creator: { readonly mspId: string; readonly role: string };
  /** Organisations the caller wants to endorse (the domain knows, e.g. a scheme's co-endorser). */
  readonly endorsers?: readonly string[];
}

/** Largest set of extra organisations tried when the caller names none (policies name a few). */
export const PLAN_ENDORSERS_MAX = 4;
/** Bound on policy evaluations while searching for a smallest set. */
export const PLAN_EVALUATIONS_MAX = 5_000;

export function policyContextOf(config: ChannelConfig): PolicyContext {
  return {
    applicationOrgs: config.organizations
      .filter((o) => o.type === OrganizationType.APPLICATION)
      .map((o) => o.mspId),
  };
}

/** The endorsement policy of `action` in `namespace`. Throws when the namespace is not in the config. */
export function endorsementPolicyOf(config: ChannelConfig, namespace: string, action: string): string {
  const ns = config.namespaces[namespace];
  if (ns === undefined) {
    throw new PolicyUnsatisfiableError(
      namespace,
      action,
      '',
      `namespace ${namespace} is not in the channel config`,
    );
  }
  return ns.endorsement[action] ?? ns.defaultEndorsement;
}

const asEndorser = (mspId: string): PolicySigner => ({ mspId, role: Role.CLIENT, id: `endorser:${mspId}` });

/**
 * Checks that the creator may write the namespace and returns the organisations to ask. With
 * `endorsers` given, they must satisfy the policy together with the creator; without, the
 * smallest set of other application organisations that does (first in config order).
 */
export function planEndorsements(config: ChannelConfig, input: PlanInput): EndorsementPlan {
  const { namespace, action, creator } = input;
  const policy = endorsementPolicyOf(config, namespace, action);
  const context = policyContextOf(config);
  const writers = config.namespaces[namespace]!.writers;
  const creatorSigner: PolicySigner = {
    mspId: creator.mspId,
    role: creator.role,
    id: `creator:${creator.mspId}`,
  };
  if (!evaluatePolicy(writers, [creatorSigner], context)) {
    throw new PolicyUnsatisfiableError(
      namespace,
      action,
      writers,
      `${creator.mspId}.${creator.role} is not a writer of ${namespace} (writers: ${writers})`,
    );
  }
  if (input.endorsers !== undefined) {
    const endorsers = [...new Set(input.endorsers.filter((m) => m !== creator.mspId))];
    const explained = explainPolicy(policy, [creatorSigner, ...endorsers.map(asEndorser)], context);
    if (!explained.satisfied) {
      throw new PolicyUnsatisfiableError(
        namespace,
        action,
        policy,
        `with endorsers [${endorsers.join(', ')}]: ${explained.reason}`,
      );
    }
    return { policy, endorsers };
  }
  const candidates = context.applicationOrgs.filter((m) => m !== creator.mspId);
  let evaluations = 0;
  for (let size = 0; size <= Math.min(PLAN_ENDORSERS_MAX, candidates.length); size++) {
    for (const subset of subsetsOf(candidates, size)) {
      if (++evaluations > PLAN_EVALUATIONS_MAX) break;
      if (evaluatePolicy(policy, [creatorSigner, ...subset.map(asEndorser)], context)) {
        return { policy, endorsers: subset };
      }
    }
  }
  throw new PolicyUnsatisfiableError(
    namespace,
    action,
    policy,
    `no set of up to ${PLAN_ENDORSERS_MAX} other organisations satisfies ${policy} with ${creator.mspId}.${creator.role}`,
  );
}

/** Subsets of `items` of exactly `size` elements, in lexicographic order of positions. */
function* subsetsOf<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - size; i++) {
    for (const rest of subsetsOf(items, size - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

import { ValidationCode, type TxPayload } from '@civic/protocol';
import type { Identity } from '../msp/resolve.js';
import type { PolicySigner } from '../policy/ast.js';
import { explainPolicy } from '../policy/evaluate.js';
import { applicationOrgs, endorsementPolicy, type ChannelConfig } from './types.js';

/**
 * The two policy checks of an ordinary transaction, as every peer runs them (DESIGN.md, flow
 * step 6): the namespace's `writers` policy over the creator alone, then the action's
 * endorsement policy over the creator and the endorsers. `signers` are the resolved identities
 * with verified signatures, creator first (see signersOf).
 */
export type PolicyCheck =
  { readonly ok: true } | { readonly ok: false; readonly code: ValidationCode; readonly reason: string };

/**
 * The namespace's `writers` policy over the creator alone (WRITER_NOT_ALLOWED, also for a
 * namespace the config does not have): what the orderers check at intake and the peers first.
 */
export function checkWriters(config: ChannelConfig, payload: TxPayload, creator: Identity): PolicyCheck {
  const namespace = Object.hasOwn(config.namespaces, payload.namespace)
    ? config.namespaces[payload.namespace]
    : undefined;
  if (namespace === undefined) {
    return {
      ok: false,
      code: ValidationCode.WRITER_NOT_ALLOWED,
      reason: `namespace ${payload.namespace} is not in the channel config`,
    };
  }
  const writers = explainPolicy(namespace.writers, [creator], { applicationOrgs: applicationOrgs(config) });
  if (!writers.satisfied) {
    return {
      ok: false,
      code: ValidationCode.WRITER_NOT_ALLOWED,
      reason: `${payload.namespace} writers ${writers.reason}`,
    };
  }
  return { ok: true };
}

export function checkTransactionPolicies(
  config: ChannelConfig,
  payload: TxPayload,
  signers: readonly Identity[],
): PolicyCheck {
  const creator = signers[0];
  if (creator === undefined)
    return { ok: false, code: ValidationCode.MALFORMED, reason: 'no creator among the signers' };
  const writers = checkWriters(config, payload, creator);
  if (!writers.ok) return writers;
  const policy = endorsementPolicy(config, payload.namespace, payload.action)!;
  const endorsement = explainPolicy(policy, signers, { applicationOrgs: applicationOrgs(config) });
  if (!endorsement.satisfied) {
    return {
      ok: false,
      code: ValidationCode.ENDORSEMENT_POLICY_FAILURE,
      reason: `${payload.namespace}/${payload.action} endorsement ${endorsement.reason}`,
    };
  }
  return { ok: true };
}

/** Whether a reader may read the channel: `{ok: true}`, or the reason it may not. */
export type ReadersCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The channel's `readers` policy over one caller (a resolved identity, or a token's caller):
 * who may read blocks and state from a peer's REST API. The reason names the policy and what
 * is missing, e.g. `readers policy OR('RVO.member', 'Utrecht.member') not satisfied: …`.
 */
export function checkReaders(
  config: ChannelConfig,
  reader: Pick<PolicySigner, 'mspId' | 'role'>,
): ReadersCheck {
  const readers = explainPolicy(config.policies.readers, [{ mspId: reader.mspId, role: reader.role }], {
    applicationOrgs: applicationOrgs(config),
  });
  return readers.satisfied ? { ok: true } : { ok: false, reason: `readers ${readers.reason}` };
}

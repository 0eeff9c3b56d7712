import { describe, expect, it } from 'vitest';
import { createEnvelope, createPayload, endorsePayload } from '@civic/protocol';
import { checkTransactionPolicies, signersOf } from '../src/index.js';
import { identity, smallNetwork, T0_MS } from './helpers.js';

const { config } = smallNetwork();

/** A signed envelope in `namespace` with `action`, created by `creator` and endorsed by the others. */
function envelope(namespace: string, action: string, creator: string, ...endorsers: string[]) {
  const c = identity(creator);
  const payload = createPayload({
    channel: config.channel,
    namespace,
    action,
    txTime: T0_MS,
    creator: { mspId: c.mspId, cert: c.cert },
    reads: [],
    writes: [{ key: 'k', value: 1 }],
    event: { type: 'x.done', data: null },
  });
  return createEnvelope(
    payload,
    c.key,
    endorsers.map((name) => endorsePayload(payload, identity(name))),
  );
}

function check(namespace: string, action: string, creator: string, ...endorsers: string[]) {
  const env = envelope(namespace, action, creator, ...endorsers);
  const signers = signersOf(config, env, T0_MS);
  if (!signers.ok) throw new Error(signers.reason);
  return checkTransactionPolicies(config, env.payload, signers.signers);
}

describe('checkTransactionPolicies', () => {
  it('accepts a writer whose endorsement policy is met', () => {
    expect(check('parking', 'card.issue', 'utrecht-parking', 'assessor-parking')).toEqual({ ok: true });
    expect(check('subsidies', 'grant', 'rvo-subsidies')).toEqual({ ok: true });
  });

  it('refuses a creator outside the writers policy, even when endorsed', () => {
    const result = check('subsidies', 'grant', 'assessor-parking', 'rvo-subsidies');
    expect(result).toMatchObject({ ok: false, code: 'WRITER_NOT_ALLOWED' });
    if (!result.ok)
      expect(result.reason).toContain(
        "subsidies writers policy OR('RVO.member', 'Utrecht.member') not satisfied",
      );
  });

  it('refuses a missing endorsement, naming it', () => {
    const result = check('parking', 'card.issue', 'utrecht-parking');
    expect(result).toMatchObject({ ok: false, code: 'ENDORSEMENT_POLICY_FAILURE' });
    if (!result.ok) expect(result.reason).toContain("missing 'Assessor.client'");
  });

  it('refuses an unknown namespace and an empty signer list', () => {
    const env = envelope('parking', 'x', 'utrecht-parking');
    expect(checkTransactionPolicies(config, { ...env.payload, namespace: 'transport' }, [])).toMatchObject({
      code: 'MALFORMED',
    });
    const signers = signersOf(config, env, T0_MS);
    if (!signers.ok) throw new Error(signers.reason);
    expect(
      checkTransactionPolicies(config, { ...env.payload, namespace: 'transport' }, signers.signers),
    ).toMatchObject({ code: 'WRITER_NOT_ALLOWED' });
  });

  it('reports identity and signature problems of signers with their codes', () => {
    const env = envelope('parking', 'card.issue', 'utrecht-parking', 'assessor-parking');
    const forged = { ...env, endorsements: [{ ...env.endorsements[0]!, signature: env.signature }] };
    expect(signersOf(config, forged, T0_MS)).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    expect(signersOf(config, env, T0_MS + 1000 * 86_400_000)).toMatchObject({
      ok: false,
      code: 'EXPIRED_IDENTITY',
    });
  });
});

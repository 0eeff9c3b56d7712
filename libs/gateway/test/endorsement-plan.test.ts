import { describe, expect, it } from 'vitest';
import { endorsementPolicyOf, planEndorsements, PolicyUnsatisfiableError } from '../src/index.js';
import { testDevNetwork } from '@civic/testkit/stub-network';

const { config } = testDevNetwork('plan');
const client = (mspId: string) => ({ mspId, role: 'client' });

describe('planEndorsements over the development network config', () => {
  it('a grant by one authority needs no other endorser', () => {
    expect(
      planEndorsements(config, { namespace: 'subsidies', action: 'grant', creator: client('RVO') }),
    ).toEqual({
      policy: endorsementPolicyOf(config, 'subsidies', 'grant'),
      endorsers: [],
    });
  });

  it('a co-financed grant needs a second authority: the one named, or the first in config order', () => {
    const named = planEndorsements(config, {
      namespace: 'subsidies',
      action: 'grant-endorsed',
      creator: client('RVO'),
      endorsers: ['Amsterdam'],
    });
    expect(named.endorsers).toEqual(['Amsterdam']);
    expect(named.policy).toMatch(/^OutOf\(2, /);
    const found = planEndorsements(config, {
      namespace: 'subsidies',
      action: 'grant-endorsed',
      creator: client('RVO'),
    });
    expect(found.endorsers).toEqual(['Utrecht']);
  });

  it('a parking card from a municipality needs the assessor', () => {
    expect(
      planEndorsements(config, { namespace: 'parking', action: 'card.issue', creator: client('Utrecht') })
        .endorsers,
    ).toEqual(['Assessor']);
  });

  it('refuses a creator that may not write the namespace, naming the writers policy', () => {
    expect(() =>
      planEndorsements(config, { namespace: 'subsidies', action: 'grant', creator: client('Police') }),
    ).toThrow(/Police.client is not a writer of subsidies \(writers: OR\('RVO.member'/);
  });

  it('refuses named endorsers that cannot satisfy the policy, saying what is missing', () => {
    const error = (() => {
      try {
        planEndorsements(config, {
          namespace: 'subsidies',
          action: 'grant-endorsed',
          creator: client('RVO'),
          endorsers: ['RVO', 'Police'],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PolicyUnsatisfiableError);
    expect((error as Error).message).toMatch(
      /with endorsers \[Police\]: policy OutOf\(2, .*\) not satisfied/,
    );
  });

  it('refuses a namespace that is not in the config', () => {
    expect(() =>
      planEndorsements(config, { namespace: 'taxes', action: 'x', creator: client('RVO') }),
    ).toThrow(/namespace taxes is not in the channel config/);
  });
});

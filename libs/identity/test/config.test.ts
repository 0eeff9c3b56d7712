import { describe, expect, it } from 'vitest';
import {
  applicationOrgs,
  ConfigValidationError,
  configIssues,
  endorsementPolicy,
  validateConfig,
  type ChannelConfig,
} from '../src/index.js';
import { identity, smallNetwork } from './helpers.js';

/** Untyped on purpose: the tests break the config in ways its type forbids. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A deep copy to break, as JSON (the config is plain JSON). */
function broken(change: (config: Loose) => void): unknown {
  const copy = structuredClone(smallNetwork().config) as Loose;
  change(copy);
  return copy;
}

function pathsOf(input: unknown): string[] {
  return configIssues(input).map((issue) => issue.path);
}

describe('validateConfig', () => {
  it('accepts the built network config and exposes its helpers', () => {
    const config = smallNetwork().config;
    expect(configIssues(config)).toEqual([]);
    expect(validateConfig(structuredClone(config))).toEqual(config);
    expect(applicationOrgs(config)).toEqual(['RVO', 'Utrecht', 'Assessor']);
    expect(endorsementPolicy(config, 'parking', 'card.issue')).toBe(
      "AND('Utrecht.client', 'Assessor.client')",
    );
    expect(endorsementPolicy(config, 'parking', 'other')).toBe("'Utrecht.client'");
    expect(endorsementPolicy(config, 'nope', 'x')).toBeUndefined();
    expect(endorsementPolicy(config, 'constructor', 'x')).toBeUndefined();
  });

  it('reports an unknown organisation in a policy, with its path', () => {
    const issues = configIssues(
      broken(
        (c) => (c.namespaces.parking.endorsement['card.issue'] = "AND('Utrecht.client', 'Police.client')"),
      ),
    );
    expect(issues).toEqual([
      {
        path: '$.namespaces.parking.endorsement["card.issue"]',
        message: 'names organisation Police, which is not in organizations',
      },
    ]);
  });

  it('reports an unparsable policy with its column', () => {
    const issues = configIssues(broken((c) => (c.policies.admins = 'MAJORITY admins')));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('$.policies.admins');
    expect(issues[0]!.message).toContain('column 10');
  });

  it('reports duplicate mspIds and consenters', () => {
    expect(pathsOf(broken((c) => c.organizations.push({ ...c.organizations[1] })))).toContain(
      '$.organizations[4].mspId',
    );
    const dup = configIssues(broken((c) => c.consenters.push({ ...c.consenters[0] })));
    expect(dup.map((i) => i.path)).toEqual(['$.consenters[3].nodeId', '$.consenters[3].cert']);
    expect(dup[0]!.message).toBe('duplicate consenter orderer1');
  });

  it('reports a consenter whose certificate is not an orderer certificate of its organisation', () => {
    const peer = configIssues(
      broken(
        (c) => (c.consenters[1] = { nodeId: 'orderer2', mspId: 'RVO', cert: identity('rvo-peer').cert }),
      ),
    );
    expect(peer).toEqual([
      {
        path: '$.consenters[1].cert',
        message: 'is a peer certificate; a consenter needs an orderer certificate of RVO',
      },
    ]);
    const wrongOrg = configIssues(broken((c) => (c.consenters[1].mspId = 'RVO')));
    expect(wrongOrg[0]!.path).toBe('$.consenters[1]');
    expect(wrongOrg[0]!.message).toContain('not issued by a root CA of RVO');
    expect(pathsOf(broken((c) => (c.consenters[1].mspId = 'Ghost')))).toEqual(['$.consenters[1]']);
    expect(pathsOf(broken((c) => (c.consenters = [])))).toEqual(['$.consenters']);
  });

  it('reports batch limits that contradict each other or exceed a NATS message', () => {
    const issues = configIssues(
      broken(
        (c) =>
          (c.batch = {
            maxMessageCount: 0,
            preferredMaxBytes: 800_000,
            absoluteMaxBytes: 600_000,
            timeoutMs: 50,
          }),
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['$.batch.maxMessageCount', '$.batch.preferredMaxBytes']);
    expect(issues[1]!.message).toContain('above absoluteMaxBytes 600000');
    const big = configIssues(broken((c) => (c.batch.absoluteMaxBytes = 1_048_576)));
    expect(big[0]!.message).toContain('between 1024 and 900000 bytes');
  });

  it('reports Raft timing that contradicts itself', () => {
    const issues = configIssues(
      broken((c) => (c.raft = { ...c.raft, heartbeatTicks: 10, electionTicks: 10 })),
    );
    expect(issues).toEqual([
      {
        path: '$.raft.heartbeatTicks',
        message: '10 must be below electionTicks 10, or followers time out between heartbeats',
      },
    ]);
  });

  it('reports every issue at once, including unknown fields and bad names', () => {
    const input = broken((c) => {
      c.channel = 'Bad Name';
      c.sequence = -1;
      c.extra = true;
      c.organizations[1].type = 'other';
      c.organizations[2].rootCerts = ['AAAA'];
      c.organizations[2].revokedSerials = ['00ff', 'xyz'];
      c.namespaces.config = c.namespaces.parking;
      c.namespaces['Bad NS'] = c.namespaces.parking;
      c.namespaces.subsidies.endorsement['bad action!'] = "'RVO.client'";
      c.namespaces.subsidies.extra = 1;
      c.policies.readers = 7;
    });
    expect(pathsOf(input)).toEqual([
      '$.extra',
      '$.channel',
      '$.sequence',
      '$.organizations[1].type',
      '$.organizations[2].rootCerts[0]',
      '$.organizations[2].revokedSerials[0]',
      '$.organizations[2].revokedSerials[1]',
      '$.namespaces.subsidies.extra',
      '$.namespaces.subsidies.endorsement["bad action!"]',
      '$.namespaces.config',
      '$.namespaces["Bad NS"]',
      '$.policies.readers',
    ]);
    expect(() => validateConfig(input)).toThrow(ConfigValidationError);
    try {
      validateConfig(input);
    } catch (error) {
      expect((error as ConfigValidationError).issues).toHaveLength(12);
      expect((error as Error).message).toContain('$.channel: must be a channel name');
    }
  });

  it('refuses a root that is not a CA or not self-signed, and a config without application organisations', () => {
    expect(
      configIssues(broken((c) => (c.organizations[1].rootCerts = [identity('rvo-admin').cert]))),
    ).toEqual([
      { path: '$.organizations[1].rootCerts[0]', message: 'is not a CA certificate (basicConstraints cA)' },
      {
        path: '$.organizations[1].rootCerts[0]',
        message: 'is not self-signed (a root CA signs its own certificate)',
      },
    ]);
    const onlyOrderers = broken((c) => {
      c.organizations = [c.organizations[0]];
      c.namespaces = {};
    });
    expect(configIssues(onlyOrderers).map((i) => i.message)).toContain(
      'must include an application organisation (ANY/ALL/MAJORITY range over them)',
    );
  });

  it('never throws on garbage', () => {
    for (const input of [
      null,
      1,
      'x',
      [],
      { organizations: 'x' },
      { organizations: [null], consenters: [1] },
    ]) {
      expect(configIssues(input).length).toBeGreaterThan(0);
    }
    const typed: ChannelConfig = smallNetwork().config;
    expect(typed.sequence).toBe(0);
  });
});

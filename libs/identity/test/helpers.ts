import { buildNetwork, seededKeySource, type BuiltNetwork, type NetworkSpec } from '../src/index.js';

/** 2026-03-01T12:00:00Z: the fixed "now" of the test networks. */
export const T0_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

/** A small network: three consenters, three application organisations. */
export const SMALL_SPEC: NetworkSpec = {
  channel: 'test-channel',
  organizations: [
    { mspId: 'Orderers', name: 'Ordering service', type: 'orderer' },
    { mspId: 'RVO', name: 'Netherlands Enterprise Agency', type: 'application' },
    { mspId: 'Utrecht', name: 'Municipality of Utrecht', type: 'application' },
    { mspId: 'Assessor', name: 'Independent medical assessor', type: 'application' },
  ],
  identities: [
    { name: 'orderer1', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderer2', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderer3', mspId: 'Orderers', role: 'orderer', purpose: 'consenter' },
    { name: 'orderers-admin', mspId: 'Orderers', role: 'admin', purpose: 'admin' },
    { name: 'rvo-admin', mspId: 'RVO', role: 'admin', purpose: 'admin' },
    { name: 'rvo-subsidies', mspId: 'RVO', role: 'client', purpose: 'subsidies service' },
    { name: 'rvo-peer', mspId: 'RVO', role: 'peer', purpose: 'peer' },
    { name: 'utrecht-admin', mspId: 'Utrecht', role: 'admin', purpose: 'admin' },
    { name: 'utrecht-parking', mspId: 'Utrecht', role: 'client', purpose: 'parking service' },
    { name: 'assessor-admin', mspId: 'Assessor', role: 'admin', purpose: 'admin' },
    { name: 'assessor-parking', mspId: 'Assessor', role: 'client', purpose: 'parking service' },
  ],
  consenters: ['orderer1', 'orderer2', 'orderer3'],
  namespaces: {
    subsidies: {
      writers: "OR('RVO.member', 'Utrecht.member')",
      endorsement: { 'grant-endorsed': "AND('RVO.client', 'Utrecht.client')" },
      defaultEndorsement: "OR('RVO.client', 'Utrecht.client')",
    },
    parking: {
      writers: "OR('Utrecht.member', 'Assessor.member')",
      endorsement: { 'card.issue': "AND('Utrecht.client', 'Assessor.client')" },
      defaultEndorsement: "'Utrecht.client'",
    },
  },
  policies: { admins: 'MAJORITY admin', readers: 'ANY member' },
};

let cached: BuiltNetwork | undefined;

/** The small network, built once per test file (seeded: same bytes every run). */
export function smallNetwork(): BuiltNetwork {
  cached ??= buildNetwork(SMALL_SPEC, { timeMs: T0_MS, keys: seededKeySource('identity-tests') });
  return cached;
}

export function identity(name: string) {
  const found = smallNetwork().identities.get(name);
  if (found === undefined) throw new Error(`no identity ${name}`);
  return found;
}

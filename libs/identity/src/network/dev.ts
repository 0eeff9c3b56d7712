import { OrganizationType, type NamespaceConfig } from '../config/types.js';
import { Role } from '../roles.js';
import type { IdentitySpec, NetworkSpec, OrganizationSpec } from './build.js';

/**
 * The development network (notes/orgs.md): an ordering organisation with three consenters and
 * eight authorities and companies across the three domains. Everything here is data; the
 * policies are documented in docs/identity.md ("The development network").
 */

export const DEV_CHANNEL = 'civic';

export const Domain = { SUBSIDIES: 'subsidies', PARKING: 'parking', TRANSPORT: 'transport' } as const;
export type Domain = (typeof Domain)[keyof typeof Domain];

export const DEV_ORGANIZATIONS: readonly OrganizationSpec[] = [
  { mspId: 'Orderers', name: 'Ordering service', type: OrganizationType.ORDERER },
  { mspId: 'RVO', name: 'Netherlands Enterprise Agency', type: OrganizationType.APPLICATION },
  { mspId: 'Utrecht', name: 'Municipality of Utrecht', type: OrganizationType.APPLICATION },
  { mspId: 'Amsterdam', name: 'Municipality of Amsterdam', type: OrganizationType.APPLICATION },
  { mspId: 'Assessor', name: 'Independent medical assessor', type: OrganizationType.APPLICATION },
  { mspId: 'ILT', name: 'Human Environment and Transport Inspectorate', type: OrganizationType.APPLICATION },
  { mspId: 'RDW', name: 'Vehicle Authority', type: OrganizationType.APPLICATION },
  { mspId: 'Police', name: 'Police', type: OrganizationType.APPLICATION },
  { mspId: 'Haulier', name: 'Transport company', type: OrganizationType.APPLICATION },
];

/** Which organisations run an instance of each domain service (each with its own key). */
export const DEV_SERVICE_ORGS: Readonly<Record<Domain, readonly string[]>> = {
  subsidies: ['RVO', 'Utrecht', 'Amsterdam'],
  parking: ['Utrecht', 'Amsterdam', 'Assessor', 'Police'],
  transport: ['ILT', 'RDW', 'Police', 'Haulier'],
};

/** Peers: the organisation and the services that read from them. */
export const DEV_PEERS: readonly { readonly peerId: string; readonly mspId: string }[] = [
  { peerId: 'rvo-peer', mspId: 'RVO' },
  { peerId: 'utrecht-peer', mspId: 'Utrecht' },
];

export const DEV_ORDERERS: readonly string[] = ['orderer1', 'orderer2', 'orderer3'];

/** Department users per organisation, for the domain services' REST authentication. */
const DEV_USERS_PER_ORG = 2;

export function devIdentityName(mspId: string, what: string): string {
  return `${mspId.toLowerCase()}-${what}`;
}

function devIdentities(): IdentitySpec[] {
  const identities: IdentitySpec[] = DEV_ORDERERS.map((name) => ({
    name,
    mspId: 'Orderers',
    role: Role.ORDERER,
    purpose: 'consenter (Raft member)',
  }));
  for (const org of DEV_ORGANIZATIONS) {
    identities.push({
      name: devIdentityName(org.mspId, 'admin'),
      mspId: org.mspId,
      role: Role.ADMIN,
      purpose: 'organisation admin (signs config updates)',
    });
  }
  for (const peer of DEV_PEERS)
    identities.push({ name: peer.peerId, mspId: peer.mspId, role: Role.PEER, purpose: 'peer' });
  for (const [domain, orgs] of Object.entries(DEV_SERVICE_ORGS)) {
    for (const mspId of orgs) {
      identities.push({
        name: devIdentityName(mspId, domain),
        mspId,
        role: Role.CLIENT,
        purpose: `${domain} service (creates and endorses transactions)`,
      });
    }
  }
  for (const org of DEV_ORGANIZATIONS) {
    if (org.type !== OrganizationType.APPLICATION) continue;
    for (let i = 1; i <= DEV_USERS_PER_ORG; i++) {
      identities.push({
        name: devIdentityName(org.mspId, `user${i}`),
        mspId: org.mspId,
        role: Role.CLIENT,
        purpose: 'department user',
      });
    }
  }
  return identities;
}

const any = (...principals: string[]): string =>
  principals.length === 1 ? principals[0]! : `OR(${principals.join(', ')})`;
const clients = (...orgs: string[]): string[] => orgs.map((o) => `'${o}.client'`);
const members = (...orgs: string[]): string[] => orgs.map((o) => `'${o}.member'`);

const MUNICIPALITIES = ['Utrecht', 'Amsterdam'];

export const DEV_NAMESPACES: Readonly<Record<Domain, NamespaceConfig>> = {
  subsidies: {
    // The three granting authorities write; any of them alone may grant from its own budget.
    writers: any(...members('RVO', ...MUNICIPALITIES)),
    endorsement: {
      grant: any(...clients('RVO', ...MUNICIPALITIES)),
      // A co-financed grant commits two authorities' budgets: two different ones must sign.
      'grant-endorsed': `OutOf(2, ${clients('RVO', ...MUNICIPALITIES).join(', ')})`,
    },
    defaultEndorsement: any(...clients('RVO', ...MUNICIPALITIES)),
  },
  parking: {
    // Municipalities issue cards and places, the assessor records medical assessments, the
    // police and the municipalities' enforcement officers record checks (docs/parking.md).
    writers: any(...members(...MUNICIPALITIES, 'Assessor', 'Police')),
    endorsement: {
      // Every action that makes a valid card needs the issuing municipality and the independent
      // assessor, who re-runs the card rules on its own state.
      'card.issue': `OR(${MUNICIPALITIES.map((m) => `AND('${m}.client', 'Assessor.client')`).join(', ')})`,
      'card.duplicate': `OR(${MUNICIPALITIES.map((m) => `AND('${m}.client', 'Assessor.client')`).join(', ')})`,
      'assessment.record': "'Assessor.client'",
      'check.record': any(...clients('Police', ...MUNICIPALITIES)),
    },
    defaultEndorsement: any(...clients(...MUNICIPALITIES)),
  },
  transport: {
    // Hauliers upload their drivers' records; RDW keeps the driver-card register; ILT and the
    // police record roadside checks and infringements.
    writers: any(...members('Haulier', 'ILT', 'Police', 'RDW')),
    endorsement: {
      'records.upload': "'Haulier.client'",
      // The company logs inspectors' accesses to its own private records (its own uploads only).
      'access.record': "'Haulier.client'",
      'card.issue': "'RDW.client'",
      'card.update': "'RDW.client'",
      'check.record': any(...clients('ILT', 'Police')),
      // A fine needs the inspectorate, whoever found the infringement.
      'infringement.record': "'ILT.client'",
    },
    defaultEndorsement: any(...clients('ILT', 'RDW')),
  },
};

export function devNetworkSpec(channel: string = DEV_CHANNEL): NetworkSpec {
  return {
    channel,
    organizations: DEV_ORGANIZATIONS,
    identities: devIdentities(),
    consenters: DEV_ORDERERS,
    namespaces: DEV_NAMESPACES,
    policies: { admins: 'MAJORITY admin', readers: 'ANY member' },
  };
}

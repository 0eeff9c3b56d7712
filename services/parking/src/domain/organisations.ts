/**
 * Who is who in the parking domain, by mspId (the decided organisations of the development
 * network, /work/notes/orgs.md and docs/parking.md#who-is-who).
 */

/**
 * Municipalities that issue cards and reserved places, with their CBS municipality code (the
 * four digits of the card number, so that a card number says who issued it). Adding a
 * municipality to the network means adding it here and to the channel config's policies.
 */
export const MUNICIPALITIES = {
  Utrecht: { cbsCode: '0344', name: 'Gemeente Utrecht' },
  Amsterdam: { cbsCode: '0363', name: 'Gemeente Amsterdam' },
} as const satisfies Record<string, { cbsCode: string; name: string }>;

export type Municipality = keyof typeof MUNICIPALITIES;

/** The independent medical assessor: the only organisation whose assessments count. */
export const INDEPENDENT_ASSESSOR = 'Assessor';

/** Organisations whose officers check cards and plates at the roadside. */
export const ENFORCEMENT_ORGANISATIONS: readonly string[] = ['Police', ...Object.keys(MUNICIPALITIES)];

export function isMunicipality(mspId: string): mspId is Municipality {
  return Object.hasOwn(MUNICIPALITIES, mspId);
}

export function isEnforcement(mspId: string): boolean {
  return ENFORCEMENT_ORGANISATIONS.includes(mspId);
}

/** The municipality whose CBS code is `cbsCode`, if any. */
export function municipalityByCbsCode(cbsCode: string): Municipality | undefined {
  for (const [mspId, info] of Object.entries(MUNICIPALITIES)) {
    if (info.cbsCode === cbsCode) return mspId as Municipality;
  }
  return undefined;
}

/**
 * The state keys of the `subsidies` namespace. Every rule reads the keys it depends on by name
 * (MVCC protects point reads only); nothing here is meant to be scanned as a range.
 */

/** The namespace of every key below. */
export const NAMESPACE = 'subsidies';

export const keys = {
  scheme: (schemeId: string): string => `scheme/${schemeId}`,
  undertaking: (kvk: string): string => `undertaking/${kvk}`,
  aidRegister: (kvk: string): string => `aid/${kvk}`,
  grant: (grantId: string): string => `grant/${grantId}`,
  application: (schemeId: string, applicationId: string): string =>
    `application/${schemeId}/${applicationId}`,
} as const;

/** Grant ids are `<schemeId>/<sequence>`: deterministic, so every endorser computes the same one. */
export function grantIdOf(schemeId: string, sequence: number): string {
  return `${schemeId}/${sequence}`;
}

/** The scheme id inside a grant id. */
export function schemeIdOfGrant(grantId: string): string {
  const slash = grantId.lastIndexOf('/');
  return slash < 0 ? grantId : grantId.slice(0, slash);
}

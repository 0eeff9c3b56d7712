/**
 * Privacy by construction (docs/parking.md#privacy). No name, address, person number or medical
 * detail goes on the chain. A holder is known on the chain only by
 *
 *     hid = hex(SHA-256(salt ‖ canonical person id))
 *
 * where `salt` is random per holder (at least 16 bytes, chosen by the municipality's service) and
 * lives, with the personal data, in the municipality's private store. Personal data that the
 * chain must be able to vouch for is committed to by a salted hash in the wire contract's form,
 * `hex(SHA-256(salt ‖ JCS(data)))`. Deleting the private data and the salt (erasure) leaves only
 * hashes that nobody can link to a person any more, and the chain still verifies.
 */
import { canonicalBytes, fromHex, isHex, sha256, toHex } from '@civic/protocol';
import { ParkingRuleViolation, show } from './errors.js';

/** Lowercase hex of a SHA-256: a hid, a salted hash. */
export type Hex64 = string;

export const SALT_BYTES_MIN = 16;
export const SALT_BYTES_MAX = 64;

const encoder = new TextEncoder();

/**
 * The canonical person id: the nine digits of a Dutch citizen service number (BSN), which must
 * pass the "11-proef" (9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 mod 11). Spaces and dots are ignored and
 * an eight-digit number gets its leading zero back, as the BSN rules allow.
 */
const PERSON_ID = { field: 'personId' } as const;

export function canonicalPersonId(input: unknown): string {
  if (typeof input !== 'string' || input.length > 20) {
    throw new ParkingRuleViolation('PERSON_ID_MALFORMED', 'person id must be a BSN of 9 digits', PERSON_ID);
  }
  let digits = input.replace(/[\s.]/g, '');
  if (/^\d{8}$/.test(digits)) digits = `0${digits}`;
  if (!/^\d{9}$/.test(digits)) {
    throw new ParkingRuleViolation('PERSON_ID_MALFORMED', 'person id must be a BSN of 9 digits', PERSON_ID);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  sum -= Number(digits[8]);
  // Never echo the number itself: it is personal data and messages end up in logs.
  if (sum % 11 !== 0 || digits === '000000000') {
    throw new ParkingRuleViolation('PERSON_ID_MALFORMED', 'person id fails the BSN 11-check', PERSON_ID);
  }
  return digits;
}

/** Checks a salt: lowercase hex of 16 to 64 bytes. */
export function parseSalt(salt: unknown): string {
  if (!isHex(salt) || salt.length < SALT_BYTES_MIN * 2 || salt.length > SALT_BYTES_MAX * 2) {
    throw new ParkingRuleViolation(
      'SALT_MALFORMED',
      `salt must be lowercase hex of ${SALT_BYTES_MIN} to ${SALT_BYTES_MAX} bytes`,
    );
  }
  return salt;
}

/** The holder's id on the chain: `hex(SHA-256(salt ‖ UTF-8(canonical person id)))`. */
export function holderId(salt: string, personId: string): Hex64 {
  return toHex(sha256(fromHex(parseSalt(salt)), encoder.encode(canonicalPersonId(personId))));
}

/** The wire contract's private-data hash: `hex(SHA-256(salt ‖ JCS(data)))`. */
export function privateDataHash(salt: string, data: unknown): Hex64 {
  return toHex(sha256(fromHex(parseSalt(salt)), canonicalBytes(data)));
}

/**
 * A pseudonym for an officer in the access log: the holder sees which organisation checked and a
 * stable reference that only that organisation (which keeps `salt`) can resolve to a person.
 */
export function officerRef(salt: string, officerId: string): Hex64 {
  if (typeof officerId !== 'string' || officerId.length === 0 || officerId.length > 256) {
    throw new ParkingRuleViolation(
      'VALUE_INVALID',
      'officer id must be a non-empty string of at most 256 characters',
    );
  }
  return privateDataHash(salt, { officer: officerId });
}

/** Checks a 64-character lowercase hex value (a hid or a salted hash) named `field`. */
export function parseHex64(
  value: unknown,
  field: string,
  rule: 'HOLDER_ID_MALFORMED' | 'HASH_MALFORMED',
): Hex64 {
  if (!isHex(value, 32)) {
    throw new ParkingRuleViolation(rule, `${field} must be 64 lowercase hex characters, got ${show(value)}`, {
      field,
    });
  }
  return value;
}

/**
 * The private store: where each department keeps the personal data behind the chain's hashes
 * (docs/parking.md#private-stores). The service implements the port (PostgreSQL, one store per
 * organisation, never replicated to other organisations); the domain defines what goes in it
 * and computes the hashes that go on the chain.
 *
 * | collection           | kept by      | key                   | data                                  |
 * |----------------------|--------------|-----------------------|---------------------------------------|
 * | `persons`            | municipality | hid                   | salt, person (BSN, name, address)     |
 * | `person-index`       | municipality | canonical person id   | hid (to find a person's hid)          |
 * | `place-addresses`    | municipality | `<hid>/<plate>`       | the reserved place's address          |
 * | `assessment-details` | Assessor     | assessment id         | salt, medical details                 |
 *
 * Every record names its holder (`holder` = hid) so that `erase(hid)` can delete all of them,
 * the salt included, in one call.
 */
import { ParkingRuleViolation } from './errors.js';
import { canonicalPersonId, holderId, parseSalt, privateDataHash, type Hex64 } from './privacy.js';

export const PrivateCollection = {
  PERSONS: 'persons',
  PERSON_INDEX: 'person-index',
  PLACE_ADDRESSES: 'place-addresses',
  ASSESSMENT_DETAILS: 'assessment-details',
} as const;
export type PrivateCollection = (typeof PrivateCollection)[keyof typeof PrivateCollection];

/** One record of a private store: always tied to a holder, so that erasure finds it. */
export interface PrivateRecord<T = unknown> {
  /** The hid of the holder this record is about. */
  readonly holder: Hex64;
  readonly data: T;
}

/** The port a service implements over its own database. Keys are at most 512 characters. */
export interface PrivateStore {
  put(collection: PrivateCollection, key: string, record: PrivateRecord): Promise<void>;
  get(collection: PrivateCollection, key: string): Promise<PrivateRecord | undefined>;
  /** Deletes one record; true when it existed. */
  delete(collection: PrivateCollection, key: string): Promise<boolean>;
  /**
   * Deletes every record about holder `hid` in every collection, salts included, and returns how
   * many were deleted. After it, nothing in this store links `hid` to a person.
   */
  erase(hid: Hex64): Promise<number>;
}

/** A record to put into a private store. */
export interface PrivateWrite {
  readonly collection: PrivateCollection;
  readonly key: string;
  readonly record: PrivateRecord;
}

export interface Address {
  readonly street: string;
  readonly houseNumber: string;
  /** Dutch postcode, `1234 AB`. */
  readonly postcode: string;
  readonly city: string;
}

/** Personal data of a holder, from the population register (BRP). Never on the chain. */
export interface PersonData {
  /** BSN. */
  readonly personId: string;
  readonly name: string;
  readonly address: Address;
}

export interface PreparedPerson {
  readonly hid: Hex64;
  /** `privateDataHash(salt, person)`: goes on the chain in the transaction's `private` list. */
  readonly personHash: Hex64;
  /** What the municipality's service puts into its private store. */
  readonly writes: readonly PrivateWrite[];
}

/**
 * Everything a municipality needs to register a person: the hid, the salted hash of the person
 * data for the chain, and the private-store records (salt and data under the hid, and an index
 * from the person id to the hid). `salt` is fresh random bytes from the service.
 */
export function preparePerson(salt: string, person: PersonData): PreparedPerson {
  parseSalt(salt);
  const personId = canonicalPersonId(person.personId);
  checkText(person.name, 'name', 200);
  checkAddress(person.address);
  const data: PersonData = { personId, name: person.name, address: { ...person.address } };
  const hid = holderId(salt, personId);
  return {
    hid,
    personHash: privateDataHash(salt, data),
    writes: [
      {
        collection: PrivateCollection.PERSONS,
        key: hid,
        record: { holder: hid, data: { salt, person: data } },
      },
      { collection: PrivateCollection.PERSON_INDEX, key: personId, record: { holder: hid, data: { hid } } },
    ],
  };
}

export interface PreparedPlaceAddress {
  /** `privateDataHash(salt, {plate, address})` with the holder's salt: the place record's `addressHash`. */
  readonly addressHash: Hex64;
  readonly write: PrivateWrite;
}

/** The address of a reserved place, hashed with the holder's salt; the address itself stays private. */
export function preparePlaceAddress(
  salt: string,
  hid: Hex64,
  plate: string,
  address: Address,
): PreparedPlaceAddress {
  checkAddress(address);
  const addressHash = privateDataHash(salt, { plate, address });
  return {
    addressHash,
    write: {
      collection: PrivateCollection.PLACE_ADDRESSES,
      key: `${hid}/${plate}`,
      record: { holder: hid, data: { plate, address: { ...address } } },
    },
  };
}

function checkAddress(address: Address): void {
  if (typeof address !== 'object' || address === null) {
    throw new ParkingRuleViolation(
      'VALUE_INVALID',
      'address must be an object {street, houseNumber, postcode, city}',
    );
  }
  checkText(address.street, 'address.street', 200);
  checkText(address.houseNumber, 'address.houseNumber', 20);
  checkText(address.city, 'address.city', 100);
  if (typeof address.postcode !== 'string' || !/^[1-9]\d{3} ?[A-Z]{2}$/.test(address.postcode)) {
    throw new ParkingRuleViolation('VALUE_INVALID', 'address.postcode must be a Dutch postcode like 3511 AB');
  }
}

function checkText(value: unknown, field: string, lengthMax: number): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > lengthMax) {
    // The value itself is personal data: name the field, not the content.
    throw new ParkingRuleViolation(
      'VALUE_INVALID',
      `${field} must be a non-empty text of at most ${lengthMax} characters`,
    );
  }
}

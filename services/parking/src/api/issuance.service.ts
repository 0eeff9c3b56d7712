/**
 * The municipality's cards and reserved places. Card numbers get a random serial from the
 * service (the domain is deterministic and refuses a number in use: the service draws again, a
 * few times). A reserved place's address goes to the private store, hashed with the holder's
 * salt for the chain.
 */
import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { txRefOf, type TxRef } from '@civic/service-kit';
import {
  CARD_SERIAL_MAX,
  CARD_SERIAL_MIN,
  inputObject,
  normalisePlate,
  parseCardNumber,
  parseHex64,
  ParkingRuleViolation,
  preparePlaceAddress,
  PrivateCollection,
  type Address,
  type CardRecord,
  type ParkingAction,
  type PlaceRecord,
} from '../domain/index.js';
import { violationError } from '../http/parking-errors.js';
import { ParkingLedger } from '../ledger/parking-ledger.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';
import { PARKING_PRIVATE } from '../tokens.js';
import { writeWithPrivateData } from './private-writes.js';

/** Draws of a card serial before giving up (a collision is about 1 in 10^7 per card issued). */
const SERIAL_DRAWS_MAX = 3;
/** A hash no salt produces, for the dry run of a place whose holder this store does not know. */
const PLACEHOLDER_HASH = '0'.repeat(64);

@Injectable()
export class IssuanceService {
  constructor(
    @Inject(ParkingLedger) private readonly ledger: ParkingLedger,
    @Inject(PARKING_PRIVATE) private readonly privateStore: ParkingPrivateStore,
  ) {}

  /** A new card (first card or renewal) on a positive assessment; the Assessor endorses. */
  issueCard(body: unknown): Promise<{ card: CardRecord; tx: TxRef }> {
    const input = inputObject(body, 'card.issue');
    return this.#withSerial('card.issue', {
      hid: input.hid,
      kind: input.kind,
      assessmentId: input.assessmentId,
      ...(input.validUntil === undefined ? {} : { validUntil: input.validUntil }),
    });
  }

  /** A duplicate of the holder's valid card (lost, stolen, damaged): every earlier card invalid at once. */
  issueDuplicate(cardNumberParam: string, body: unknown): Promise<{ card: CardRecord; tx: TxRef }> {
    const { cardNumber } = parseCardNumber(cardNumberParam);
    const input = inputObject(body, 'card.duplicate');
    return this.#withSerial('card.duplicate', { cardNumber, reason: input.reason });
  }

  async revokeCard(cardNumberParam: string, body: unknown): Promise<{ card: CardRecord; tx: TxRef }> {
    const { cardNumber } = parseCardNumber(cardNumberParam);
    const input = inputObject(body, 'card.revoke');
    const { value, tx } = await this.ledger.write<CardRecord>('card.revoke', {
      cardNumber,
      ground: input.ground,
    });
    return { card: value, tx };
  }

  /** A reserved place on a plate at the holder's address; the address stays in the private store. */
  async assignPlace(body: unknown): Promise<{ place: PlaceRecord; tx: TxRef }> {
    const input = inputObject(body, 'place.assign');
    const hid = parseHex64(input.hid, 'hid', 'HOLDER_ID_MALFORMED');
    const { plate } = normalisePlate(input.plate);
    const exception =
      input.passengerException === undefined ? {} : { passengerException: input.passengerException };
    const person = await this.privateStore.get(PrivateCollection.PERSONS, hid);
    if (person === undefined) {
      // Not a holder of this municipality (or erased): the rules say which refusal applies.
      await this.ledger.dryRun('place.assign', { hid, plate, addressHash: PLACEHOLDER_HASH, ...exception });
      throw new ParkingRuleViolation(
        'HOLDER_UNKNOWN',
        `${hid.slice(0, 12)}… has no personal data in this municipality's store`,
      );
    }
    const { salt } = person.data as { salt: string };
    const prepared = preparePlaceAddress(salt, hid, plate, input.address as Address);
    const { value, tx } = await writeWithPrivateData<PlaceRecord>(
      this.ledger,
      this.privateStore,
      [prepared.write],
      'place.assign',
      { hid, plate, addressHash: prepared.addressHash, ...exception },
    );
    return { place: value, tx };
  }

  async endPlace(plateParam: string, body: unknown): Promise<{ place: PlaceRecord; tx: TxRef }> {
    const { plate } = normalisePlate(plateParam);
    const input = inputObject(body, 'place.end');
    const { value, tx } = await this.ledger.write<PlaceRecord>('place.end', { plate, reason: input.reason });
    return { place: value, tx };
  }

  async #withSerial(
    action: ParkingAction,
    input: Record<string, unknown>,
  ): Promise<{ card: CardRecord; tx: TxRef }> {
    for (let draw = 1; ; draw++) {
      const outcome = await this.ledger.submit<CardRecord>(action, {
        ...input,
        cardSerial: randomInt(CARD_SERIAL_MIN, CARD_SERIAL_MAX + 1),
      });
      if (outcome.status === 'COMMITTED') {
        return { card: outcome.value, tx: txRefOf(outcome) };
      }
      if (outcome.violation.rule !== 'CARD_NUMBER_TAKEN' || draw >= SERIAL_DRAWS_MAX) {
        throw violationError(outcome.violation);
      }
    }
  }
}

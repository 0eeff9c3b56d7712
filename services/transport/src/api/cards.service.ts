/**
 * RDW's driver-card register (docs/transport.md#cards): issuing a card keeps the driver's
 * particulars in RDW's private store and puts only their salted hash on the chain, with the
 * holder's public key, the company and the validity.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Caller, ConfigSource } from '@civic/gateway';
import { CONFIG_SOURCE, forbidden, newSalt, saltedHash, type TxRef } from '@civic/service-kit';
import {
  cardOf,
  OrgKind,
  parseCardNumber,
  TransportRuleViolation,
  type CardRecord,
} from '../domain/index.js';
import { inputObject, parseDate, parseOptionalText } from '../domain/input.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import { RecordsStore, type DriverParticulars } from '../private/records-store.js';
import { requireOffered } from './access-rules.js';

function parseDriver(value: unknown): DriverParticulars {
  const driver = inputObject(value, 'driver', ['name', 'birthDate', 'licenceNumber']);
  const name = parseOptionalText(driver.name, 'driver.name', 200);
  if (name === null)
    throw new TransportRuleViolation('VALUE_INVALID', 'driver.name is required', { field: 'driver.name' });
  return {
    name,
    birthDate: parseDate(driver.birthDate, 'driver.birthDate').text,
    licenceNumber: parseOptionalText(driver.licenceNumber, 'driver.licenceNumber', 40),
  };
}

@Injectable()
export class CardsService {
  constructor(
    @Inject(TransportLedger) private readonly ledger: TransportLedger,
    @Inject(RecordsStore) private readonly store: RecordsStore,
    @Inject(CONFIG_SOURCE) private readonly config: ConfigSource,
  ) {}

  async issue(body: unknown): Promise<{ card: CardRecord; tx: TxRef }> {
    requireOffered(this.ledger.mspId, OrgKind.CARD_AUTHORITY, 'issuing driver cards');
    const fields = inputObject(body, 'card', [
      'cardNumber',
      'driver',
      'driverKey',
      'company',
      'validFrom',
      'validUntil',
    ]);
    const cardNumber = parseCardNumber(fields.cardNumber);
    const driver = parseDriver(fields.driver);
    const config = await this.config.current();
    if (!config.organizations.some((o) => o.mspId === fields.company)) {
      throw new TransportRuleViolation(
        'VALUE_INVALID',
        `company ${String(fields.company)} is not an organisation of the channel`,
        {
          field: 'company',
        },
      );
    }
    const salt = newSalt();
    const driverId = saltedHash(salt, driver);
    await this.store.putDriver(cardNumber, driverId, { salt, driver });
    const input = {
      cardNumber,
      driverId,
      driverKey: fields.driverKey ?? null,
      company: fields.company,
      validFrom: fields.validFrom,
      validUntil: fields.validUntil,
    };
    try {
      const { value, tx } = await this.ledger.write<CardRecord>('card.issue', input);
      return { card: value, tx };
    } catch (error) {
      await this.store.deleteDriver(cardNumber, driverId);
      throw error;
    }
  }

  async change(cardInput: string, body: unknown): Promise<{ card: CardRecord; tx: TxRef }> {
    requireOffered(this.ledger.mspId, OrgKind.CARD_AUTHORITY, 'changing driver cards');
    const fields = inputObject(body, 'change');
    const { value, tx } = await this.ledger.write<CardRecord>('card.update', {
      ...fields,
      cardNumber: parseCardNumber(cardInput),
    });
    return { card: value, tx };
  }

  /** The driver's particulars behind the chain's driverId: RDW's own staff only. */
  async driver(caller: Caller, cardInput: string) {
    requireOffered(this.ledger.mspId, OrgKind.CARD_AUTHORITY, "the driver's particulars");
    if (caller.mspId !== this.ledger.mspId)
      throw forbidden(`${caller.subject} may not see RDW's private data`);
    const cardNumber = parseCardNumber(cardInput);
    const card = await cardOf(this.ledger.reader, cardNumber);
    if (card === undefined)
      throw new TransportRuleViolation('CARD_NOT_FOUND', `no driver card ${cardNumber} is in RDW's register`);
    const entry = await this.store.driver(cardNumber, card.driverId);
    if (entry === undefined)
      throw new TransportRuleViolation(
        'CARD_NOT_FOUND',
        `the particulars of card ${cardNumber}'s driver are not in RDW's store (erased?)`,
      );
    return {
      cardNumber,
      driverId: card.driverId,
      driver: entry.driver,
      matchesChain: saltedHash(entry.salt, entry.driver) === card.driverId,
    };
  }
}

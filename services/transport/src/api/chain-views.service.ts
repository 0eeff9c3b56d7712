/**
 * What the chain says about a card, for its driver, its company and the inspectorates: the
 * register entry, the uploads, the findings per month, the checks and the access log. Read from
 * this organisation's own peer, on any transport service.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, forbidden } from '@civic/service-kit';
import {
  accessLogIn,
  cardOf,
  findingsIn,
  inspectionsIn,
  isInspectorate,
  keys,
  parseCardNumber,
  TransportRuleViolation,
  uploadsIn,
  type CardRecord,
  type InspectionRecord,
} from '../domain/index.js';
import type { Principal } from '../auth/principal.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import { describe, isDriverOf, requireCardView, requireRegisterView, staffOf } from './access-rules.js';
import { parseRange } from './range.js';

export interface RangeQuery {
  readonly from?: string;
  readonly to?: string;
}

@Injectable()
export class ChainViewsService {
  constructor(
    @Inject(TransportLedger) private readonly ledger: TransportLedger,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async card(principal: Principal, cardInput: string): Promise<CardRecord> {
    const cardNumber = parseCardNumber(cardInput);
    requireRegisterView(principal, cardNumber);
    return this.#load(cardNumber);
  }

  async uploads(principal: Principal, cardInput: string, query: RangeQuery) {
    const { card, range } = await this.#viewable(principal, cardInput, query);
    return {
      cardNumber: card.cardNumber,
      from: range.from,
      to: range.to,
      uploads: await uploadsIn(this.ledger.reader, card.cardNumber, range),
    };
  }

  async findings(principal: Principal, cardInput: string, query: RangeQuery) {
    const { card, range } = await this.#viewable(principal, cardInput, query);
    return {
      cardNumber: card.cardNumber,
      from: range.from,
      to: range.to,
      months: await findingsIn(this.ledger.reader, card.cardNumber, range),
    };
  }

  async accessLog(principal: Principal, cardInput: string, query: RangeQuery) {
    const { card, range } = await this.#viewable(principal, cardInput, query);
    return {
      cardNumber: card.cardNumber,
      from: range.from,
      to: range.to,
      ...(await accessLogIn(this.ledger.reader, card.cardNumber, range)),
    };
  }

  async inspections(principal: Principal, cardInput: string, query: RangeQuery) {
    const { card, range } = await this.#viewable(principal, cardInput, query);
    return {
      cardNumber: card.cardNumber,
      from: range.from,
      to: range.to,
      inspections: await inspectionsIn(this.ledger.reader, card.cardNumber, range),
    };
  }

  /** One check: the inspectorates, the card's company and its driver. */
  async inspection(principal: Principal, inspectionId: string): Promise<InspectionRecord> {
    const record = /^[0-9a-f]{32}$/.test(inspectionId)
      ? await this.ledger.reader.get<InspectionRecord>(keys.inspection(inspectionId))
      : undefined;
    if (record === undefined)
      throw new TransportRuleViolation('INSPECTION_NOT_FOUND', `no inspection ${inspectionId} is recorded`);
    const org = staffOf(principal);
    if (isDriverOf(principal, record.cardNumber) || (org !== null && isInspectorate(org))) return record;
    const card = await cardOf(this.ledger.reader, record.cardNumber);
    if (org !== null && card?.company === org) return record;
    throw forbidden(`${describe(principal)} may not see inspection ${inspectionId}`);
  }

  async #load(cardNumber: string): Promise<CardRecord> {
    const card = await cardOf(this.ledger.reader, cardNumber);
    if (card === undefined)
      throw new TransportRuleViolation('CARD_NOT_FOUND', `no driver card ${cardNumber} is in RDW's register`);
    return card;
  }

  async #viewable(principal: Principal, cardInput: string, query: RangeQuery) {
    const card = await this.#load(parseCardNumber(cardInput));
    requireCardView(principal, card);
    return { card, range: parseRange(query.from, query.to, this.clock()) };
  }
}

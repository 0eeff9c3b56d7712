/**
 * `card.issue` and `card.update`: RDW's driver-card register (Reg. (EU) No 165/2014 Art. 26). The
 * chain holds the card number, the driver as a salted hash (name, birth date and licence stay in
 * RDW's private store), the card holder's public key, the company and the validity.
 */
import type { TxContext } from '@civic/gateway';
import { parseCardNumber } from '../card-number.js';
import { refuseUnless } from '../errors.js';
import { inputObject, parseDate, parseEnum, parseHex, parseMspId } from '../input.js';
import { OrgKind, orgKindOf } from '../organisations.js';
import { CARD_STATUSES, CardStatus, keys, type CardRecord } from '../records.js';
import { loadCard, Reads, requireKind } from './common.js';

/** Art. 26(4): a driver card is valid for at most five years. */
const VALIDITY_MS_MAX = (5 * 366 + 1) * 86_400_000;

/** The register entry's own fields, as RDW gives them. */
export type IssueCardInput = Pick<
  CardRecord,
  'cardNumber' | 'driverId' | 'driverKey' | 'company' | 'validFrom' | 'validUntil'
>;

function parseCompany(value: unknown, field: string): string {
  const company = parseMspId(value, field);
  refuseUnless(
    orgKindOf(company) === OrgKind.COMPANY,
    'VALUE_INVALID',
    () => `${field} ${company} is not a transport company`,
    () => ({ field }),
  );
  return company;
}

function parseValidity(from: unknown, until: unknown): { validFrom: string; validUntil: string } {
  const start = parseDate(from, 'validFrom');
  const end = parseDate(until, 'validUntil');
  refuseUnless(
    end.ms >= start.ms && end.ms - start.ms <= VALIDITY_MS_MAX,
    'VALUE_INVALID',
    () => `validUntil must be on or after validFrom and at most five years later (Reg. 165/2014 Art. 26(4))`,
    () => ({ field: 'validUntil' }),
  );
  return { validFrom: start.text, validUntil: end.text };
}

function parseDriverKey(value: unknown): string | null {
  return value === undefined || value === null ? null : parseHex(value, 'driverKey', 32);
}

export async function issueCard(ctx: TxContext, input: IssueCardInput): Promise<CardRecord> {
  requireKind(ctx, OrgKind.CARD_AUTHORITY, 'NOT_CARD_AUTHORITY', 'issue driver cards');
  const fields = inputObject(input, 'card', [
    'cardNumber',
    'driverId',
    'driverKey',
    'company',
    'validFrom',
    'validUntil',
  ]);
  const cardNumber = parseCardNumber(fields.cardNumber);
  const record: CardRecord = {
    cardNumber,
    driverId: parseHex(fields.driverId, 'driverId', 32),
    driverKey: parseDriverKey(fields.driverKey),
    company: parseCompany(fields.company, 'company'),
    ...parseValidity(fields.validFrom, fields.validUntil),
    status: CardStatus.ACTIVE,
    issuedAt: ctx.txTime,
    updatedAt: ctx.txTime,
  };
  const existing = await ctx.get<CardRecord>(keys.card(cardNumber));
  refuseUnless(
    existing === undefined,
    'CARD_EXISTS',
    () => `driver card ${cardNumber} is already in the register`,
  );
  ctx.put(keys.card(cardNumber), record);
  ctx.emit('card.issued', {
    cardNumber,
    company: record.company,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
  });
  return record;
}

export interface UpdateCardInput {
  readonly cardNumber: string;
  readonly company?: string;
  readonly validUntil?: string;
  readonly status?: CardStatus;
  readonly driverKey?: string | null;
}

export async function updateCard(ctx: TxContext, input: UpdateCardInput): Promise<CardRecord> {
  requireKind(ctx, OrgKind.CARD_AUTHORITY, 'NOT_CARD_AUTHORITY', 'change driver cards');
  const fields = inputObject(input, 'change', ['cardNumber', 'company', 'validUntil', 'status', 'driverKey']);
  const cardNumber = parseCardNumber(fields.cardNumber);
  const changes: Record<string, unknown> = {};
  if (fields.company !== undefined) changes.company = parseCompany(fields.company, 'company');
  if (fields.status !== undefined) changes.status = parseEnum(fields.status, CARD_STATUSES, 'status');
  if (fields.driverKey !== undefined) changes.driverKey = parseDriverKey(fields.driverKey);
  refuseUnless(
    Object.keys(changes).length > 0 || fields.validUntil !== undefined,
    'VALUE_INVALID',
    () => 'a change needs at least one of company, validUntil, status, driverKey',
  );
  const card = await loadCard(new Reads(ctx), cardNumber, 'CARD_NOT_FOUND');
  if (fields.validUntil !== undefined) {
    changes.validUntil = parseValidity(card.validFrom, fields.validUntil).validUntil;
  }
  const updated: CardRecord = { ...card, ...changes, updatedAt: ctx.txTime };
  ctx.put(keys.card(cardNumber), updated);
  const { driverKey: _key, ...visible } = changes;
  ctx.emit('card.updated', { cardNumber, ...visible, keyChanged: 'driverKey' in changes });
  return updated;
}

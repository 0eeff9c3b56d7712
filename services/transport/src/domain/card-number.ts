/**
 * Driver card numbers (Reg. (EU) 2016/799 Annex IC, `CardNumber` of a driver card): 14 characters
 * of driver identification, the replacement index and the renewal index, 16 characters of
 * digits and capital letters. Spaces are dropped and letters uppercased on the way in, so one
 * card has one spelling in keys.
 */
import { TransportRuleViolation, show } from './errors.js';

export const CARD_NUMBER_PATTERN = /^[0-9A-Z]{16}$/;

export function parseCardNumber(value: unknown, field = 'cardNumber'): string {
  if (typeof value !== 'string' || value.length > 40) {
    throw new TransportRuleViolation(
      'CARD_NUMBER_MALFORMED',
      `${field} must be a driver card number of 16 digits and capital letters, got ${show(value)}`,
      { field },
    );
  }
  const card = value.replace(/\s+/g, '').toUpperCase();
  if (!CARD_NUMBER_PATTERN.test(card)) {
    throw new TransportRuleViolation(
      'CARD_NUMBER_MALFORMED',
      `${field} must be a driver card number of 16 digits and capital letters, got ${show(value)}`,
      { field },
    );
  }
  return card;
}

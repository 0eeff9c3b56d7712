/**
 * Card numbers: `NL-<CBS code>-<serial><check>`, e.g. `NL-0344-00012344`: the country, the
 * issuing municipality's four-digit CBS code, a seven-digit serial and a Luhn check digit over
 * code and serial. The check digit catches a mistyped digit or two swapped neighbours at the
 * roadside before a lookup. The domain has no randomness: the service chooses the serial (a
 * sequence or a random draw) and the issuing transaction refuses a number already in use.
 */
import { ParkingRuleViolation, show } from './errors.js';
import { MUNICIPALITIES, type Municipality } from './organisations.js';

export const CARD_SERIAL_MIN = 1;
export const CARD_SERIAL_MAX = 9_999_999;

const CARD_NUMBER_PATTERN = /^NL-?(\d{4})-?(\d{7})(\d)$/;

/** The card number of `municipality` with `serial`; refuses a serial out of range. */
export function makeCardNumber(municipality: Municipality, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < CARD_SERIAL_MIN || serial > CARD_SERIAL_MAX) {
    throw new ParkingRuleViolation(
      'CARD_SERIAL_OUT_OF_RANGE',
      `cardSerial must be an integer from ${CARD_SERIAL_MIN} to ${CARD_SERIAL_MAX}, got ${show(serial)}`,
      { field: 'cardSerial' },
    );
  }
  const code = MUNICIPALITIES[municipality].cbsCode;
  const digits = String(serial).padStart(7, '0');
  return `NL-${code}-${digits}${luhnCheckDigit(code + digits)}`;
}

export interface ParsedCardNumber {
  /** Canonical form `NL-0344-00012344`: the key of `card/<cardNumber>`. */
  readonly cardNumber: string;
  readonly cbsCode: string;
  readonly serial: number;
}

/**
 * Parses a card number as typed at the roadside: case and spaces do not matter, dashes are
 * optional. Refuses with CARD_NUMBER_MALFORMED when the shape or the check digit is wrong.
 */
export function parseCardNumber(input: unknown, field = 'cardNumber'): ParsedCardNumber {
  const at = { field };
  if (typeof input !== 'string' || input.length > 32) {
    throw new ParkingRuleViolation(
      'CARD_NUMBER_MALFORMED',
      `${field}: card number must be a short string, got ${show(input)}`,
      at,
    );
  }
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const match = CARD_NUMBER_PATTERN.exec(compact);
  if (match === null) {
    throw new ParkingRuleViolation(
      'CARD_NUMBER_MALFORMED',
      `${field}: card number ${show(input)} is not of the form NL-<4-digit municipality code>-<8 digits>`,
      at,
    );
  }
  const [, code, serialDigits, check] = match as unknown as [string, string, string, string];
  if (luhnCheckDigit(code + serialDigits) !== check) {
    throw new ParkingRuleViolation(
      'CARD_NUMBER_MALFORMED',
      `${field}: card number ${show(input)} has a wrong check digit`,
      at,
    );
  }
  return { cardNumber: `NL-${code}-${serialDigits}${check}`, cbsCode: code, serial: Number(serialDigits) };
}

/** Luhn (ISO/IEC 7812-1) check digit of a digit string. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  // Double every second digit counting from the right, starting with the rightmost payload digit.
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) throw new TypeError(`luhnCheckDigit: not a digit string: ${JSON.stringify(digits)}`);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

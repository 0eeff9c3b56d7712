import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  addYears,
  dutchDate,
  luhnCheckDigit,
  makeCardNumber,
  monthsBetween,
  parseCardNumber,
  parseDate,
  parseInstant,
  ParkingRuleViolation,
} from '../../src/domain/index.js';

describe('card numbers', () => {
  it('are NL-<CBS code>-<7-digit serial><Luhn digit>', () => {
    expect(makeCardNumber('Utrecht', 1234)).toBe(`NL-0344-0001234${luhnCheckDigit('03440001234')}`);
    expect(makeCardNumber('Amsterdam', 9_999_999)).toMatch(/^NL-0363-9999999\d$/);
    // Luhn of 7992739871 is 3 (the standard example).
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });

  it('parse with or without dashes, in any case, with spaces', () => {
    const number = makeCardNumber('Utrecht', 42);
    const compact = number.replaceAll('-', '');
    for (const typed of [number, compact, compact.toLowerCase(), ` nl 0344 ${number.slice(8)} `]) {
      expect(parseCardNumber(typed)).toEqual({ cardNumber: number, cbsCode: '0344', serial: 42 });
    }
  });

  it('refuse a wrong check digit, a wrong shape and serials out of range', () => {
    const number = makeCardNumber('Utrecht', 42);
    const wrong = number.slice(0, -1) + String((Number(number.at(-1)) + 1) % 10);
    expect(() => parseCardNumber(wrong)).toThrow(/CARD_NUMBER_MALFORMED: .*check digit/);
    expect(() => parseCardNumber('NL-344-12345678')).toThrow(/CARD_NUMBER_MALFORMED/);
    expect(() => parseCardNumber('DE-0344-12345678')).toThrow(/CARD_NUMBER_MALFORMED/);
    expect(() => parseCardNumber(12345678)).toThrow(/CARD_NUMBER_MALFORMED/);
    expect(() => makeCardNumber('Utrecht', 0)).toThrow(/CARD_SERIAL_OUT_OF_RANGE/);
    expect(() => makeCardNumber('Utrecht', 10_000_000)).toThrow(/CARD_SERIAL_OUT_OF_RANGE/);
    expect(() => makeCardNumber('Utrecht', 1.5)).toThrow(/CARD_SERIAL_OUT_OF_RANGE/);
  });

  it('detect every single mistyped digit and every swap of two different neighbours (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        (serial, pos, delta) => {
          const number = makeCardNumber('Amsterdam', serial);
          const digits = number.slice(8).split('');
          const typo = [...digits];
          typo[pos] = String((Number(typo[pos]) + delta) % 10);
          expect(() => parseCardNumber(`NL-0363-${typo.join('')}`)).toThrow(ParkingRuleViolation);
          if (pos < 7 && digits[pos] !== digits[pos + 1]) {
            const pairs = new Set(['09', '90']);
            if (!pairs.has(`${digits[pos]}${digits[pos + 1]}`)) {
              const swap = [...digits];
              [swap[pos], swap[pos + 1]] = [swap[pos + 1]!, swap[pos]!];
              expect(() => parseCardNumber(`NL-0363-${swap.join('')}`)).toThrow(ParkingRuleViolation);
            }
          }
        },
      ),
    );
  });
});

describe('dates', () => {
  it('parse calendar dates and refuse impossible ones', () => {
    expect(parseDate('2028-02-29', 'd')).toBe('2028-02-29');
    expect(() => parseDate('2027-02-29', 'validUntil')).toThrow(
      /DATE_MALFORMED: validUntil is not a calendar date/,
    );
    expect(() => parseDate('2026-13-01', 'd')).toThrow(/DATE_MALFORMED/);
    expect(() => parseDate('26-01-01', 'd')).toThrow(/DATE_MALFORMED/);
    expect(() => parseDate(20260101, 'd')).toThrow(/DATE_MALFORMED/);
  });

  it('parse RFC 3339 UTC instants with milliseconds only', () => {
    expect(parseInstant('2026-11-28T10:07:29.123Z', 't')).toBe(Date.UTC(2026, 10, 28, 10, 7, 29, 123));
    expect(() => parseInstant('2026-11-28T10:07:29Z', 't')).toThrow(/DATE_MALFORMED/);
    expect(() => parseInstant('2026-11-28T10:07:29.123+01:00', 't')).toThrow(/DATE_MALFORMED/);
    expect(() => parseInstant('2026-02-30T10:07:29.123Z', 't')).toThrow(/DATE_MALFORMED/);
  });

  it('give the Dutch civil day of an instant, across midnight and summer time', () => {
    // Winter (CET, UTC+1): 23:30 UTC is already the next day in Amsterdam.
    expect(dutchDate('2026-01-15T22:59:59.999Z')).toBe('2026-01-15');
    expect(dutchDate('2026-01-15T23:00:00.000Z')).toBe('2026-01-16');
    // Summer (CEST, UTC+2).
    expect(dutchDate('2026-07-15T21:59:59.999Z')).toBe('2026-07-15');
    expect(dutchDate('2026-07-15T22:00:00.000Z')).toBe('2026-07-16');
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    expect(dutchDate('2026-03-28T22:30:00.000Z')).toBe('2026-03-28'); // still CET: 23:30
    expect(dutchDate('2026-03-29T22:30:00.000Z')).toBe('2026-03-30'); // CEST: 00:30
    expect(dutchDate('2026-10-24T22:30:00.000Z')).toBe('2026-10-25'); // CEST: 00:30
    expect(dutchDate('2026-10-25T22:30:00.000Z')).toBe('2026-10-25'); // CET again: 23:30
  });

  it('add years and months, clamping to the end of the month', () => {
    expect(addYears('2026-03-15', 5)).toBe('2031-03-15');
    expect(addYears('2028-02-29', 5)).toBe('2033-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
  });

  it('list the months between two months, bounded', () => {
    expect(monthsBetween('2025-11', '2026-02', 10)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2020-01', '2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02', 10)).toEqual([]);
  });
});

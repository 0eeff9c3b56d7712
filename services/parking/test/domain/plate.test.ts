import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isNormalisedPlate,
  normalisePlate,
  ParkingRuleViolation,
  SIDECODES,
} from '../../src/domain/index.js';

function refusal(input: unknown): ParkingRuleViolation {
  try {
    normalisePlate(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ParkingRuleViolation);
    expect((error as ParkingRuleViolation).rule).toBe('PLATE_MALFORMED');
    return error as ParkingRuleViolation;
  }
  throw new Error(`plate ${String(input)} was accepted`);
}

describe('licence plates', () => {
  it.each([
    ['AB-12-34', 'AB-12-34', 1],
    ['12-34-AB', '12-34-AB', 2],
    ['12-AB-34', '12-AB-34', 3],
    ['AB-12-CD', 'AB-12-CD', 4],
    ['AB-CD-12', 'AB-CD-12', 5],
    ['12-AB-CD', '12-AB-CD', 6],
    ['12-ABC-3', '12-ABC-3', 7],
    ['1-ABC-23', '1-ABC-23', 8],
    ['AB-123-C', 'AB-123-C', 9],
    ['A-123-BC', 'A-123-BC', 10],
    ['ABC-12-D', 'ABC-12-D', 11],
    ['A-12-BCD', 'A-12-BCD', 12],
    ['1-AB-234', '1-AB-234', 13],
    ['123-AB-4', '123-AB-4', 14],
  ])('accepts %s as sidecode %i', (input, plate, sidecode) => {
    expect(normalisePlate(input)).toEqual({ plate, sidecode });
  });

  it('accepts plates without dashes, in lower case and with spaces, and normalises them', () => {
    expect(normalisePlate('gxhr12').plate).toBe('GX-HR-12');
    expect(normalisePlate('99xxx9').plate).toBe('99-XXX-9');
    expect(normalisePlate(' x 999 xx ').plate).toBe('X-999-XX');
    expect(normalisePlate('k-123-bb').plate).toBe('K-123-BB');
  });

  it('refuses a plate with dashes in the wrong places, saying where they belong', () => {
    const error = refusal('AB1-234');
    expect(error.detail).toContain('sidecode 1');
    expect(error.detail).toContain('AB-12-34');
    refusal('A-B12-34');
    refusal('12-34AB');
    refusal('AB--12-34');
  });

  it('refuses a grouping that is no sidecode', () => {
    expect(refusal('ABC123').detail).toContain('XXX999');
    refusal('123456');
    refusal('ABCDEF');
    refusal('A1B2C3');
  });

  it('refuses wrong lengths and characters, and non-strings', () => {
    expect(refusal('AB-12-3').detail).toContain('5 letters and digits');
    refusal('AB-12-345');
    expect(refusal('AB-12-3Ä').detail).toContain('characters');
    refusal('AB_12_34');
    refusal('');
    refusal(123456);
    refusal(undefined);
    refusal('A'.repeat(40));
  });

  it('has 14 sidecodes with distinct letter/digit masks', () => {
    const masks = SIDECODES.map((code) => code.pattern.replaceAll('-', ''));
    expect(new Set(masks).size).toBe(14);
  });

  const letters = fc.constantFrom(...'BDFGHJKLNPRSTVXZ'.split(''));
  const digits = fc.constantFrom(...'0123456789'.split(''));
  const validPlate = fc
    .constantFrom(...SIDECODES)
    .chain((code) =>
      fc
        .tuple(
          ...[...code.pattern].map((symbol) =>
            symbol === 'X' ? letters : symbol === '9' ? digits : fc.constant('-'),
          ),
        )
        .map((chars) => chars.join('')),
    );

  it('normalisation is idempotent and ignores dashes, case and spaces (property)', () => {
    fc.assert(
      fc.property(validPlate, (plate) => {
        const bare = plate.replaceAll('-', '');
        expect(normalisePlate(plate).plate).toBe(plate);
        expect(normalisePlate(bare.toLowerCase()).plate).toBe(plate);
        expect(normalisePlate(` ${bare.slice(0, 3)} ${bare.slice(3)} `).plate).toBe(plate);
        expect(isNormalisedPlate(plate)).toBe(true);
      }),
    );
  });

  it('never accepts a string that is not six letters and digits (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (input) => {
        const chars = input.replace(/[\s-]/g, '');
        if (/^[A-Za-z0-9]{6}$/.test(chars)) return;
        expect(() => normalisePlate(input)).toThrow(ParkingRuleViolation);
      }),
    );
  });
});

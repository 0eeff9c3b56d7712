import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromDbText, toDbText } from '../src/store/db-text.js';

describe('database text escaping of keys and subjects', () => {
  it('round-trips every string and never stores U+0000', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '\\', '0', '\u0000', 'é', '\u{1F600}') }),
        (text) => {
          const stored = toDbText(text);
          expect(stored.includes('\u0000')).toBe(false);
          expect(fromDbText(stored)).toBe(text);
        },
      ),
    );
  });

  it('is injective: distinct strings stay distinct', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('\\', '0', '\u0000') }),
        fc.string({ unit: fc.constantFrom('\\', '0', '\u0000') }),
        (a, b) => {
          fc.pre(a !== b);
          expect(toDbText(a)).not.toBe(toDbText(b));
        },
      ),
    );
  });

  it('leaves ordinary text as it is', () => {
    expect(toDbText('subsidies/grant-42')).toBe('subsidies/grant-42');
  });
});

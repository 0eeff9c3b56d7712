import { describe, expect, it } from 'vitest';
import { isRetryableSubmitCode, RETRYABLE_SUBMIT_CODES, SubmitCode, ValidationCode } from '../src/index.js';

describe('submit codes', () => {
  it('reuse the validation codes where one applies, and add the orderer’s own', () => {
    const validation = new Set<string>(Object.values(ValidationCode));
    const own = Object.values(SubmitCode).filter((code) => !validation.has(code));
    expect(own.sort()).toEqual(
      [
        'CONFIG_NOT_ALLOWED',
        'CONFIG_PENDING',
        'NOT_LEADER',
        'NOT_READY',
        'NO_LEADER',
        'OVERLOADED',
        'TOO_LARGE',
        'TX_TIME_OUT_OF_WINDOW',
        'WRONG_CHANNEL',
      ].sort(),
    );
    for (const [name, code] of Object.entries(SubmitCode)) expect(code).toBe(name);
  });

  it('say "not now" only for the five transient conditions; unknown codes are final', () => {
    expect([...RETRYABLE_SUBMIT_CODES].sort()).toEqual(
      ['CONFIG_PENDING', 'NOT_LEADER', 'NOT_READY', 'NO_LEADER', 'OVERLOADED'].sort(),
    );
    expect(isRetryableSubmitCode('NO_LEADER')).toBe(true);
    expect(isRetryableSubmitCode('DUPLICATE_TXID')).toBe(false);
    expect(isRetryableSubmitCode('SOMETHING_NEW')).toBe(false);
  });
});

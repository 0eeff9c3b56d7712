/** Malformed input throws a typed error naming the field, before anything is read or written. */
import { describe, expect, it } from 'vitest';
import {
  InvalidAmountError,
  InvalidDateError,
  InvalidFieldError,
  InvalidIdentifierError,
  InvalidKvkError,
  InvalidShareError,
  addYears,
  decideGrant,
  isIsoDate,
  isRfc3339,
  NAMESPACE,
  nextDay,
  recordMerger,
  registerScheme,
  registerUndertaking,
} from '../../src/domain/index.js';
import { MemoryLedger } from '@civic/gateway/testing';
import { RVO, UTRECHT, at, eur, nameHash, schemeInput } from './fixtures.js';

const valid = { schemeId: 'rvo-x', kvk: '12345678', amountCents: 100, eligibleCostCents: 200 };

async function decideWith(patch: Record<string, unknown>, txTime = at('2025-01-01')) {
  const ledger = new MemoryLedger(NAMESPACE);
  const tx = ledger.begin(RVO, txTime);
  const run = decideGrant(tx, { ...valid, ...patch });
  return { run, tx };
}

describe('amounts are positive integer cents below 2^53', () => {
  it.each([
    [0, 'must be positive'],
    [-1, 'must be positive'],
    [12.5, 'integer number of euro cents'],
    ['100', 'integer number of euro cents'],
    [2 ** 53, 'below 2^53'],
    [Number.NaN, 'integer number of euro cents'],
  ])('%s is refused', async (amountCents, reason) => {
    const { run, tx } = await decideWith({ amountCents });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAmountError);
    expect((error as InvalidAmountError).name).toBe('InvalidAmountError');
    expect((error as InvalidAmountError).field).toBe('input.amountCents');
    expect((error as Error).message).toContain(reason);
    expect(tx.reads.size + tx.writes.size).toBe(0);
  });
});

describe('other fields', () => {
  it.each([
    [{ kvk: '1234567' }, InvalidKvkError, 'input.kvk'],
    [{ kvk: '1234567a' }, InvalidKvkError, 'input.kvk'],
    [{ kvk: 12345678 }, InvalidKvkError, 'input.kvk'],
    [{ schemeId: 'RVO X' }, InvalidIdentifierError, 'input.schemeId'],
    [{ eligibleCostCents: 0 }, InvalidAmountError, 'input.eligibleCostCents'],
    [{ applicationId: '' }, InvalidIdentifierError, 'input.applicationId'],
  ] as const)('%j is refused', async (patch, type, field) => {
    const { run, tx } = await decideWith(patch);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as { field: string }).field).toBe(field);
    expect(tx.reads.size).toBe(0);
  });

  it('refuses a malformed transaction time', async () => {
    for (const txTime of ['2025-01-01T12:00:00Z', '2025-02-30T12:00:00.000Z', '2025-01-01 12:00:00.000Z']) {
      const { run } = await decideWith({}, txTime);
      await expect(run).rejects.toBeInstanceOf(InvalidDateError);
    }
  });

  it('refuses bad scheme terms', async () => {
    const ledger = new MemoryLedger(NAMESPACE);
    const bad = async (patch: object) =>
      registerScheme(ledger.begin(RVO, at('2025-01-01')), { ...schemeInput('rvo-x'), ...patch }).catch(
        (e: unknown) => e,
      );
    expect(await bad({ shareBasisPoints: 0 })).toBeInstanceOf(InvalidShareError);
    expect(await bad({ shareBasisPoints: 10_001 })).toBeInstanceOf(InvalidShareError);
    expect(await bad({ shareBasisPoints: 50.5 })).toBeInstanceOf(InvalidShareError);
    expect(await bad({ deMinimis: 'TRANSPORT' })).toBeInstanceOf(InvalidFieldError);
    expect(await bad({ endorsement: { thresholdCents: eur(1), coEndorser: RVO } })).toBeInstanceOf(
      InvalidFieldError,
    );
    expect(await bad({ endorsement: { thresholdCents: -1, coEndorser: UTRECHT } })).toBeInstanceOf(
      InvalidAmountError,
    );
    expect(await bad({ title: '' })).toBeInstanceOf(InvalidFieldError);
    const ok = await registerScheme(ledger.begin(RVO, at('2025-01-01')), {
      ...schemeInput('rvo-x'),
      endorsement: { thresholdCents: 0, coEndorser: UTRECHT },
    });
    expect(ok.ok).toBe(true);
  });

  it('refuses a name hash that is not a SHA-256 and a merger list out of bounds', async () => {
    const ledger = new MemoryLedger(NAMESPACE);
    const tx = ledger.begin(RVO, at('2025-01-01'));
    await expect(registerUndertaking(tx, { kvk: '12345678', privateDataHash: 'abc' })).rejects.toBeInstanceOf(
      InvalidFieldError,
    );
    await expect(
      recordMerger(tx, { survivingKvk: '12345678', mergedKvks: [], effectiveDate: '2025-01-01' }),
    ).rejects.toBeInstanceOf(InvalidFieldError);
    await expect(
      recordMerger(tx, { survivingKvk: '12345678', mergedKvks: ['23456789'], effectiveDate: '2025-13-01' }),
    ).rejects.toBeInstanceOf(InvalidDateError);
    expect(tx.writes.size).toBe(0);
    expect((await registerUndertaking(tx, { kvk: '12345678', privateDataHash: nameHash('x') })).ok).toBe(
      true,
    );
    expect(tx.privateHashes).toEqual([{ collection: 'undertakings', key: '12345678', hash: nameHash('x') }]);
  });
});

describe('dates', () => {
  it('checks calendar dates and contract times', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-04-31')).toBe(false);
    expect(isRfc3339('2026-11-28T10:07:29.123Z')).toBe(true);
    expect(isRfc3339('2026-11-28T24:07:29.123Z')).toBe(false);
  });

  it('moves by years with 29 February clamped, and steps days over month and year ends', () => {
    expect(addYears('2024-02-29', -3)).toBe('2021-02-28');
    expect(addYears('2027-02-28', -3)).toBe('2024-02-28');
    expect(addYears('2025-06-01', -3)).toBe('2022-06-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2025-02-28')).toBe('2025-03-01');
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
  });
});

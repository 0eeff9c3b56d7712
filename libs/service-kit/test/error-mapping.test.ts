/** The mapping of gateway and HTTP-layer failures to REST answers (error-mapping.ts's table). */
import { HttpException, NotFoundException } from '@nestjs/common';
import {
  CommitFailedError,
  CommitTimeoutError,
  EndorsementRefusedError,
  EndorserUnavailableError,
  PeerQueryError,
  SubmitRejectedError,
} from '@civic/gateway';
import { describe, expect, it } from 'vitest';
import { ApiError, createErrorMapping } from '../src/index.js';

const mapping = createErrorMapping({
  violation: (violation, refusedBy) => {
    const rule = (violation as { rule?: string }).rule;
    return rule === undefined
      ? null
      : new ApiError(409, { code: rule, rule, message: `${refusedBy}'s endorser refused`, refusedBy });
  },
});

const answer = (error: unknown) => {
  const api = mapping(error);
  return { status: api.status, ...api.body };
};

describe('createErrorMapping', () => {
  it('maps an endorser’s rule refusal through the service’s violation mapper', () => {
    const error = new EndorsementRefusedError('Assessor', 'NO_POSITIVE_ASSESSMENT', 'no', {
      rule: 'NO_POSITIVE_ASSESSMENT',
    });
    expect(answer(error)).toEqual({
      status: 409,
      code: 'NO_POSITIVE_ASSESSMENT',
      rule: 'NO_POSITIVE_ASSESSMENT',
      message: "Assessor's endorser refused",
      refusedBy: 'Assessor',
    });
  });

  it('maps endorser infrastructure refusals by code', () => {
    expect(answer(new EndorsementRefusedError('Assessor', 'STATE_DIFFERS', 'newer')).status).toBe(409);
    expect(answer(new EndorsementRefusedError('Assessor', 'BAD_REQUEST', 'bad')).status).toBe(400);
    expect(answer(new EndorsementRefusedError('Assessor', 'OVERLOADED', 'busy'))).toMatchObject({
      status: 502,
      code: 'OVERLOADED',
      refusedBy: 'Assessor',
    });
    expect(answer(new EndorserUnavailableError('Assessor', 'no answer'))).toMatchObject({
      status: 503,
      code: 'ENDORSER_UNAVAILABLE',
    });
  });

  it('maps commit outcomes, keeping the txId to look it up', () => {
    const txId = 'ab'.repeat(32);
    expect(answer(new CommitFailedError(txId, 'MVCC_READ_CONFLICT', 7, 6))).toMatchObject({
      status: 409,
      txId,
    });
    expect(answer(new CommitFailedError(txId, 'ENDORSEMENT_POLICY_FAILURE', 7, 1)).status).toBe(502);
    expect(answer(new CommitTimeoutError(txId, 30_000))).toMatchObject({
      status: 504,
      code: 'COMMIT_TIMEOUT',
      txId,
    });
    expect(answer(new SubmitRejectedError(txId, 'MALFORMED', 'bad'))).toMatchObject({
      status: 502,
      code: 'MALFORMED',
    });
    expect(answer(new PeerQueryError('utrecht-peer', 'state', 'timeout'))).toMatchObject({
      status: 503,
      code: 'LEDGER_UNAVAILABLE',
    });
  });

  it('keeps ApiErrors, maps Nest exceptions by status and hides anything else', () => {
    const own = new ApiError(422, { code: 'X', message: 'x' });
    expect(mapping(own)).toBe(own);
    expect(answer(new NotFoundException('Cannot GET /x'))).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /x',
    });
    expect(answer(new HttpException('teapot', 418))).toMatchObject({ status: 418, code: 'HTTP_ERROR' });
    expect(answer(new TypeError('x is undefined'))).toEqual({
      status: 500,
      code: 'INTERNAL',
      message: 'internal error',
    });
    expect(mapping(new TypeError('boom')).cause).toBeInstanceOf(TypeError);
  });
});

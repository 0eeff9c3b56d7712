import type { ChannelConfig } from '@civic/identity';
import {
  canonicalBytes,
  createEnvelope,
  createPayload,
  serializeEnvelope,
  SubmitCode,
  txIdOf,
  utf8Bytes,
  type Envelope,
} from '@civic/protocol';
import { describe, expect, it } from 'vitest';
import { checkSubmission, type IntakeContext } from '../src/intake/check-envelope.js';
import {
  configUpdateEnvelope,
  createTestNetwork,
  makeEnvelope,
  MAJORITY_ADMINS,
} from '../src/testing/network.js';

const net = createTestNetwork({ channel: 'intake' });
const NOW = Date.now();
const ctx: IntakeContext = {
  channel: 'intake',
  config: net.config,
  configNumber: 0,
  nowMs: NOW,
  txWindowMs: 600_000,
};
const utrecht = net.identity('utrecht-parking');

function code(bytes: Uint8Array, context: IntakeContext = ctx): string {
  const verdict = checkSubmission(bytes, context);
  return verdict.ok ? 'ACCEPTED' : verdict.rejection.code;
}

const envelopeBytes = (e: Envelope) => serializeEnvelope(e);

describe('intake checks', () => {
  it('accepts a well-formed envelope by a writer, in canonical or any other JSON spelling', () => {
    const envelope = makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW });
    const canonical = checkSubmission(envelopeBytes(envelope), ctx);
    expect(canonical.ok && canonical.checked.txId).toBe(txIdOf(envelope.payload));
    const pretty = checkSubmission(utf8Bytes(JSON.stringify(envelope, null, 2)), ctx);
    expect(pretty.ok && pretty.checked.bytes).toEqual(envelopeBytes(envelope));
  });

  it('refuses malformed JSON and envelopes outside the schema', () => {
    expect(code(utf8Bytes('{"payload":'))).toBe(SubmitCode.MALFORMED);
    expect(code(utf8Bytes('[]'))).toBe(SubmitCode.MALFORMED);
    const envelope = makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW });
    expect(code(canonicalBytes({ ...envelope, extra: 1 }))).toBe(SubmitCode.MALFORMED);
    expect(code(canonicalBytes({ ...envelope, signature: 'zz' }))).toBe(SubmitCode.MALFORMED);
  });

  it('refuses an envelope over the config size limit before parsing it', () => {
    const envelope = makeEnvelope(utrecht, {
      channel: 'intake',
      txTimeMs: NOW,
      value: { blob: 'x'.repeat(5000) },
    });
    const small: IntakeContext = {
      ...ctx,
      config: {
        ...net.config,
        batch: { ...net.config.batch, absoluteMaxBytes: 4096, preferredMaxBytes: 4096 },
      },
    };
    expect(code(envelopeBytes(envelope), small)).toBe(SubmitCode.TOO_LARGE);
    expect(code(new Uint8Array(5000).fill(0x20), small)).toBe(SubmitCode.TOO_LARGE);
  });

  it('refuses a wrong signature, a signature by another key, and another channel', () => {
    const envelope = makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW });
    const flipped = envelope.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(code(canonicalBytes({ ...envelope, signature: flipped }))).toBe(SubmitCode.BAD_SIGNATURE);
    const other = makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW });
    expect(code(canonicalBytes({ ...envelope, signature: other.signature }))).toBe(SubmitCode.BAD_SIGNATURE);
    expect(code(envelopeBytes(makeEnvelope(utrecht, { channel: 'elsewhere', txTimeMs: NOW })))).toBe(
      SubmitCode.WRONG_CHANNEL,
    );
  });

  it('refuses unknown organisations, expired and revoked certificates', () => {
    expect(code(envelopeBytes(makeEnvelope(net.outsider, { channel: 'intake', txTimeMs: NOW })))).toBe(
      SubmitCode.UNKNOWN_IDENTITY,
    );
    // A Utrecht certificate presented as RVO's does not chain to RVO's root.
    const claimed = createPayload({
      channel: 'intake',
      namespace: 'parking',
      action: 'x',
      txTime: NOW,
      creator: { mspId: 'RVO', cert: utrecht.cert },
      reads: [],
      writes: [{ key: 'a', value: 1 }],
      event: { type: 't', data: {} },
    });
    expect(code(envelopeBytes(createEnvelope(claimed, utrecht.key)))).toBe(SubmitCode.UNKNOWN_IDENTITY);
    const expired = checkSubmission(
      envelopeBytes(makeEnvelope(net.expired, { channel: 'intake', txTimeMs: NOW })),
      ctx,
    );
    expect(!expired.ok && expired.rejection).toMatchObject({
      code: SubmitCode.EXPIRED_IDENTITY,
      reason: expect.stringMatching(/expired/),
    });
    const revoked = checkSubmission(
      envelopeBytes(makeEnvelope(net.identity('utrecht-revoked'), { channel: 'intake', txTimeMs: NOW })),
      ctx,
    );
    expect(!revoked.ok && revoked.rejection).toMatchObject({
      code: SubmitCode.EXPIRED_IDENTITY,
      reason: expect.stringMatching(/revoked/),
    });
  });

  it('refuses a namespace the creator may not write, an unknown one, and plain writes to config', () => {
    expect(
      code(envelopeBytes(makeEnvelope(net.identity('rvo-subsidies'), { channel: 'intake', txTimeMs: NOW }))),
    ).toBe(SubmitCode.WRITER_NOT_ALLOWED);
    expect(
      code(envelopeBytes(makeEnvelope(utrecht, { channel: 'intake', namespace: 'nowhere', txTimeMs: NOW }))),
    ).toBe(SubmitCode.WRITER_NOT_ALLOWED);
  });

  it('refuses a txTime outside the window on either side', () => {
    expect(code(envelopeBytes(makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW - 600_001 })))).toBe(
      SubmitCode.TX_TIME_OUT_OF_WINDOW,
    );
    expect(code(envelopeBytes(makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW + 600_001 })))).toBe(
      SubmitCode.TX_TIME_OUT_OF_WINDOW,
    );
    expect(code(envelopeBytes(makeEnvelope(utrecht, { channel: 'intake', txTimeMs: NOW + 599_000 })))).toBe(
      'ACCEPTED',
    );
  });

  describe('config transactions', () => {
    const next: ChannelConfig = {
      ...net.config,
      sequence: 1,
      batch: { ...net.config.batch, maxMessageCount: 100 },
    };
    const update = (admins: readonly string[], config = next, readVersion: string | null = '0:0') =>
      envelopeBytes(configUpdateEnvelope(net, config, { admins, readVersion, txTimeMs: NOW }));

    it('accepts an update signed by a majority of admins, and hands back the next config', () => {
      const verdict = checkSubmission(update(MAJORITY_ADMINS), ctx);
      expect(verdict.ok && verdict.checked.nextConfig?.batch.maxMessageCount).toBe(100);
    });
    it('refuses one the admins policy does not allow', () => {
      expect(code(update(MAJORITY_ADMINS.slice(0, 2)))).toBe(SubmitCode.CONFIG_NOT_ALLOWED);
    });
    it('refuses an invalid successor and a stale read version', () => {
      expect(code(update(MAJORITY_ADMINS, { ...next, sequence: 2 }))).toBe(SubmitCode.INVALID_CONFIG);
      expect(code(update(MAJORITY_ADMINS, next, '3:0'))).toBe(SubmitCode.INVALID_CONFIG);
      const twoGone = { ...next, consenters: next.consenters.slice(0, 1) };
      expect(code(update(MAJORITY_ADMINS, twoGone))).toBe(SubmitCode.INVALID_CONFIG);
    });
  });
});

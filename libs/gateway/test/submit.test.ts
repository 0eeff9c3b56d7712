/** submitEnvelope against the real NATS with scripted responders on the submit subject. */
import { serveJson, type Subscriber } from '@civic/messaging';
import { createEnvelope, createPayload, txIdOf, type Envelope, type SubmitReply } from '@civic/protocol';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import { testDevNetwork } from '@civic/testkit/stub-network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubmitRejectedError, SubmitUnavailableError, submitEnvelope } from '../src/index.js';

let channel: TestChannel;
let envelope: Envelope;
let txId: string;

beforeAll(async () => {
  channel = await createTestChannel();
  const signer = testDevNetwork(channel.channel).signer('rvo-subsidies');
  const payload = createPayload({
    channel: channel.channel,
    namespace: 'subsidies',
    action: 'grant',
    txTime: Date.now(),
    creator: { mspId: signer.mspId, cert: signer.cert },
    reads: [],
    writes: [{ key: 'k', value: 1 }],
    event: { type: 'k.set', data: {} },
  });
  envelope = createEnvelope(payload, signer.key);
  txId = txIdOf(payload);
});
afterAll(() => channel?.cleanup());

const options = (subject: string, retries: string[] = []) => ({
  nc: channel.nc,
  subject,
  timeoutMs: 300,
  attemptsMax: 4,
  backoffMs: 10,
  backoffMaxMs: 40,
  random: () => 0.5,
  onRetry: (attempt: number, reason: string) => void retries.push(`${attempt}: ${reason}`),
});

async function withResponder<T>(
  subject: string,
  replies: (n: number) => SubmitReply,
  run: () => Promise<T>,
): Promise<T> {
  let n = 0;
  const server: Subscriber = serveJson<unknown, SubmitReply>(channel.nc, subject, {}, () => replies(n++));
  try {
    return await run();
  } finally {
    await server.stop();
  }
}

describe('submitEnvelope', () => {
  it('with no orderer listening: every attempt is made, then SubmitUnavailableError names why', async () => {
    const retries: string[] = [];
    const error = await submitEnvelope(
      envelope,
      txId,
      options(`${channel.subjects.txSubmit}.none`, retries),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubmitUnavailableError);
    expect(error).toMatchObject({ attempts: 4, txId });
    expect((error as Error).message).toMatch(/no responders|NoResponders/i);
    expect(retries).toHaveLength(4);
  });

  it('resends after CONFIG_PENDING and NOT_LEADER; DUPLICATE_TXID after a resend means it got through', async () => {
    const subject = `${channel.subjects.txSubmit}.dup`;
    const codes = ['CONFIG_PENDING', 'NOT_LEADER', 'DUPLICATE_TXID'];
    const result = await withResponder(
      subject,
      (n) => ({ status: 'REJECTED', code: codes[n]!, reason: 'scripted', txId }),
      () => submitEnvelope(envelope, txId, options(subject)),
    );
    expect(result).toEqual({ txId, attempts: 3, alreadySubmitted: true });
  });

  it('a refusal no resend can fix is SubmitRejectedError with the code, after one attempt', async () => {
    const subject = `${channel.subjects.txSubmit}.bad`;
    const retries: string[] = [];
    const error = await withResponder(
      subject,
      () => ({
        status: 'REJECTED',
        code: 'BAD_SIGNATURE',
        reason: 'creator signature does not verify',
        txId,
      }),
      () => submitEnvelope(envelope, txId, options(subject, retries)).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(SubmitRejectedError);
    expect(error).toMatchObject({ code: 'BAD_SIGNATURE', reason: 'creator signature does not verify' });
    expect(retries).toEqual([]);
  });
});

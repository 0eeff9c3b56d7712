/**
 * The gateway against the real NATS server, a stand-in orderer that cuts signed blocks, and two
 * peers running libs/ledger's real validation and commit over PGlite: RVO and Utrecht, each
 * with its own gateway, key and peer.
 */
import { createTestChannel, type TestChannel } from '@civic/testkit';
import { parseEnvelope, txIdOf } from '@civic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EndorsementRefusedError,
  EndorserUnavailableError,
  Gateway,
  PolicyUnsatisfiableError,
  SubmitRejectedError,
  type EndorsementLogic,
} from '../src/index.js';
import { add, NAMESPACE, type AddInput } from './support/counter.js';
import { LedgerPeer, StubOrderer, testDevNetwork, type TestDevNetwork } from '@civic/testkit/stub-network';

let channel: TestChannel;
let net: TestDevNetwork;
let orderer: StubOrderer;
let rvoPeer: LedgerPeer;
let utrechtPeer: LedgerPeer;
let rvo: Gateway;
let utrecht: Gateway;
let utrechtCommitDelayMs = 0;
let rvoCommitDelayMs = 0;
let utrechtExtraRule: ((input: AddInput) => string | null) | null = null;

const fastBounds = {
  submitTimeoutMs: 500,
  submitBackoffMs: 20,
  commitPollMs: 200,
  minHeightWaitMs: 3_000,
  endorseTimeoutMs: 5_000,
};

beforeAll(async () => {
  channel = await createTestChannel();
  net = testDevNetwork(channel.channel);
  orderer = await StubOrderer.start({
    nc: channel.nc,
    js: channel.js,
    channel: channel.channel,
    genesis: net.genesis,
    consenter: net.consenter,
    batchMs: 60,
  });
  const peerOptions = { nc: channel.nc, js: channel.js, channel: channel.channel, genesis: net.genesis };
  rvoPeer = await LedgerPeer.start({
    ...peerOptions,
    peerId: 'rvo-peer',
    signer: net.signer('rvo-peer'),
    commitDelayMs: () => rvoCommitDelayMs,
  });
  utrechtPeer = await LedgerPeer.start({
    ...peerOptions,
    peerId: 'utrecht-peer',
    signer: net.signer('utrecht-peer'),
    commitDelayMs: () => utrechtCommitDelayMs,
  });
  rvo = new Gateway({
    channel: channel.channel,
    nc: channel.nc,
    signer: net.signer('rvo-subsidies'),
    peerId: 'rvo-peer',
    bounds: fastBounds,
  });
  utrecht = new Gateway({
    channel: channel.channel,
    nc: channel.nc,
    signer: net.signer('utrecht-subsidies'),
    peerId: 'utrecht-peer',
    bounds: fastBounds,
  });
  // Utrecht endorses the counter, with one extra rule of its own when a test sets it.
  const logic: EndorsementLogic = async (ctx, input) => {
    const extra = utrechtExtraRule?.(input as AddInput) ?? null;
    if (extra !== null)
      return {
        ok: false,
        violation: { rule: 'UTRECHT_RULE', message: extra, figures: { amount: (input as AddInput).amount } },
      };
    return add(ctx, input as AddInput);
  };
  utrecht.serveEndorsements({
    namespaces: [NAMESPACE],
    logicFor: (ns, action) => (ns === NAMESPACE && action.startsWith('grant') ? logic : undefined),
  });
  // Utrecht also runs a service of another namespace on the same `.endorse.Utrecht` subject
  // (as it runs subsidies and parking): it must never take this namespace's requests.
  utrecht.serveEndorsements({ namespaces: ['elsewhere'], logicFor: () => undefined });
  await rvo.watcher.waitForHeight(0, 10_000);
  await utrecht.watcher.waitForHeight(0, 10_000);
});

afterAll(async () => {
  await rvo?.close();
  await utrecht?.close();
  await orderer?.stop();
  await rvoPeer?.stop();
  await utrechtPeer?.stop();
  await channel?.cleanup();
});

const addRequest = (input: AddInput, endorsed = false) => ({
  namespace: NAMESPACE,
  action: endorsed ? 'grant-endorsed' : 'grant',
  input,
  logic: add,
  ...(endorsed ? { endorsers: ['Utrecht'] } : {}),
});

describe('submit', () => {
  it('commits a transaction built on the own peer and returns its block; the peer has the write and its history', async () => {
    const outcome = await rvo.submit(addRequest({ key: 'a', amount: 5, limit: 100 }));
    expect(outcome.status).toBe('COMMITTED');
    if (outcome.status !== 'COMMITTED') return;
    expect(outcome.value).toEqual({ total: 5 });
    expect(outcome.attempts).toBe(1);
    expect(outcome.endorsedBy).toEqual([]);
    expect(await rvo.reader(NAMESPACE).get('counter/a')).toBe(5);
    const [entry] = (await rvo.peer.history(NAMESPACE, 'counter/a', { limit: 10 })).entries;
    expect(entry).toMatchObject({
      block: outcome.block,
      txId: outcome.txId,
      creatorMspId: 'RVO',
      value: 5,
      deleted: false,
    });
    expect(await rvo.peer.tx(outcome.txId)).toMatchObject({ block: outcome.block, code: 'VALID' });
  });

  it('returns the logic refusal with its figures and submits nothing', async () => {
    const before = orderer.submissions.length;
    const outcome = await rvo.submit(addRequest({ key: 'b', amount: 101, limit: 100 }));
    expect(outcome).toEqual({
      status: 'REFUSED',
      attempts: 1,
      violation: expect.objectContaining({
        rule: 'LIMIT',
        figures: { limit: 100, used: 0, requested: 101, left: 100 },
      }),
    });
    expect(orderer.submissions.length).toBe(before);
  });

  it('collects the endorsement the policy names; the envelope in the block carries it', async () => {
    const outcome = await rvo.submit(addRequest({ key: 'c', amount: 7, limit: 100 }, true));
    expect(outcome.status).toBe('COMMITTED');
    if (outcome.status !== 'COMMITTED') return;
    expect(outcome.endorsedBy).toEqual(['Utrecht']);
    expect(outcome.action).toBe('grant-endorsed');
    const block = orderer.blocks.find((b) => b.header.number === outcome.block)!;
    const envelope = block.envelopes
      .map((e) => parseEnvelope(e))
      .find((e) => txIdOf(e.payload) === outcome.txId)!;
    expect(envelope.endorsements.map((e) => e.mspId)).toEqual(['Utrecht']);
  });

  it("reaches the organisation's service of the transaction's namespace, never its other services", async () => {
    // With one shared queue group about half of these would land on the 'elsewhere' service.
    for (let i = 0; i < 6; i++) {
      const outcome = await rvo.submit(addRequest({ key: `ns-${i}`, amount: 1, limit: 100 }, true));
      expect(outcome.status, `submit ${i}`).toBe('COMMITTED');
    }
  });

  it("passes the endorser's refusal, code and figures to the caller", async () => {
    utrechtExtraRule = (input) =>
      input.amount > 50 ? `Utrecht co-finances at most 50, not ${input.amount}` : null;
    try {
      const error = await rvo
        .submit(addRequest({ key: 'd', amount: 60, limit: 100 }, true))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EndorsementRefusedError);
      expect(error).toMatchObject({
        mspId: 'Utrecht',
        code: 'UTRECHT_RULE',
        reason: 'Utrecht co-finances at most 50, not 60',
        violation: { figures: { amount: 60 } },
      });
    } finally {
      utrechtExtraRule = null;
    }
  });

  it('an endorser whose own state breaks the rule refuses with the rule and its figures', async () => {
    // Utrecht's own decision fills the counter; RVO's peer has not committed it yet when RVO
    // decides, so RVO's logic accepts and Utrecht's endorser, on its own state, refuses.
    rvoCommitDelayMs = 1_500;
    try {
      await utrecht.submit(addRequest({ key: 'e', amount: 90, limit: 100 }));
      const error = await rvo
        .submit(addRequest({ key: 'e', amount: 20, limit: 100 }, true))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EndorsementRefusedError);
      expect(error).toMatchObject({
        mspId: 'Utrecht',
        code: 'LIMIT',
        reason: 'limit 100 would be exceeded: 90 used, 20 requested, 10 left',
        violation: { figures: { limit: 100, used: 90, requested: 20, left: 10 } },
      });
    } finally {
      rvoCommitDelayMs = 0;
    }
  });

  it('an endorser that accepts on newer state (STATE_DIFFERS) makes the creator rebuild on that state, then sign', async () => {
    // Utrecht writes the key; RVO's peer has not committed it yet when RVO reads, so RVO's read
    // version is older than Utrecht's: Utrecht's endorser accepts the amount but refuses to sign
    // different reads; RVO waits for its peer, rebuilds and gets the endorsement.
    rvoCommitDelayMs = 800;
    try {
      await utrecht.submit(addRequest({ key: 'sd', amount: 10, limit: 100 }));
      const outcome = await rvo.submit(addRequest({ key: 'sd', amount: 5, limit: 100 }, true));
      expect(outcome).toMatchObject({
        status: 'COMMITTED',
        attempts: 2,
        value: { total: 15 },
        endorsedBy: ['Utrecht'],
      });
    } finally {
      rvoCommitDelayMs = 0;
    }
  });

  it("an endorser behind the creator's state waits for its peer, then endorses", async () => {
    utrechtCommitDelayMs = 400;
    try {
      const first = await rvo.submit(addRequest({ key: 'f', amount: 1, limit: 100 }));
      expect(first.status).toBe('COMMITTED');
      const second = await rvo.submit(addRequest({ key: 'f', amount: 1, limit: 100 }, true));
      expect(second).toMatchObject({ status: 'COMMITTED', value: { total: 2 }, endorsedBy: ['Utrecht'] });
    } finally {
      utrechtCommitDelayMs = 0;
    }
  });

  it('two authorities at once near the limit: exactly one commits, the other is rebuilt after MVCC_READ_CONFLICT and refused', async () => {
    await rvo.submit(addRequest({ key: 'g', amount: 80, limit: 100 }));
    await utrecht.watcher.waitForHeight(rvo.watcher.knownHeight, 5_000);
    orderer.holdFor = 2; // both built on the same state land in one block
    const [a, b] = await Promise.all([
      rvo.submit(addRequest({ key: 'g', amount: 15, limit: 100 })),
      utrecht.submit(addRequest({ key: 'g', amount: 15, limit: 100 })),
    ]).finally(() => (orderer.holdFor = null));
    const outcomes = [a, b];
    expect(outcomes.filter((o) => o.status === 'COMMITTED')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'REFUSED')!;
    expect(refused).toMatchObject({
      attempts: 2,
      violation: { rule: 'LIMIT', figures: { used: 95, requested: 15, left: 5 } },
    });
    expect(await rvo.reader(NAMESPACE).get('counter/g')).toBe(95);
  });

  it('sends the same envelope again after NO_LEADER and a lost reply; it commits once', async () => {
    const start = orderer.submissions.length;
    orderer.script = (n) =>
      n === start
        ? { status: 'REJECTED', code: 'NO_LEADER', reason: 'election' }
        : n === start + 1
          ? 'silent'
          : null;
    try {
      const outcome = await rvo.submit(addRequest({ key: 'h', amount: 3, limit: 100 }));
      expect(outcome.status).toBe('COMMITTED');
      if (outcome.status !== 'COMMITTED') return;
      const sent = orderer.submissions.slice(start);
      expect(sent).toEqual([outcome.txId, outcome.txId, outcome.txId]);
      expect(await rvo.reader(NAMESPACE).get('counter/h')).toBe(3);
    } finally {
      orderer.script = null;
    }
  });

  it('fails with the code when the orderers reject for good', async () => {
    orderer.script = () => ({ status: 'REJECTED', code: 'WRITER_NOT_ALLOWED', reason: 'not a writer' });
    try {
      const error = await rvo
        .submit(addRequest({ key: 'i', amount: 1, limit: 100 }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SubmitRejectedError);
      expect(error).toMatchObject({ code: 'WRITER_NOT_ALLOWED', reason: 'not a writer' });
    } finally {
      orderer.script = null;
    }
  });

  it('says when no endorser of an organisation listens', async () => {
    const error = await rvo
      .submit({ ...addRequest({ key: 'j', amount: 1, limit: 100 }, true), endorsers: ['Amsterdam'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndorserUnavailableError);
    expect((error as Error).message).toMatch(/Amsterdam: no endorser is listening/);
  });

  it('refuses before submitting when the named endorsers cannot satisfy the policy', async () => {
    const before = orderer.submissions.length;
    const error = await rvo
      .submit({ ...addRequest({ key: 'k', amount: 1, limit: 100 }, true), endorsers: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyUnsatisfiableError);
    expect((error as Error).message).toMatch(/OutOf\(2/);
    expect(orderer.submissions.length).toBe(before);
  });
});

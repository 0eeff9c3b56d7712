import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfChange, Entry, Message } from '../src/index.js';
import {
  CodecError,
  decodeConfChange,
  decodeMessage,
  encodeConfChange,
  encodeMessage,
  ENTRY_OVERHEAD_BYTES,
  InvalidMessageError,
  makeMessage,
  MESSAGE_HEADER_MAX_BYTES,
  MessageType,
} from '../src/index.js';

const nodeId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/);
const count = fc.oneof(
  fc.nat(1000),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 0, max: 2 ** 40 }),
);

const message: fc.Arbitrary<Message> = fc
  .record({
    type: fc.constantFrom(...Object.values(MessageType)),
    from: nodeId,
    to: nodeId,
    term: fc.integer({ min: 1, max: 2 ** 40 }),
    index: fc.integer({ min: 0, max: 2 ** 40 }),
    commit: count,
    reject: fc.boolean(),
    rejectHint: count,
    leaderTransfer: fc.boolean(),
    entryData: fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 5 }),
    confChange: fc.boolean(),
    snapshot: fc.option(
      fc.record({
        index: fc.integer({ min: 1, max: 2 ** 40 }),
        term: fc.integer({ min: 1, max: 2 ** 40 }),
        voters: fc.array(nodeId, { maxLength: 5 }),
        learners: fc.array(nodeId, { maxLength: 3 }),
        data: fc.uint8Array({ maxLength: 128 }),
      }),
      { nil: null },
    ),
  })
  .map((r) => {
    const entries: Entry[] = r.entryData.map((data, i) => ({
      index: r.index + 1 + i,
      term: r.term,
      type: r.confChange ? 'confChange' : 'normal',
      data,
    }));
    const isSnap = r.type === MessageType.Snap;
    const snapshot =
      isSnap || r.snapshot !== null
        ? (r.snapshot ?? { index: 1, term: 1, voters: [], learners: [], data: new Uint8Array() })
        : null;
    return makeMessage({
      type: r.type,
      from: r.from,
      to: r.to,
      term: r.term,
      logTerm: r.term,
      index: r.index,
      entries,
      commit: r.commit,
      reject: r.reject,
      rejectHint: r.rejectHint,
      leaderTransfer: r.leaderTransfer,
      snapshot:
        snapshot === null
          ? null
          : {
              metadata: {
                index: snapshot.index,
                term: snapshot.term,
                confState: { voters: snapshot.voters, learners: snapshot.learners },
              },
              data: snapshot.data,
            },
    });
  });

describe('binary message codec', () => {
  it('round-trips every message (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeMessage(m);
        expect(decodeMessage(bytes)).toEqual(m);
        // The size bound the driver relies on to stay under the NATS payload limit.
        const entryBytes = m.entries.reduce((sum, e) => sum + e.data.length + ENTRY_OVERHEAD_BYTES, 0);
        const snap =
          m.snapshot === null
            ? 0
            : m.snapshot.data.length +
              16 +
              66 *
                (m.snapshot.metadata.confState.voters.length + m.snapshot.metadata.confState.learners.length);
        expect(bytes.length).toBeLessThanOrEqual(MESSAGE_HEADER_MAX_BYTES + entryBytes + snap);
      }),
      { numRuns: 300 },
    );
  });

  it('is compact: a 1 MiB entry costs a few bytes more than its data', () => {
    const data = new Uint8Array(1024 * 1024).fill(7);
    const m = makeMessage({
      type: MessageType.App,
      from: 'orderer1',
      to: 'orderer2',
      term: 3,
      index: 9,
      logTerm: 3,
      entries: [{ index: 10, term: 3, type: 'normal', data }],
    });
    expect(encodeMessage(m).length - data.length).toBeLessThan(40);
  });

  it('refuses damaged input with a CodecError that says what is wrong', () => {
    const good = encodeMessage(
      makeMessage({ type: MessageType.Heartbeat, from: 'a', to: 'b', term: 2, commit: 5 }),
    );
    const cases: [Uint8Array, RegExp][] = [
      [good.slice(0, good.length - 1), /truncated/],
      [Uint8Array.of(...good, 0), /trailing/],
      [Uint8Array.of(0x00, ...good.slice(1)), /magic/],
      [Uint8Array.of(good[0] as number, 9, ...good.slice(2)), /version/],
      [Uint8Array.of(...good.slice(0, 2), 200, ...good.slice(3)), /type/],
      [new Uint8Array(), /truncated/],
    ];
    for (const [bytes, pattern] of cases) {
      expect(() => decodeMessage(bytes)).toThrow(CodecError);
      expect(() => decodeMessage(bytes)).toThrow(pattern);
    }
    // A well-formed encoding of an invalid message: caught by validation.
    const bad = encodeMessage({
      ...makeMessage({ type: MessageType.Heartbeat, from: 'a', to: 'b', term: 2 }),
      from: 'A B',
    });
    expect(() => decodeMessage(bad)).toThrow(InvalidMessageError);
  });

  it('refuses non-minimal and oversized varints', () => {
    const m = encodeMessage(makeMessage({ type: MessageType.Heartbeat, from: 'a', to: 'b', term: 1 }));
    // term is the first varint after the ids: header(4) + 'a'(2) + 'b'(2)
    const nonMinimal = Uint8Array.of(...m.slice(0, 8), 0x81, 0x00, ...m.slice(9));
    expect(() => decodeMessage(nonMinimal)).toThrow(/minimally/);
    const huge = Uint8Array.of(
      ...m.slice(0, 8),
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x7f,
      ...m.slice(9),
    );
    expect(() => decodeMessage(huge)).toThrow(/2\^53/);
  });

  it('round-trips membership changes and refuses damaged ones', () => {
    const changes: ConfChange[] = [
      { type: 'addVoter', nodeId: 'orderer4', context: new TextEncoder().encode('nats://orderer4') },
      { type: 'addLearner', nodeId: 'x', context: new Uint8Array() },
      { type: 'removeNode', nodeId: 'orderer1', context: new Uint8Array() },
    ];
    for (const change of changes) expect(decodeConfChange(encodeConfChange(change))).toEqual(change);
    expect(decodeConfChange(encodeConfChange({ type: 'addVoter', nodeId: 'y' }))).toEqual({
      type: 'addVoter',
      nodeId: 'y',
      context: new Uint8Array(),
    });
    expect(() => decodeConfChange(new Uint8Array([1, 2, 3]))).toThrow(CodecError);
  });
});

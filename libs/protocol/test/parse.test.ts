import { describe, expect, it } from 'vitest';
import {
  BadHexError,
  BadNameError,
  BadTimeError,
  BadValueError,
  MissingFieldError,
  NotCanonicalError,
  NotJsonError,
  ParseError,
  TooLargeError,
  UnknownFieldError,
  WrongTypeError,
  canonicalize,
  parseBlock,
  parseEnvelope,
  parsePayload,
  resolveLimits,
  serializeBlock,
  serializeEnvelope,
  serializePayload,
  utf8Bytes,
  type TxPayload,
} from '../src/index.js';
import { genesisPayload, sampleChain, sampleEnvelope, samplePayload } from './helpers/fixtures.js';

type Json = Record<string, unknown>;
const clone = <T>(value: T): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Runs `fn` and returns the ParseError it throws. */
function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

/** A payload value with `edit` applied to a JSON copy. */
function editedPayload(edit: (p: Json) => void): Json {
  const p = clone(samplePayload(1));
  edit(p);
  return p;
}

describe('parsePayload', () => {
  it('returns a new frozen object equal to the input', () => {
    const input = clone(samplePayload(1));
    const parsed = parsePayload(input);
    expect(parsed).toEqual(input);
    expect(parsed).not.toBe(input);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.reads[0])).toBe(true);
  });

  it('parses canonical bytes and text, and refuses other spellings', () => {
    const payload = samplePayload(2);
    const bytes = serializePayload(payload);
    expect(parsePayload(bytes)).toEqual(payload);
    expect(parsePayload(canonicalize(payload))).toEqual(payload);
    const pretty = JSON.stringify(payload, null, 2);
    expect(parseErrorOf(() => parsePayload(pretty))).toBeInstanceOf(NotCanonicalError);
    expect(parsePayload(pretty, { requireCanonical: false })).toEqual(payload);
    // A duplicate key that JSON.parse would collapse to its last value.
    const text = canonicalize(payload).replace('"action":', '"action":"x","action":');
    expect(parseErrorOf(() => parsePayload(text))).toBeInstanceOf(NotCanonicalError);
    expect(parseErrorOf(() => parsePayload('{"type":'))).toBeInstanceOf(NotJsonError);
    expect(parseErrorOf(() => parsePayload(Uint8Array.of(0x7b, 0xff, 0x7d)))).toBeInstanceOf(NotJsonError);
  });

  const cases: [string, (p: Json) => void, new (...args: never[]) => ParseError, string][] = [
    ['unknown field', (p) => (p.extra = 1), UnknownFieldError, 'extra'],
    ['unknown nested field', (p) => ((p.creator as Json).role = 'x'), UnknownFieldError, 'creator.role'],
    ['missing field', (p) => delete p.event, MissingFieldError, 'event'],
    [
      'missing read version',
      (p) => delete (p.reads as Json[])[0]!.version,
      BadValueError,
      'reads[0].version',
    ],
    ['wrong type', (p) => (p.reads = {}), WrongTypeError, 'reads'],
    ['wrong nested type', (p) => ((p.writes as Json[])[0]!.key = 7), WrongTypeError, 'writes[0].key'],
    ['bad type', (p) => (p.type = 'TX'), BadValueError, 'type'],
    ['bad channel', (p) => (p.channel = 'Civic'), BadNameError, 'channel'],
    ['bad namespace', (p) => (p.namespace = 'a.b'), BadNameError, 'namespace'],
    ['bad action', (p) => (p.action = 'grant approve'), BadNameError, 'action'],
    ['bad mspId', (p) => ((p.creator as Json).mspId = '1Org'), BadNameError, 'creator.mspId'],
    ['bad event type', (p) => ((p.event as Json).type = 'a..b'), BadNameError, 'event.type'],
    ['uppercase hex nonce', (p) => (p.nonce = 'AB'.repeat(16)), BadHexError, 'nonce'],
    ['short nonce', (p) => (p.nonce = 'ab'.repeat(15)), BadHexError, 'nonce'],
    ['long nonce', (p) => (p.nonce = 'ab'.repeat(65)), TooLargeError, 'nonce'],
    ['time without ms', (p) => (p.txTime = '2026-11-28T10:00:00Z'), BadTimeError, 'txTime'],
    ['time with µs', (p) => (p.txTime = '2026-11-28T10:00:00.000001Z'), BadTimeError, 'txTime'],
    ['time with offset', (p) => (p.txTime = '2026-11-28T10:00:00.000+01:00'), BadTimeError, 'txTime'],
    ['impossible date', (p) => (p.txTime = '2026-02-30T10:00:00.000Z'), BadTimeError, 'txTime'],
    ['leap second', (p) => (p.txTime = '2026-12-31T23:59:60.000Z'), BadTimeError, 'txTime'],
    ['empty key', (p) => ((p.reads as Json[])[0]!.key = ''), BadValueError, 'reads[0].key'],
    ['long key', (p) => ((p.reads as Json[])[0]!.key = 'k'.repeat(513)), TooLargeError, 'reads[0].key'],
    ['lone surrogate key', (p) => ((p.writes as Json[])[0]!.key = 'a\ud800'), BadValueError, 'writes[0].key'],
    ['bad version', (p) => ((p.reads as Json[])[0]!.version = '01:2'), BadValueError, 'reads[0].version'],
    [
      'duplicate read',
      (p) => (p.reads = [...(p.reads as Json[]), ...(p.reads as Json[])]),
      BadValueError,
      'reads[1].key',
    ],
    ['delete false', (p) => (p.writes = [{ key: 'k', delete: false }]), BadValueError, 'writes[0].delete'],
    [
      'delete with value',
      (p) => (p.writes = [{ key: 'k', delete: true, value: 1 }]),
      UnknownFieldError,
      'writes[0].value',
    ],
    [
      'NaN-free value',
      (p) => ((p.writes as Json[])[0]!.value = { a: [1, { b: Number.POSITIVE_INFINITY }] }),
      BadValueError,
      'writes[0].value.a[1].b',
    ],
    ['empty private', (p) => (p.private = []), BadValueError, 'private'],
    [
      'bad private hash',
      (p) => (p.private = [{ collection: 'people', key: 'k', hash: 'ab' }]),
      BadHexError,
      'private[0].hash',
    ],
    ['bad cert', (p) => ((p.creator as Json).cert = 'not base64!'), BadValueError, 'creator.cert'],
    ['tx in the config namespace', (p) => (p.namespace = 'config'), BadValueError, 'namespace'],
  ];

  it.each(cases)('refuses %s', (_what, edit, errorClass, path) => {
    const error = parseErrorOf(() => parsePayload(editedPayload(edit)));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.path).toBe(path);
    expect(error.name).toBe(errorClass.name);
    expect(error.message).toContain(path);
  });

  it('accepts delete writes, null values and private hashes', () => {
    const p = editedPayload((x) => {
      x.writes = [
        { key: 'a', delete: true },
        { key: 'b', value: null },
      ];
      x.private = [{ collection: 'people', key: 'bsn/1', hash: 'ab'.repeat(32) }];
    });
    expect(parsePayload(p)).toEqual(p);
  });

  it('enforces the limits, which the caller can set', () => {
    const big = editedPayload((p) => ((p.writes as Json[])[0]!.value = 'x'.repeat(2000)));
    expect(parsePayload(big)).toBeDefined();
    expect(parseErrorOf(() => parsePayload(big, { limits: { payloadBytesMax: 2000 } }))).toBeInstanceOf(
      TooLargeError,
    );
    expect(
      parseErrorOf(() =>
        parsePayload(serializePayload(big as unknown as TxPayload), { limits: { payloadBytesMax: 2000 } }),
      ),
    ).toBeInstanceOf(TooLargeError);
    const many = editedPayload(
      (p) => (p.reads = Array.from({ length: 3 }, (_, i) => ({ key: `k${i}`, version: null }))),
    );
    expect(parseErrorOf(() => parsePayload(many, { limits: { readsMax: 2 } })).path).toBe('reads');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const nested = editedPayload((p) => ((p.event as Json).data = deep));
    expect(parseErrorOf(() => parsePayload(nested))).toBeInstanceOf(BadValueError);
    expect(() => resolveLimits({ readsMax: 0 })).toThrow(RangeError);
    expect(() => resolveLimits({ nope: 1 } as never)).toThrow(TypeError);
  });
});

describe('config transactions', () => {
  const config = () => clone(genesisPayload());

  it('accepts the genesis shape', () => {
    expect(parsePayload(config()).type).toBe('config');
  });

  it.each([
    ['another action', (p: Json) => (p.action = 'change'), 'action'],
    ['a second write', (p: Json) => (p.writes as Json[]).push({ key: 'x', value: 1 }), 'writes'],
    ['a delete', (p: Json) => (p.writes = [{ key: 'channel', delete: true }]), 'writes'],
    ['a non-object config', (p: Json) => ((p.writes as Json[])[0]!.value = 'x'), 'writes[0].value'],
    ['another event', (p: Json) => ((p.event as Json).type = 'config.changed'), 'event.type'],
    ['a bad sequence', (p: Json) => ((p.event as Json).data = { sequence: -1 }), 'event.data'],
    ['extra event data', (p: Json) => ((p.event as Json).data = { sequence: 0, x: 1 }), 'event.data'],
    [
      'a null version with sequence 1',
      (p: Json) => ((p.event as Json).data = { sequence: 1 }),
      'reads[0].version',
    ],
    ['a version with sequence 0', (p: Json) => ((p.reads as Json[])[0]!.version = '0:0'), 'reads[0].version'],
    ['another namespace', (p: Json) => (p.namespace = 'subsidies'), 'namespace'],
  ])('refuses %s', (_what, edit, path) => {
    const p = config();
    edit(p);
    const error = parseErrorOf(() => parsePayload(p));
    expect(error).toBeInstanceOf(BadValueError);
    expect(error.path).toBe(path);
  });
});

describe('parseEnvelope and parseBlock', () => {
  it('round-trip through their bytes', () => {
    const envelope = sampleEnvelope(3);
    expect(parseEnvelope(serializeEnvelope(envelope))).toEqual(envelope);
    const [genesis, block] = sampleChain(1, 3);
    for (const b of [genesis!, block!]) expect(parseBlock(serializeBlock(b))).toEqual(b);
  });

  it('name the full path of a bad field deep in a block', () => {
    const block = clone(sampleChain(1, 5)[1]);
    ((((block.envelopes as Json[])[3]!.payload as Json).writes as Json[])[0] as Json).key = 5;
    const error = parseErrorOf(() => parseBlock(block));
    expect(error).toBeInstanceOf(WrongTypeError);
    expect(error.path).toBe('envelopes[3].payload.writes[0].key');
  });

  it.each([
    [
      'a bad signature',
      (b: Json) => ((b.envelopes as Json[])[0]!.signature = 'ab'),
      BadHexError,
      'envelopes[0].signature',
    ],
    [
      'a duplicate endorser',
      (b: Json) => {
        const e = (b.envelopes as Json[])[0]! as { endorsements: Json[] };
        e.endorsements.push(e.endorsements[0]!);
      },
      BadValueError,
      'envelopes[0].endorsements[1].cert',
    ],
    [
      'a bad header hash',
      (b: Json) => ((b.header as Json).previousHash = '00'),
      BadHexError,
      'header.previousHash',
    ],
    ['a negative number', (b: Json) => ((b.header as Json).number = -1), BadValueError, 'header.number'],
    ['a float txCount', (b: Json) => ((b.header as Json).txCount = 1.5), BadValueError, 'header.txCount'],
    ['a string number', (b: Json) => ((b.header as Json).number = '1'), WrongTypeError, 'header.number'],
    [
      'a bad block time',
      (b: Json) => ((b.header as Json).time = '2026-11-28 10:00:00.000Z'),
      BadTimeError,
      'header.time',
    ],
    [
      'a bad nodeId',
      (b: Json) => (((b.metadata as Json).signatures as Json[])[0]!.nodeId = 'Orderer_1'),
      BadNameError,
      'metadata.signatures[0].nodeId',
    ],
    [
      'a repeated signer',
      (b: Json) => {
        const s = (b.metadata as Json).signatures as Json[];
        s.push(s[0]!);
      },
      BadValueError,
      'metadata.signatures[1].nodeId',
    ],
    [
      'a missing raft index',
      (b: Json) => delete ((b.metadata as Json).raft as Json).index,
      MissingFieldError,
      'metadata.raft.index',
    ],
    [
      'an unknown metadata field',
      (b: Json) => ((b.metadata as Json).lastConfig = 0),
      UnknownFieldError,
      'metadata.lastConfig',
    ],
    ['envelopes not a list', (b: Json) => (b.envelopes = null), WrongTypeError, 'envelopes'],
  ])('refuse %s', (_what, edit, errorClass, path) => {
    const block = clone(sampleChain(1, 2)[1]);
    edit(block);
    const error = parseErrorOf(() => parseBlock(block));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.path).toBe(path);
  });

  it('enforce block limits', () => {
    const block = sampleChain(1, 3)[1]!;
    expect(parseErrorOf(() => parseBlock(block, { limits: { envelopesMax: 2 } })).path).toBe('envelopes');
    expect(parseErrorOf(() => parseBlock(block, { limits: { blockBytesMax: 1000 } }))).toBeInstanceOf(
      TooLargeError,
    );
    expect(
      parseErrorOf(() => parseBlock(serializeBlock(block), { limits: { blockBytesMax: 1000 } })),
    ).toBeInstanceOf(TooLargeError);
    expect(parseErrorOf(() => parseBlock(utf8Bytes('[]')))).toBeInstanceOf(WrongTypeError);
  });
});

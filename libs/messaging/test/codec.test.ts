import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalize } from '@civic/protocol';
import { MsgHdrsImpl, headers } from '@nats-io/nats-core';
import {
  DecodeError,
  EncodeError,
  JsonEncoding,
  PayloadTooLargeError,
  assertPayloadFits,
  decodeJson,
  encodeJson,
  headersBytes,
  maxPayloadBytes,
} from '../src/index.js';
import { prepareOutgoing } from '../src/outgoing.js';

const text = new TextDecoder();

describe('JSON codec', () => {
  it('encodes plain JSON as JSON.stringify and canonical JSON as RFC 8785', () => {
    const value = { b: 1, a: [true, null, 'x'], c: { z: 1.5, y: 'é' } };
    expect(text.decode(encodeJson(value))).toBe(JSON.stringify(value));
    expect(text.decode(encodeJson(value, JsonEncoding.CANONICAL))).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":1.5}}',
    );
  });

  it('round-trips any JSON value in both encodings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), (value) => {
        const plain = decodeJson(encodeJson(value));
        expect(JSON.stringify(plain)).toBe(JSON.stringify(value));
        const canonical = decodeJson(encodeJson(value, JsonEncoding.CANONICAL));
        expect(canonicalize(canonical)).toBe(canonicalize(value));
      }),
    );
  });

  it('refuses what JSON cannot carry with EncodeError naming the subject', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeJson(cyclic, JsonEncoding.PLAIN, 'civic.x.tx.submit')).toThrow(EncodeError);
    expect(() => encodeJson(10n)).toThrow(EncodeError);
    expect(() => encodeJson(undefined, JsonEncoding.PLAIN, 's.x')).toThrow(
      /cannot encode the message for s.x/,
    );
    expect(() => encodeJson({ n: Number.NaN }, JsonEncoding.CANONICAL)).toThrow(EncodeError);
  });

  it('decodes strictly: empty, bad UTF-8, bad JSON are DecodeError naming the subject', () => {
    expect(() => decodeJson(new Uint8Array(0), 's.a')).toThrow(/on s.a: empty payload/);
    expect(() => decodeJson(new Uint8Array([0x7b, 0xff, 0x7d]), 's.b')).toThrow(/not valid UTF-8/);
    expect(() => decodeJson(new TextEncoder().encode('{"a":'), 's.c')).toThrow(/not valid JSON/);
    expect(() => decodeJson(new TextEncoder().encode('{} {}'))).toThrow(DecodeError);
    const err = (() => {
      try {
        decodeJson(new TextEncoder().encode('nope'), 'civic.c.blocks');
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err?.name).toBe('DecodeError');
    expect(err?.subject).toBe('civic.c.blocks');
    expect(err?.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('payload limit', () => {
  it('counts header bytes exactly as nats.js encodes them', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), fc.stringMatching(/^[ -~]{0,40}$/), {
          maxKeys: 6,
        }),
        (record) => {
          const h = headers();
          for (const [k, v] of Object.entries(record)) h.set(k, v.trim());
          expect(headersBytes(h)).toBe((h as MsgHdrsImpl).encode().length);
        },
      ),
    );
    expect(headersBytes(undefined)).toBe(0);
  });

  it('refuses a message over the limit with its size and the limit, accepts one at the limit', () => {
    const h = headers();
    h.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const hb = headersBytes(h);
    expect(() => assertPayloadFits('s', new Uint8Array(100 - hb), h, 100)).not.toThrow();
    expect(() => assertPayloadFits('s', new Uint8Array(101 - hb), h, 100)).toThrow(PayloadTooLargeError);
    expect(() => assertPayloadFits('civic.c.blocks', new Uint8Array(11), undefined, 10)).toThrow(
      /on civic.c.blocks is 11 bytes .* max_payload of 10 bytes/,
    );
    expect(maxPayloadBytes(undefined)).toBe(1024 * 1024);
  });

  it('prepares a message with no header block when there is nothing to send', () => {
    const out = prepareOutgoing('s', { a: 1 }, {}, 1000);
    expect(out.headers).toBeUndefined();
    expect(text.decode(out.data)).toBe('{"a":1}');
    const withId = prepareOutgoing('s', 1, {}, 1000, { 'Nats-Msg-Id': 'x:1' });
    expect(withId.headers?.get('Nats-Msg-Id')).toBe('x:1');
  });
});

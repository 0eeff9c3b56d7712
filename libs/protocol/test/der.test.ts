import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DerError,
  DerReader,
  DerTag,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeNull,
  decodeOid,
  decodeString,
  decodeTime,
  derBitString,
  derBoolean,
  derEncode,
  derExplicit,
  derGeneralizedTime,
  derIa5String,
  derImplicit,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derTime,
  derUnsignedInteger,
  derUtcTime,
  derUtf8String,
  fromHex,
  readDer,
  toHex,
} from '../src/index.js';

const read = (hex: string) => readDer(fromHex(hex.replace(/ /g, '')));

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DerError) return error.reason;
    throw error;
  }
  throw new Error('expected a DerError');
}

describe('DER reader', () => {
  it('reads short and long lengths', () => {
    expect(read('0400').value.byteLength).toBe(0);
    const long = new Uint8Array(3 + 200).fill(0xaa);
    long.set([0x04, 0x81, 200]);
    expect(readDer(long).value.byteLength).toBe(200);
    const longer = new Uint8Array(4 + 300);
    longer.set([0x04, 0x82, 0x01, 0x2c]);
    expect(readDer(longer).value.byteLength).toBe(300);
  });

  it.each([
    ['indefinite length', '3080 0000', 'INDEFINITE_LENGTH'],
    ['long form for a short length', '0481 05 0102030405', 'NON_MINIMAL_LENGTH'],
    ['leading zero length octet', '0482 0081' + '00'.repeat(0x81), 'NON_MINIMAL_LENGTH'],
    ['five length octets', '0485 0000000001 00', 'LENGTH_TOO_LARGE'],
    ['value past the end', '0405 0102', 'TRUNCATED'],
    ['missing length', '04', 'TRUNCATED'],
    ['truncated long length', '0482 01', 'TRUNCATED'],
    ['empty input', '', 'TRUNCATED'],
    ['high tag number', '1f 2201 00', 'HIGH_TAG_NUMBER'],
    ['trailing bytes', '0500 00', 'TRAILING_BYTES'],
  ])('refuses %s', (_what, hex, reason) => {
    expect(reasonOf(() => read(hex.replace(/ /g, '')))).toBe(reason);
  });

  it('walks children with offsets and refuses a primitive as a parent', () => {
    const seq = read('3006 0201 05 0101ff');
    const r = DerReader.children(seq);
    expect(r.offset).toBe(2);
    const n = r.expect(DerTag.INTEGER, 'n');
    expect(n.offset).toBe(2);
    expect(decodeInteger(n)).toBe(5n);
    expect(r.optional(DerTag.NULL)).toBeUndefined();
    expect(decodeBoolean(r.expect(DerTag.BOOLEAN, 'b'))).toBe(true);
    r.end('seq');
    expect(r.done).toBe(true);
    expect(reasonOf(() => r.next())).toBe('TRUNCATED');
    expect(reasonOf(() => DerReader.children(n))).toBe('NOT_CONSTRUCTED');
  });

  it('asserts that decoders get elements', () => {
    expect(() => decodeInteger(undefined as never)).toThrow(TypeError);
    expect(() => decodeTime({} as never)).toThrow(TypeError);
    expect(() => DerReader.children(null as never)).toThrow(TypeError);
    expect(() => DerReader.of('30' as never)).toThrow(TypeError);
  });

  it('names the expected and found tags', () => {
    const r = DerReader.children(read('3003 020105'));
    expect(() => r.expect(DerTag.BOOLEAN, 'flag')).toThrow(/flag: expected tag 0x01, found tag 0x02/);
  });

  it('bounds nesting depth', () => {
    let nested = derNull();
    for (let i = 0; i < 40; i++) nested = derSequence(nested);
    let element = readDer(nested);
    expect(() => {
      for (;;) element = DerReader.children(element).next();
    }).toThrow(/TOO_DEEP/);
  });
});

describe('DER INTEGER', () => {
  it.each([
    [0n, '020100'],
    [127n, '02017f'],
    [128n, '02020080'],
    [256n, '02020100'],
    [-1n, '0201ff'],
    [-128n, '020180'],
    [-129n, '0202ff7f'],
    [0x0123456789abcdefn, '02080123456789abcdef'],
  ])('%s ↔ %s', (value, hex) => {
    expect(toHex(derInteger(value))).toBe(hex);
    expect(decodeInteger(read(hex))).toBe(value);
  });

  it('refuses non-minimal and empty integers', () => {
    expect(reasonOf(() => decodeInteger(read('0202007f')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeInteger(read('0202ff80')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeInteger(read('0200')))).toBe('BAD_VALUE');
  });

  it('round-trips any bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (n) => {
        expect(decodeInteger(readDer(derInteger(n)))).toBe(n);
      }),
    );
  });

  it('encodes unsigned bytes as a positive integer', () => {
    expect(toHex(derUnsignedInteger(fromHex('00ff')))).toBe('020200ff');
    expect(toHex(derUnsignedInteger(fromHex('7f')))).toBe('02017f');
    expect(() => derInteger(2 ** 60)).toThrow(RangeError);
  });
});

describe('DER OID', () => {
  it.each([
    ['1.3.101.112', '06032b6570'],
    ['2.5.4.3', '0603550403'],
    ['1.2.840.113549.1.9.1', '06092a864886f70d010901'],
    ['0.9.2342.19200300.100.1.25', '060a0992268993f22c640119'],
    ['2.999.3', '0603883703'],
  ])('%s ↔ %s', (oid, hex) => {
    expect(toHex(derOid(oid))).toBe(hex);
    expect(decodeOid(read(hex))).toBe(oid);
  });

  it('refuses malformed OIDs both ways', () => {
    expect(reasonOf(() => decodeOid(read('0603 2b8065')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeOid(read('0602 2b86')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeOid(read('0600')))).toBe('BAD_VALUE');
    expect(() => derOid('1')).toThrow(TypeError);
    expect(() => derOid('1.40')).toThrow(RangeError);
    expect(() => derOid('3.1')).toThrow(RangeError);
    expect(() => derOid('1.02')).toThrow(TypeError);
  });

  it('round-trips arbitrary OIDs', () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.bigInt({ min: 0n, max: 1n << 70n })),
      )
      .map(([a, b, rest]) => [a, b, ...rest].join('.'));
    fc.assert(
      fc.property(oid, (o) => {
        expect(decodeOid(readDer(derOid(o)))).toBe(o);
      }),
    );
  });
});

describe('DER scalars and strings', () => {
  it('BOOLEAN is 00 or ff only', () => {
    expect(toHex(derBoolean(true))).toBe('0101ff');
    expect(decodeBoolean(read('010100'))).toBe(false);
    expect(reasonOf(() => decodeBoolean(read('010101')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeBoolean(read('0102ffff')))).toBe('BAD_VALUE');
  });

  it('NULL is empty', () => {
    expect(decodeNull(read('0500'))).toBeNull();
    expect(reasonOf(() => decodeNull(read('050100')))).toBe('BAD_VALUE');
  });

  it('BIT STRING checks unused bits and padding', () => {
    expect(toHex(derBitString(Uint8Array.of(0x80), 7))).toBe('03020780');
    expect(decodeBitString(read('03020780'))).toEqual({ unusedBits: 7, bytes: Uint8Array.of(0x80) });
    expect(reasonOf(() => decodeBitString(read('03020781')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeBitString(read('030108')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeBitString(read('030101')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeBitString(read('0300')))).toBe('BAD_VALUE');
    expect(() => derBitString(Uint8Array.of(0x81), 7)).toThrow(RangeError);
  });

  it('strings decode by their type and are checked', () => {
    expect(decodeString(readDer(derUtf8String('Gemeente Zoë 🚲')))).toBe('Gemeente Zoë 🚲');
    expect(decodeString(readDer(derPrintableString('NL')))).toBe('NL');
    expect(decodeString(readDer(derIa5String('a@b.nl')))).toBe('a@b.nl');
    expect(reasonOf(() => decodeString(read('0c02c328')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeString(read('130140')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeString(read('160180')))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeString(read('0400')))).toBe('UNEXPECTED_TAG');
    expect(() => derPrintableString('a@b')).toThrow(TypeError);
  });

  it('SET OF sorts members by encoding; SEQUENCE keeps order', () => {
    expect(toHex(derSet(derInteger(2), derInteger(1)))).toBe('3106020101020102');
    expect(toHex(derSequence(derInteger(2), derInteger(1)))).toBe('3006020102020101');
  });

  it('context tags wrap explicitly or replace implicitly', () => {
    expect(toHex(derExplicit(0, derInteger(2)))).toBe('a003020102');
    expect(toHex(derImplicit(0, Uint8Array.of(1, 2)))).toBe('80020102');
    expect(contextTag(3, true)).toBe(0xa3);
    expect(() => contextTag(31, false)).toThrow(RangeError);
    expect(() => derEncode(0x1f, new Uint8Array())).toThrow(RangeError);
    expect(toHex(derOctetString(new Uint8Array(128))).slice(0, 6)).toBe('048180');
  });
});

describe('DER time', () => {
  it('UTCTime and GeneralizedTime round-trip whole seconds', () => {
    const t = Date.UTC(2026, 10, 28, 10, 7, 29);
    expect(toHex(derUtcTime(t))).toBe(toHex(derEncode(0x17, new TextEncoder().encode('261128100729Z'))));
    expect(decodeTime(readDer(derUtcTime(t)))).toBe(t);
    expect(decodeTime(readDer(derGeneralizedTime(t)))).toBe(t);
    expect(readDer(derTime(Date.UTC(2049, 11, 31, 23, 59, 59))).tag).toBe(DerTag.UTC_TIME);
    expect(readDer(derTime(Date.UTC(2050, 0, 1))).tag).toBe(DerTag.GENERALIZED_TIME);
    expect(decodeTime(readDer(derUtcTime(Date.UTC(1950, 0, 1))))).toBe(Date.UTC(1950, 0, 1));
    expect(decodeTime(readDer(derTime(new Date(Date.UTC(9999, 11, 31)))))).toBe(Date.UTC(9999, 11, 31));
  });

  it('refuses fractions, missing seconds, local times and impossible dates', () => {
    const enc = (tag: number, s: string) => derEncode(tag, new TextEncoder().encode(s));
    for (const s of ['2611281007Z', '261128100729', '261128100729+0100', '260230100729Z', '261128250000Z']) {
      expect(reasonOf(() => decodeTime(readDer(enc(0x17, s))))).toBe('BAD_VALUE');
    }
    expect(reasonOf(() => decodeTime(readDer(enc(0x18, '20261128100729.5Z'))))).toBe('BAD_VALUE');
    expect(reasonOf(() => decodeTime(read('0400')))).toBe('UNEXPECTED_TAG');
    expect(() => derUtcTime(Date.UTC(2026, 0, 1, 0, 0, 0, 5))).toThrow(RangeError);
    expect(() => derUtcTime(Date.UTC(2050, 0, 1))).toThrow(RangeError);
    expect(() => derTime(new Date(NaN))).toThrow(TypeError);
  });
});

describe('DER reader robustness', () => {
  it('never throws anything but DerError on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const walk = (reader: DerReader): void => {
            while (!reader.done) {
              const el = reader.next();
              if (el.tag & 0x20) walk(DerReader.children(el));
            }
          };
          walk(DerReader.of(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(DerError);
        }
      }),
    );
  });
});

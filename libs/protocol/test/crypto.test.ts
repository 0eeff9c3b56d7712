import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backend as nobleBackend } from '../src/backend/noble.js';
import { backend as nodeBackend } from '../src/backend/node.js';
import {
  createSha256,
  cryptoBackendName,
  fromHex,
  generateKeyPair,
  hashCanonicalHex,
  keyPairFromSeed,
  publicKeyObject,
  privateKeyObject,
  sha256,
  signEd25519,
  toHex,
  utf8Bytes,
  verifyEd25519,
} from '../src/index.js';

/** RFC 8032 §7.1 test vectors (Ed25519). */
export const RFC8032_VECTORS = [
  {
    name: 'TEST 1',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST SHA(abc)',
    secretKey: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature:
      'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
] as const;

const backends = [nodeBackend, nobleBackend];

describe('SHA-256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('FIPS 180 vector %j in both backends', (text, digest) => {
    for (const b of backends) expect(toHex(b.sha256([utf8Bytes(text)]))).toBe(digest);
    expect(toHex(sha256(utf8Bytes(text)))).toBe(digest);
  });

  it('hashes concatenations and incremental input alike, in both backends', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (parts) => {
        const expected = toHex(nodeBackend.sha256(parts));
        expect(toHex(nobleBackend.sha256(parts))).toBe(expected);
        for (const b of backends) {
          const h = b.createSha256();
          for (const part of parts) h.update(part);
          expect(toHex(h.digest())).toBe(expected);
        }
        const h = createSha256();
        for (const part of parts) h.update(part);
        expect(toHex(h.digest())).toBe(expected);
      }),
    );
  });

  it('H(x) is SHA-256 of the canonical bytes', () => {
    expect(hashCanonicalHex({ b: 1, a: 'x' })).toBe(toHex(sha256(utf8Bytes('{"a":"x","b":1}'))));
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('Ed25519', () => {
  it('uses node:crypto under Node', () => {
    expect(cryptoBackendName).toBe('node');
  });

  it.each(RFC8032_VECTORS)('RFC 8032 $name in both backends', (v) => {
    const seed = fromHex(v.secretKey);
    const message = fromHex(v.message);
    for (const b of backends) {
      expect(toHex(b.ed25519PublicKey(seed))).toBe(v.publicKey);
      expect(toHex(b.ed25519Sign(message, b.ed25519PrivateKey(seed)))).toBe(v.signature);
      expect(b.ed25519Verify(message, fromHex(v.signature), fromHex(v.publicKey))).toBe(true);
    }
    const pair = keyPairFromSeed(seed);
    expect(toHex(pair.publicKey)).toBe(v.publicKey);
    expect(toHex(signEd25519(message, pair))).toBe(v.signature);
    expect(toHex(signEd25519(message, privateKeyObject(seed)))).toBe(v.signature);
  });

  it('the backends agree on keys, signatures and verdicts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat({ max: 64 * 8 - 1 }),
        (seed, message, bit) => {
          const pub = nodeBackend.ed25519PublicKey(seed);
          expect(toHex(nobleBackend.ed25519PublicKey(seed))).toBe(toHex(pub));
          const sig = nodeBackend.ed25519Sign(message, nodeBackend.ed25519PrivateKey(seed));
          expect(toHex(nobleBackend.ed25519Sign(message, nobleBackend.ed25519PrivateKey(seed)))).toBe(
            toHex(sig),
          );
          const bad = new Uint8Array(sig);
          bad[bit >> 3]! ^= 1 << (bit & 7);
          for (const b of backends) {
            expect(b.ed25519Verify(message, sig, pub)).toBe(true);
            expect(b.ed25519Verify(message, bad, pub)).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('both backends refuse a non-canonical S (S + L) and malformed keys without throwing', () => {
    const v = RFC8032_VECTORS[0];
    const sig = fromHex(v.signature);
    // S' = S + L (little-endian); L = 2^252 + 27742317777372353535851937790883648493.
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i] as number);
    s += L;
    const malleable = new Uint8Array(sig);
    for (let i = 32; i < 64; i++) {
      malleable[i] = Number(s & 0xffn);
      s >>= 8n;
    }
    const pub = fromHex(v.publicKey);
    const notAPoint = fromHex('02' + '00'.repeat(31));
    for (const b of backends) {
      expect(b.ed25519Verify(new Uint8Array(), malleable, pub)).toBe(false);
      expect(b.ed25519Verify(new Uint8Array(), sig, notAPoint)).toBe(false);
    }
    expect(verifyEd25519(new Uint8Array(), sig.subarray(1), pub)).toBe(false);
    expect(verifyEd25519(new Uint8Array(), sig, pub.subarray(1))).toBe(false);
  });

  it('asserts argument types and sizes', () => {
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow(RangeError);
    expect(() => publicKeyObject(new Uint8Array(33))).toThrow(RangeError);
    expect(() => verifyEd25519('x' as unknown as Uint8Array, new Uint8Array(64), new Uint8Array(32))).toThrow(
      TypeError,
    );
    expect(() => signEd25519(new Uint8Array(), null as unknown as never)).toThrow(TypeError);
    const pair = generateKeyPair();
    expect(verifyEd25519(Uint8Array.of(1), signEd25519(Uint8Array.of(1), pair), pair.publicKey)).toBe(true);
    expect(publicKeyObject(pair.publicKey)).toBe(publicKeyObject(pair.publicKey));
  });
});

describe('browser build', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

  /** Every source file reachable from index.ts when #crypto-backend resolves to the noble backend. */
  function browserGraph(): Map<string, string> {
    const files = new Map<string, string>();
    const queue = [join(src, 'index.ts')];
    while (queue.length > 0 && files.size < 200) {
      const file = queue.pop() as string;
      if (files.has(file)) continue;
      const text = readFileSync(file, 'utf8');
      files.set(file, text);
      for (const [, spec] of text.matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)) {
        if (spec === '#crypto-backend') queue.push(join(src, 'backend/noble.ts'));
        else if (spec?.startsWith('.')) queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    }
    return files;
  }

  it('imports nothing from node: and uses no Buffer', () => {
    const files = browserGraph();
    expect(files.size).toBeGreaterThan(10);
    expect([...files.keys()].some((f) => f.endsWith('backend/noble.ts'))).toBe(true);
    for (const [file, text] of files) {
      expect(text, file).not.toMatch(/from\s+'node:/);
      expect(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''), file).not.toMatch(/\bBuffer\b/);
    }
  });

  it('package.json maps #crypto-backend by condition', () => {
    const pkg = JSON.parse(readFileSync(join(src, '../package.json'), 'utf8'));
    expect(pkg.imports['#crypto-backend']).toEqual({
      '@civic/source': { browser: './src/backend/noble.ts', default: './src/backend/node.ts' },
      browser: './dist/backend/noble.js',
      default: './dist/backend/node.js',
    });
  });
});

/**
 * Generates the published test vectors in libs/protocol/test-vectors/ (see its README.md and
 * docs/protocol.md, "Test vectors"). Deterministic: keys come from fixed seeds, Ed25519 is
 * deterministic, and every file is written from values in a fixed order, so a second run
 * writes the same bytes. test/vectors.test.ts checks that the committed files are exactly what
 * this generator makes.
 *
 *   npm run vectors -w @civic/protocol        (builds, then: node scripts/generate-vectors.ts)
 *
 * Self-contained on purpose: it imports only @civic/protocol (the built package under node,
 * the sources under vitest), so that it runs with node's type stripping and no loader.
 * test-vectors/chain/ is made by libs/identity and left alone here.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ZERO_HASH_HEX,
  blockHashOf,
  blockSigningHash,
  buildBlock,
  canonicalize,
  chainTipOf,
  commitHashOf,
  createEnvelope,
  createPayload,
  derBitString,
  derBoolean,
  derExplicit,
  derGeneralizedTime,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  derTime,
  derUtcTime,
  derUtf8String,
  encodeEd25519Algorithm,
  encodeEd25519PublicKeyInfo,
  encodeName,
  endorsePayload,
  envelopeDigests,
  envelopeInclusionProof,
  fromHex,
  keyPairFromSeed,
  merkleConsistencyProof,
  merkleInclusionProof,
  merkleLeafHash,
  merkleRoot,
  OID,
  parseCertificate,
  sha256,
  signBlock,
  signEd25519,
  toBase64,
  toHex,
  txIdOf,
  utf8Bytes,
  type Block,
  type BlockSigner,
  type Ed25519KeyPair,
  type Envelope,
  type TxPayload,
} from '@civic/protocol';

// ---- deterministic identities ---------------------------------------------------------------

/** Ed25519 seed of a vector key: SHA-256 of UTF-8 `civic-protocol-vectors/<label>`. */
export function vectorSeed(label: string): Uint8Array {
  return sha256(utf8Bytes(`civic-protocol-vectors/${label}`));
}

export interface NameEntry {
  readonly type: string;
  readonly value: string;
}

export interface CertificateOptions {
  readonly subject: readonly NameEntry[];
  readonly subjectKey: Ed25519KeyPair;
  /** Self-signed when absent. */
  readonly issuer?: { readonly name: readonly NameEntry[]; readonly key: Ed25519KeyPair };
  readonly serial?: bigint;
  readonly notBeforeMs?: number;
  readonly notAfterMs?: number;
  readonly isCa?: boolean;
}

/** A minimal X.509 v3 Ed25519 certificate (basicConstraints and keyUsage, both critical), base64. */
export function issueCertificate(options: CertificateOptions): string {
  const issuer = options.issuer ?? { name: options.subject, key: options.subjectKey };
  const keyUsage = options.isCa ? derBitString(Uint8Array.of(0x06), 1) : derBitString(Uint8Array.of(0x80), 7);
  const extensions = derSequence(
    derSequence(
      derOid(OID.BASIC_CONSTRAINTS),
      derBoolean(true),
      derOctetString(derSequence(...(options.isCa ? [derBoolean(true)] : []))),
    ),
    derSequence(derOid(OID.KEY_USAGE), derBoolean(true), derOctetString(keyUsage)),
  );
  const tbs = derSequence(
    derExplicit(0, derInteger(2)),
    derInteger(options.serial ?? 1n),
    encodeEd25519Algorithm(),
    encodeName(issuer.name),
    derSequence(
      derTime(options.notBeforeMs ?? Date.UTC(2026, 0, 1)),
      derTime(options.notAfterMs ?? Date.UTC(2036, 0, 1)),
    ),
    encodeName(options.subject),
    encodeEd25519PublicKeyInfo(options.subjectKey.publicKey),
    derExplicit(3, extensions),
  );
  return toBase64(derSequence(tbs, encodeEd25519Algorithm(), derBitString(signEd25519(tbs, issuer.key))));
}

export interface VectorIdentity {
  readonly mspId: string;
  readonly cert: string;
  readonly key: Ed25519KeyPair;
}

/** A self-signed identity `O=<mspId>, OU=<role>, CN=<name>` with the key of seed label `name`. */
export function vectorIdentity(mspId: string, role: string, name: string): VectorIdentity {
  const key = keyPairFromSeed(vectorSeed(`key/${name}`));
  const serial = BigInt(`0x${toHex(vectorSeed(`serial/${name}`).subarray(0, 8))}`) | 1n;
  const cert = issueCertificate({
    subject: [
      { type: 'O', value: mspId },
      { type: 'OU', value: role },
      { type: 'CN', value: name },
    ],
    subjectKey: key,
    serial,
  });
  return { mspId, cert, key };
}

const CHANNEL = 'vectors';
const creator = vectorIdentity('Subsidies', 'client', 'grants-service');
const endorser = vectorIdentity('Utrecht', 'client', 'utrecht-endorser');
const admin = vectorIdentity('Subsidies', 'admin', 'subsidies-admin');
const orderer: BlockSigner = { nodeId: 'orderer-1', ...vectorIdentity('Orderers', 'orderer', 'orderer-1') };
const publicIdentity = (i: VectorIdentity) => ({ mspId: i.mspId, cert: i.cert });

// ---- vectors --------------------------------------------------------------------------------

interface VectorInputs {
  readonly canonicalCases: readonly { readonly name: string; readonly json: string }[];
  readonly canonicalRefused: readonly { readonly name: string; readonly json: string }[];
  readonly rfc8785Numbers: readonly { readonly ieee754: string; readonly canonical: string }[];
  readonly rfc8032: readonly {
    readonly name: string;
    readonly secretKey: string;
    readonly message: string;
  }[];
}

/** The inputs that come from RFCs or were picked by hand (JSON texts kept as texts). */
const INPUTS = JSON.parse(
  readFileSync(new URL('./vector-inputs.json', import.meta.url), 'utf8'),
) as VectorInputs;

function numberOfBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function canonicalVectors(): unknown {
  const refusals = INPUTS.canonicalRefused.map(({ name, json }) => {
    try {
      canonicalize(JSON.parse(json));
    } catch (error) {
      return { name, json, refused: (error as Error).name };
    }
    throw new Error(`canonical vector "${name}" was not refused`);
  });
  return {
    description:
      'RFC 8785 canonical JSON: json is parsed with JSON.parse, then canonicalised; sha256 is of the canonical UTF-8 bytes',
    cases: INPUTS.canonicalCases.map(({ name, json }) => {
      const canonical = canonicalize(JSON.parse(json));
      return {
        name,
        json,
        canonical,
        canonicalHex: toHex(utf8Bytes(canonical)),
        sha256: toHex(sha256(utf8Bytes(canonical))),
      };
    }),
    rfc8785Numbers: INPUTS.rfc8785Numbers.map(({ ieee754, canonical: text }) => {
      if (canonicalize(numberOfBits(ieee754)) !== text) throw new Error(`number vector ${ieee754} disagrees`);
      return { ieee754, canonical: text };
    }),
    refused: refusals,
  };
}

function sha256Vectors(): unknown {
  const messages: [string, Uint8Array][] = [
    ['empty', new Uint8Array()],
    ['"abc" (FIPS 180-4)', utf8Bytes('abc')],
    ['448-bit message (FIPS 180-4)', utf8Bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')],
    ['one million "a" (FIPS 180-4)', new Uint8Array(1_000_000).fill(0x61)],
    ['0x00 ‖ 32 zero bytes (an RFC 6962 leaf)', new Uint8Array(33)],
  ];
  return {
    description: 'SHA-256 of raw bytes (messageHex is omitted for the long message; see messageRepeat)',
    cases: messages.map(([name, m]) => ({
      name,
      ...(m.byteLength > 1000
        ? { messageRepeat: { byteHex: '61', count: m.byteLength } }
        : { messageHex: toHex(m) }),
      sha256: toHex(sha256(m)),
    })),
  };
}

function ed25519Vectors(): unknown {
  const sign = (seedHex: string, messageHex: string) => {
    const key = keyPairFromSeed(fromHex(seedHex));
    return {
      seed: seedHex,
      publicKey: toHex(key.publicKey),
      message: messageHex,
      signature: toHex(signEd25519(fromHex(messageHex), key)),
    };
  };
  return {
    description:
      'Ed25519 (RFC 8032, pure). seed = the 32-byte private key; message and signature hex. ' +
      'Derived keys: seed = SHA-256(UTF-8 "civic-protocol-vectors/key/<name>"); the message is a txId (32 raw bytes).',
    rfc8032: INPUTS.rfc8032.map(({ name, secretKey, message }) => ({ name, ...sign(secretKey, message) })),
    derived: ['grants-service', 'utrecht-endorser', 'orderer-1'].map((name) => ({
      name,
      ...sign(toHex(vectorSeed(`key/${name}`)), toHex(sha256(utf8Bytes(name)))),
    })),
  };
}

function merkleVectors(): unknown {
  const data = Array.from({ length: 17 }, (_, i) => sha256(utf8Bytes(String(i))));
  const leaves = data.map(merkleLeafHash);
  return {
    description:
      'RFC 6962/9162 Merkle trees. Leaf i has data SHA-256(ASCII decimal i) (32 bytes), leaf hash SHA-256(0x00 ‖ data); ' +
      'trees[n] is over the first n leaves. inclusion[i] is the RFC 9162 inclusion proof (audit path) of leaf i, leaf side first; ' +
      'consistency[j] is the RFC 9162 consistency proof from the tree of oldSize = j + 1 leaves (oldRoot) to this one.',
    leaves: data.map((d, i) => ({ index: i, data: toHex(d), leafHash: toHex(leaves[i] as Uint8Array) })),
    trees: Array.from({ length: 18 }, (_, n) => {
      const prefix = leaves.slice(0, n);
      return {
        size: n,
        root: toHex(merkleRoot(prefix)),
        inclusion: prefix.map((_, i) => ({ index: i, path: merkleInclusionProof(prefix, i).path })),
        consistency: Array.from({ length: n }, (_, m) => ({
          oldSize: m + 1,
          oldRoot: toHex(merkleRoot(leaves.slice(0, m + 1))),
          path: merkleConsistencyProof(prefix, m + 1).path,
        })),
      };
    }),
  };
}

function samplePayloads(): [string, TxPayload][] {
  const base = {
    channel: CHANNEL,
    namespace: 'subsidies',
    action: 'grant.approve',
    txTime: '2026-11-28T10:07:29.123Z',
    creator: publicIdentity(creator),
    event: { type: 'grant.approved', data: { grant: 'grant/1', amountCents: 125000 } },
  };
  return [
    [
      'a grant: one read of an absent key, one write',
      createPayload({
        ...base,
        nonce: '00112233445566778899aabbccddeeff',
        reads: [{ key: 'grant/1', version: null }],
        writes: [
          { key: 'grant/1', value: { amountCents: 125000, status: 'approved', municipality: 'Utrecht' } },
        ],
      }),
    ],
    [
      'unicode keys and values, a delete, a versioned read, private data',
      createPayload({
        ...base,
        action: 'card.revoke',
        namespace: 'parking',
        nonce: toHex(sha256(utf8Bytes('nonce-2'))),
        reads: [{ key: 'kaart/ß-éé/😀', version: '12:3' }],
        writes: [
          { key: 'kaart/ß-éé/😀', delete: true },
          { key: 'plaats/Zoë', value: { note: 'line\nbreak "quoted" \u2028 \\', n: [1.5, -0.25, 1e21] } },
        ],
        event: { type: 'card.revoked', data: null },
        private: [{ collection: 'holders', key: 'bsn/123', hash: toHex(sha256(utf8Bytes('salt‖data'))) }],
      }),
    ],
    [
      'a genesis config transaction (stand-in config value)',
      createPayload({
        type: 'config',
        channel: CHANNEL,
        namespace: 'config',
        action: 'update',
        txTime: '2026-11-28T10:00:00.000Z',
        nonce: '00'.repeat(32),
        creator: publicIdentity(admin),
        reads: [{ key: 'channel', version: null }],
        writes: [{ key: 'channel', value: { channel: CHANNEL, sequence: 0 } }],
        event: { type: 'config.updated', data: { sequence: 0 } },
      }),
    ],
  ];
}

function identitiesVector(): unknown {
  return {
    description:
      'The self-signed test identities the payload, envelope and block vectors use (base64 DER, Ed25519).',
    identities: [creator, endorser, admin, orderer].map((i) => {
      const c = parseCertificate(i.cert);
      return {
        mspId: i.mspId,
        ...('nodeId' in i ? { nodeId: (i as BlockSigner).nodeId } : {}),
        subject: c.subject.map((a) => `${a.type}=${a.value}`).join(', '),
        serialHex: c.serialHex,
        publicKey: toHex(c.publicKey),
        cert: i.cert,
      };
    }),
  };
}

function derVectors(): unknown {
  const t = Date.UTC(2026, 10, 28, 10, 7, 29);
  const cases: [string, Uint8Array][] = [
    ['INTEGER 0', derInteger(0)],
    ['INTEGER 127', derInteger(127)],
    ['INTEGER 128 (leading 00)', derInteger(128)],
    ['INTEGER -129', derInteger(-129)],
    ['OID 1.3.101.112 (Ed25519)', derOid(OID.ED25519)],
    ['OID 2.5.4.11 (OU)', derOid(OID.ORGANIZATIONAL_UNIT)],
    ['UTF8String "Zoë"', derUtf8String('Zoë')],
    ['UTCTime 2026-11-28T10:07:29Z', derUtcTime(t)],
    ['GeneralizedTime 2026-11-28T10:07:29Z', derGeneralizedTime(t)],
    ['BIT STRING keyUsage digitalSignature', derBitString(Uint8Array.of(0x80), 7)],
    ['SEQUENCE { BOOLEAN TRUE }', derSequence(derBoolean(true))],
    [
      'Name O=Utrecht, OU=client, CN=a',
      encodeName([
        { type: 'O', value: 'Utrecht' },
        { type: 'OU', value: 'client' },
        { type: 'CN', value: 'a' },
      ]),
    ],
  ];
  return {
    description: 'DER encodings (X.690) as the writer makes them and the strict reader accepts them',
    cases: cases.map(([name, der]) => ({ name, der: toHex(der) })),
  };
}

interface Samples {
  readonly payloads: [string, TxPayload][];
  readonly envelopes: Envelope[];
  readonly chain: Block[];
}

function samples(): Samples {
  const payloads = samplePayloads();
  const [grant, unicode, config] = payloads.map(([, p]) => p) as [TxPayload, TxPayload, TxPayload];
  const envelopes = [
    createEnvelope(grant, creator.key, [endorsePayload(grant, endorser)]),
    createEnvelope(unicode, creator.key),
  ];
  const genesis = signBlock(
    buildBlock({
      channel: CHANNEL,
      number: 0,
      previousHash: ZERO_HASH_HEX,
      envelopes: [createEnvelope(config, admin.key)],
      time: '2026-11-28T10:00:00.000Z',
      raft: { term: 0, index: 0 },
      configNumber: 0,
    }),
    orderer,
  );
  const block1 = signBlock(
    buildBlock({
      channel: CHANNEL,
      number: 1,
      previousHash: chainTipOf(genesis).hash,
      envelopes,
      time: '2026-11-28T10:07:30.000Z',
      raft: { term: 2, index: 7 },
      configNumber: 0,
    }),
    orderer,
  );
  return { payloads, envelopes, chain: [genesis, block1] };
}

function transactionVectors(s: Samples): unknown {
  return {
    description:
      'txId = hex(SHA-256(JCS(payload))); envelopeHash = SHA-256(JCS(envelope)), the data of its Merkle leaf; ' +
      'signatures are Ed25519 over the 32 raw txId bytes by the certificate keys of identities.json.',
    payloads: s.payloads.map(([name, p]) => ({
      name,
      payload: p,
      canonical: canonicalize(p),
      txId: txIdOf(p),
    })),
    envelopes: s.envelopes.map((e) => {
      const d = envelopeDigests(e);
      return {
        envelope: e,
        txId: d.txId,
        envelopeHash: toHex(d.envelopeHash),
        merkleLeafHash: toHex(merkleLeafHash(d.envelopeHash)),
      };
    }),
  };
}

function blockVectors(s: Samples): unknown {
  let commitHash = ZERO_HASH_HEX;
  return {
    description:
      'blockHash = hex(SHA-256(JCS(header))); signingHash is what consenters sign: the 32 raw bytes of blockHash (equal to it); ' +
      'canonical is the wire form of the whole block. commitHash chains with every transaction VALID. ' +
      'Hashing and signing vectors: the genesis block carries a stand-in config value (no consenters), so it is not a block a peer ' +
      'would accept as a chain start; chain/ holds a complete chain that verifies under the full rules.',
    blocks: s.chain.map((block) => {
      const blockHash = blockHashOf(block.header);
      const codes = Object.fromEntries(block.envelopes.map((e) => [txIdOf(e.payload), 'VALID' as const]));
      commitHash = commitHashOf(commitHash, blockHash, codes);
      return {
        number: block.header.number,
        blockHash,
        signingHash: toHex(blockSigningHash(block)),
        dataHash: block.header.dataHash,
        inclusion: block.envelopes.map((_, i) => envelopeInclusionProof(block, i)),
        codes,
        commitHash,
        canonical: canonicalize(block),
      };
    }),
  };
}

/** Every vector file: path under test-vectors/ → exact content. */
export function generateVectors(): Map<string, string> {
  const s = samples();
  const files: [string, unknown][] = [
    ['canonical-json.json', canonicalVectors()],
    ['sha256.json', sha256Vectors()],
    ['ed25519.json', ed25519Vectors()],
    ['merkle.json', merkleVectors()],
    ['der.json', derVectors()],
    ['identities.json', identitiesVector()],
    ['transactions.json', transactionVectors(s)],
    ['blocks.json', blockVectors(s)],
  ];
  return new Map(files.map(([name, value]) => [name, `${JSON.stringify(value, null, 2)}\n`]));
}

const VECTORS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../test-vectors');

export function writeVectors(dir: string = VECTORS_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, content] of generateVectors()) {
    writeFileSync(join(dir, file), content);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of writeVectors()) console.log(`wrote test-vectors/${file}`);
}

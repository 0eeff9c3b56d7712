import fc from 'fast-check';
import { keyPairFromSeed, utf8Bytes, sha256 } from '@civic/protocol';
import { describe, expect, it } from 'vitest';
import {
  authenticateReader,
  bearerTokenOf,
  checkReaders,
  createNetwork,
  createRootCa,
  devNetworkSpec,
  fromBase64Url,
  issueIdentityCert,
  mintToken,
  ReaderRefusal,
  Role,
  seededKeySource,
  toBase64Url,
  tokenSource,
  TokenArgumentError,
  TOKEN_TTL_MAX_MS,
  verifyToken,
  type ChannelConfig,
} from '../src/index.js';

const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);
const net = createNetwork(devNetworkSpec('auth'), {
  timeMs: NOW,
  keys: seededKeySource('token-tests'),
  genesisNonce: '00'.repeat(16),
}).network;
const signer = (name: string) => {
  const id = net.identities.get(name);
  if (id === undefined) throw new Error(`no identity ${name}`);
  return id;
};
const user = signer('utrecht-user1');
const mint = (overrides: Partial<Parameters<typeof mintToken>[0]> = {}) =>
  mintToken({
    cert: user.cert,
    key: user.key,
    audience: 'subsidies',
    ttlMs: 10 * 60_000,
    nowMs: NOW,
    ...overrides,
  });
const verify = (token: unknown, nowMs = NOW, audience = 'subsidies') =>
  verifyToken(token, { config: net.config, audience, nowMs });

describe('certificate-bound tokens', () => {
  it('a token minted with a member identity verifies and names its organisation, role and CN', () => {
    const token = mint();
    const [header, claims] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(new TextDecoder().decode(fromBase64Url(p))));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', x5c: [user.cert] });
    expect(claims).toEqual({
      sub: 'utrecht-user1',
      iat: NOW / 1000,
      exp: NOW / 1000 + 600,
      aud: 'subsidies',
    });
    expect(verify(token)).toEqual({
      ok: true,
      caller: expect.objectContaining({
        mspId: 'Utrecht',
        role: 'client',
        commonName: 'utrecht-user1',
        subject: 'CN=utrecht-user1, OU=client, O=Utrecht',
        expiresAtMs: NOW + 600_000,
      }),
    });
  });

  it('refuses an expired token, one for another service, and one living longer than 15 minutes', () => {
    expect(verify(mint(), NOW + 11 * 60_000)).toEqual({
      ok: false,
      reason: 'token expired at 2026-11-28T10:10:00.000Z',
    });
    expect(verify(mint({ audience: 'parking' }))).toEqual({
      ok: false,
      reason: 'token is for "parking", not subsidies',
    });
    expect(() => mint({ ttlMs: TOKEN_TTL_MAX_MS + 1000 })).toThrow(TokenArgumentError);
    expect(() => mint({ ttlMs: TOKEN_TTL_MAX_MS + 1000 })).toThrow(/lifetime must be 1 s to 15 min/);
    expect(() => mint({ audience: '' })).toThrow(/audience must be a name of 1 to 64 characters/);
  });

  it('refuses a certificate not issued by the organisation CA it names', () => {
    const rogueKey = keyPairFromSeed(sha256(utf8Bytes('rogue')));
    const rogueCa = createRootCa({
      mspId: 'Utrecht',
      keyPair: rogueKey,
      notBeforeMs: NOW - 3_600_000,
      notAfterMs: NOW + 86_400_000,
    });
    const cert = issueIdentityCert(rogueCa, {
      commonName: 'utrecht-user1',
      role: Role.CLIENT,
      publicKey: rogueKey.publicKey,
      notBeforeMs: NOW - 3_600_000,
      notAfterMs: NOW + 86_400_000,
    });
    const result = verify(
      mintToken({ cert, key: rogueKey, audience: 'subsidies', ttlMs: 60_000, nowMs: NOW }),
    );
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^UNKNOWN_IDENTITY: certificate .* is not issued by a root CA of Utrecht/,
      ),
    });
  });

  it('refuses a token signed with another key than the certificate names', () => {
    const other = signer('amsterdam-user1');
    const result = verify(
      mintToken({ cert: user.cert, key: other.key, audience: 'subsidies', ttlMs: 60_000, nowMs: NOW }),
    );
    expect(result).toEqual({ ok: false, reason: 'signature does not verify with the certificate key' });
  });

  it('refuses garbage, other algorithms and a missing certificate with a reason', () => {
    expect(verify(undefined)).toEqual({ ok: false, reason: 'no token' });
    expect(verify('a.b')).toMatchObject({ ok: false, reason: /three dot-separated parts/ });
    const [, claims, signature] = mint().split('.');
    const header = (h: unknown) => toBase64Url(utf8Bytes(JSON.stringify(h)));
    expect(verify(`${header({ alg: 'none' })}.${claims}.${signature}`)).toEqual({
      ok: false,
      reason: 'alg must be EdDSA, got "none"',
    });
    expect(verify(`${header({ alg: 'EdDSA' })}.${claims}.${signature}`)).toEqual({
      ok: false,
      reason: 'x5c with the certificate is missing',
    });
  });

  it('property: changing any character of a token makes it fail', () => {
    const token = mint();
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...'AQgw-_.x'), (at, ch) => {
        fc.pre(token[at] !== ch);
        const tampered = token.slice(0, at) + ch + token.slice(at + 1);
        expect(verify(tampered).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('tokenSource', () => {
  it('hands out one token until half its lifetime is gone, then a fresh one', () => {
    let nowMs = NOW;
    const next = tokenSource(
      { cert: user.cert, key: user.key, audience: 'peer', ttlMs: 10 * 60_000 },
      () => nowMs,
    );
    const first = next();
    nowMs += 4 * 60_000;
    expect(next()).toBe(first);
    nowMs += 60_000;
    const second = next();
    expect(second).not.toBe(first);
    expect(verifyToken(second, { config: net.config, audience: 'peer', nowMs })).toMatchObject({
      ok: true,
      caller: { expiresAtMs: nowMs + 10 * 60_000 },
    });
  });
  it('checks its arguments at once', () => {
    expect(() => tokenSource({ cert: user.cert, key: user.key, audience: 'peer', ttlMs: 0 })).toThrow(
      TokenArgumentError,
    );
  });
});

describe('bearerTokenOf', () => {
  it('takes the token of an Authorization: Bearer header, case-insensitive scheme, nothing else', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('bearer abc')).toBe('abc');
    expect(bearerTokenOf(undefined)).toBeNull();
    expect(bearerTokenOf('Basic dXNlcjpwdw==')).toBeNull();
    expect(bearerTokenOf('Bearer ')).toBeNull();
    expect(bearerTokenOf('Bearer a b')).toBeNull();
    expect(bearerTokenOf(['Bearer a', 'Bearer b'])).toBeNull();
  });
});

describe('checkReaders', () => {
  const config = (readers: string): ChannelConfig => ({
    ...net.config,
    policies: { ...net.config.policies, readers },
  });
  it('lets any member of an application organisation read under ANY member', () => {
    expect(checkReaders(net.config, { mspId: 'Utrecht', role: 'client' })).toEqual({ ok: true });
    expect(checkReaders(net.config, { mspId: 'Police', role: 'admin' })).toEqual({ ok: true });
  });
  it('refuses an organisation or a role the policy leaves out, naming the policy', () => {
    const twoOrgs = config("OR('RVO.member', 'Utrecht.member')");
    expect(checkReaders(twoOrgs, { mspId: 'RVO', role: 'peer' })).toEqual({ ok: true });
    expect(checkReaders(twoOrgs, { mspId: 'Amsterdam', role: 'client' })).toEqual({
      ok: false,
      reason:
        "readers policy OR('RVO.member', 'Utrecht.member') not satisfied: missing one of 'RVO.member', 'Utrecht.member' (signed by Amsterdam.client)",
    });
    expect(checkReaders(config('ANY admin'), { mspId: 'RVO', role: 'client' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^readers policy ANY admin not satisfied/),
    });
  });
  it('never lets the ordering organisation read under a meta policy (it is not an application organisation)', () => {
    expect(checkReaders(net.config, { mspId: 'Orderers', role: 'admin' })).toMatchObject({ ok: false });
  });
});

describe('authenticateReader', () => {
  const twoOrgs: ChannelConfig = {
    ...net.config,
    policies: { ...net.config.policies, readers: "OR('RVO.member', 'Utrecht.member')" },
  };
  const header = (name: string, audience = 'peer') => {
    const { cert, key } = signer(name);
    return `Bearer ${mintToken({ cert, key, audience, ttlMs: 60_000, nowMs: NOW })}`;
  };
  const check = (authorization: string | undefined, config = twoOrgs) =>
    authenticateReader(authorization, { config, audience: 'peer', nowMs: NOW });

  it('admits a reader, with the caller its token proves', () => {
    expect(check(header('utrecht-user1'))).toMatchObject({
      ok: true,
      caller: { mspId: 'Utrecht', role: 'client', commonName: 'utrecht-user1' },
    });
  });
  it('refuses without a token, and with a token that does not verify (unauthenticated)', () => {
    expect(check(undefined)).toEqual({
      ok: false,
      refusal: ReaderRefusal.UNAUTHENTICATED,
      tokenGiven: false,
      reason: 'an Authorization: Bearer header is required',
    });
    expect(check(header('utrecht-user1', 'subsidies'))).toEqual({
      ok: false,
      refusal: ReaderRefusal.UNAUTHENTICATED,
      tokenGiven: true,
      reason: 'invalid token: token is for "subsidies", not peer',
    });
  });
  it('refuses a member the readers policy leaves out (forbidden), naming the policy', () => {
    expect(check(header('amsterdam-user1'))).toEqual({
      ok: false,
      refusal: ReaderRefusal.FORBIDDEN,
      tokenGiven: true,
      reason:
        "CN=amsterdam-user1, OU=client, O=Amsterdam may not read channel auth: readers policy OR('RVO.member', 'Utrecht.member') not satisfied: missing one of 'RVO.member', 'Utrecht.member' (signed by Amsterdam.client)",
    });
    expect(check(header('amsterdam-user1'), net.config).ok).toBe(true);
  });
});

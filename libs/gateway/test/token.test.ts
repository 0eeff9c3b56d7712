import fc from 'fast-check';
import { createRootCa, issueIdentityCert, Role } from '@civic/identity';
import { keyPairFromSeed, utf8Bytes, sha256 } from '@civic/protocol';
import { describe, expect, it } from 'vitest';
import {
  accessDenied,
  fromBase64Url,
  mintToken,
  toBase64Url,
  TOKEN_TTL_MAX_MS,
  verifyToken,
} from '../src/index.js';
import { testDevNetwork } from '@civic/testkit/stub-network';

const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);
const net = testDevNetwork('auth', 'token-tests', NOW);
const user = net.signer('utrecht-user1');
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
    expect(() => mint({ ttlMs: TOKEN_TTL_MAX_MS + 1000 })).toThrow(/lifetime must be 1 s to 15 min/);
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
    const other = net.signer('amsterdam-user1');
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

describe('accessDenied', () => {
  const caller = {
    mspId: 'Amsterdam',
    role: 'client',
    commonName: 'amsterdam-user1',
    subject: 'CN=amsterdam-user1, OU=client, O=Amsterdam',
    serialHex: '1',
    expiresAtMs: NOW,
  };
  it("refuses a member of another organisation on the service's own routes, with the reason", () => {
    expect(accessDenied(caller, { orgs: 'own', roles: [] }, 'Utrecht')).toBe(
      'CN=amsterdam-user1, OU=client, O=Amsterdam is a member of Amsterdam; this service acts for Utrecht only',
    );
    expect(accessDenied(caller, { orgs: 'own', roles: ['client'] }, 'Amsterdam')).toBeNull();
    expect(accessDenied(caller, { orgs: 'any', roles: ['admin'] }, 'Utrecht')).toBe(
      'role client may not call this route (allowed: admin)',
    );
    expect(accessDenied(caller, { orgs: ['RVO'], roles: [] }, 'Utrecht')).toBe(
      'Amsterdam may not call this route (allowed: RVO)',
    );
  });
});

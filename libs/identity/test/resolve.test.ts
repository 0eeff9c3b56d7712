import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '@civic/protocol';
import { issueIdentityCert, resolveIdentity, verifyMember, type ChannelConfig } from '../src/index.js';
import { identity, smallNetwork, T0_MS } from './helpers.js';

const claim = (name: string) => ({ mspId: identity(name).mspId, cert: identity(name).cert });

describe('resolveIdentity', () => {
  const { config, cas } = smallNetwork();

  it('resolves a member with its role, name and serial', () => {
    const result = resolveIdentity(config, claim('rvo-subsidies'), T0_MS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.identity).toMatchObject({
      mspId: 'RVO',
      role: 'client',
      commonName: 'rvo-subsidies',
      subject: 'CN=rvo-subsidies, OU=client, O=RVO',
    });
    expect(result.identity.id).toMatch(/^RVO:[0-9a-f]{64}$/);
    expect(resolveIdentity(config, claim('rvo-subsidies'), new Date(T0_MS).toISOString())).toEqual(result);
  });

  it('refuses an unknown organisation and a certificate claimed for another one', () => {
    const unknown = resolveIdentity(config, { mspId: 'Nobody', cert: identity('rvo-admin').cert }, T0_MS);
    expect(unknown).toMatchObject({ ok: false, code: 'UNKNOWN_IDENTITY' });
    const other = resolveIdentity(config, { mspId: 'Utrecht', cert: identity('rvo-admin').cert }, T0_MS);
    expect(other).toMatchObject({ ok: false, code: 'UNKNOWN_IDENTITY' });
    if (!other.ok) expect(other.reason).toContain('not issued by a root CA of Utrecht');
  });

  it('refuses a certificate of a CA outside the config, even with the same names', () => {
    const rogue = smallNetwork().cas.get('RVO')!;
    const forged = issueIdentityCert(
      { ...rogue, keyPair: identity('rvo-peer').keyPair },
      {
        commonName: 'rvo-admin',
        role: 'admin',
        publicKey: identity('rvo-admin').keyPair.publicKey,
        notBeforeMs: T0_MS - 3_600_000,
        notAfterMs: T0_MS + 3_600_000,
      },
    );
    expect(resolveIdentity(config, { mspId: 'RVO', cert: forged }, T0_MS)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_IDENTITY',
    });
  });

  it('refuses before notBefore, after notAfter, and revoked serials as EXPIRED_IDENTITY', () => {
    const before = resolveIdentity(config, claim('rvo-admin'), T0_MS - 2 * 3_600_000);
    expect(before).toMatchObject({ ok: false, code: 'EXPIRED_IDENTITY' });
    if (!before.ok) expect(before.reason).toContain('not valid before');
    const after = resolveIdentity(config, claim('rvo-admin'), T0_MS + 800 * 86_400_000);
    expect(after).toMatchObject({ ok: false, code: 'EXPIRED_IDENTITY' });
    if (!after.ok) expect(after.reason).toContain('expired at');

    const serial = verifyMember(config, claim('rvo-admin'));
    if (!serial.ok) throw new Error('expected a member');
    const revokedConfig: ChannelConfig = {
      ...config,
      sequence: 1,
      organizations: config.organizations.map((org) =>
        org.mspId === 'RVO' ? { ...org, revokedSerials: [serial.identity.serialHex] } : org,
      ),
    };
    const revoked = resolveIdentity(revokedConfig, claim('rvo-admin'), T0_MS);
    expect(revoked).toMatchObject({ ok: false, code: 'EXPIRED_IDENTITY' });
    if (!revoked.ok) expect(revoked.reason).toContain('revoked');
    expect(resolveIdentity(revokedConfig, claim('rvo-subsidies'), T0_MS).ok).toBe(true);
    // The config it was not revoked in still accepts it (caches are per config).
    expect(resolveIdentity(config, claim('rvo-admin'), T0_MS).ok).toBe(true);
  });

  it('refuses malformed certificates, CA certificates and tampered ones', () => {
    expect(resolveIdentity(config, { mspId: 'RVO', cert: 'not base64!' }, T0_MS)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
    expect(resolveIdentity(config, { mspId: 'RVO', cert: 42 as never }, T0_MS)).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
    expect(resolveIdentity(config, { mspId: 'RVO', cert: cas.get('RVO')!.cert }, T0_MS)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_IDENTITY',
    });
    const der = fromBase64(identity('rvo-admin').cert);
    der[der.length - 70] = der[der.length - 70]! ^ 1; // inside the signed part, near the extensions
    const result = resolveIdentity(config, { mspId: 'RVO', cert: toBase64(der) }, T0_MS);
    expect(result.ok).toBe(false);
  });

  it('throws on a time that is not one (a caller bug, not input)', () => {
    expect(() => resolveIdentity(config, claim('rvo-admin'), 'yesterday')).toThrow(TypeError);
  });
});

import * as identity from '@civic/identity';
import { describe, expect, it } from 'vitest';
import { accessDenied, mintToken, verifyToken, TOKEN_TTL_MAX_MS } from '../src/index.js';

const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);

describe('the tokens, as the gateway re-exports them', () => {
  it('are identity’s (tested there: libs/identity/test/token.test.ts)', () => {
    expect(mintToken).toBe(identity.mintToken);
    expect(verifyToken).toBe(identity.verifyToken);
    expect(TOKEN_TTL_MAX_MS).toBe(identity.TOKEN_TTL_MAX_MS);
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

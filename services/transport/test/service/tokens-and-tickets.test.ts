/**
 * The two signed artefacts of the transport service, checked without a network: an inspector's
 * ticket (sharing/ticket.ts) against the dev network's channel config, and a driver token
 * (auth/driver-token.ts) against the key the register holds.
 */
import { generateKeyPair, toHex } from '@civic/protocol';
import { testDevNetwork } from '@civic/testkit/stub-network';
import { describe, expect, it } from 'vitest';
import { mintDriverToken, verifyDriverToken } from '../../src/auth/driver-token.js';
import { signTicket, verifyTicket, type TicketBody } from '../../src/sharing/ticket.js';

const net = testDevNetwork('tickets', 'transport-tickets');
const NOW = Date.now();
const body = (overrides: Partial<TicketBody> = {}): TicketBody => ({
  v: 1,
  channel: 'tickets',
  company: 'Haulier',
  cardNumber: 'NB00000000001100',
  from: '2024-01-01T00:00:00.000Z',
  to: '2024-01-29T00:00:00.000Z',
  purpose: 'ROADSIDE',
  reference: null,
  officer: '4a1f',
  issuedAt: new Date(NOW).toISOString(),
  nonce: '00'.repeat(16),
  ...overrides,
});
const check = {
  config: net.config,
  channel: 'tickets',
  company: 'Haulier',
  nowMs: NOW,
  ttlMs: 300_000,
  clockSkewMs: 30_000,
};

describe('inspector tickets', () => {
  it('accepts a ticket signed by an ILT or police service and names the access by its hash', () => {
    const ilt = verifyTicket(signTicket(body(), net.signer('ilt-transport')), check);
    expect(ilt).toMatchObject({ ok: true, fromMs: Date.parse('2024-01-01T00:00:00Z') });
    const police = verifyTicket(
      signTicket(body({ nonce: '11'.repeat(16) }), net.signer('police-transport')),
      check,
    );
    expect(police.ok && ilt.ok && police.accessId !== ilt.accessId).toBe(true);
  });

  it('refuses other organisations, other roles, other addressees, stale, early and tampered tickets', () => {
    const cases: [string, unknown, string, RegExp][] = [
      [
        'a company',
        signTicket(body(), net.signer('haulier-transport')),
        'NOT_AN_INSPECTOR',
        /Haulier.client is not an inspectorate/,
      ],
      ['RDW', signTicket(body(), net.signer('rdw-transport')), 'NOT_AN_INSPECTOR', /RDW/],
      ['an ILT admin', signTicket(body(), net.signer('ilt-admin')), 'NOT_AN_INSPECTOR', /ILT.admin/],
      [
        'another company',
        signTicket(body({ company: 'Trucker' }), net.signer('ilt-transport')),
        'BAD_TICKET',
        /not Haulier/,
      ],
      [
        'an old ticket',
        signTicket(body({ issuedAt: new Date(NOW - 400_000).toISOString() }), net.signer('ilt-transport')),
        'TICKET_EXPIRED',
        /no longer valid/,
      ],
      [
        'a ticket from the future',
        signTicket(body({ issuedAt: new Date(NOW + 60_000).toISOString() }), net.signer('ilt-transport')),
        'BAD_TICKET',
        /future/,
      ],
      [
        'more than a year',
        signTicket(body({ from: '2022-01-01T00:00:00.000Z' }), net.signer('ilt-transport')),
        'BAD_TICKET',
        /a year/,
      ],
    ];
    for (const [what, ticket, code, reason] of cases) {
      const result = verifyTicket(ticket, check);
      expect(result.ok, what).toBe(false);
      if (!result.ok) {
        expect(result.code, what).toBe(code);
        expect(result.reason, what).toMatch(reason);
      }
    }
    const signed = signTicket(body(), net.signer('ilt-transport'));
    const tampered = verifyTicket(
      { ...signed, body: { ...signed.body, to: '2024-02-29T00:00:00.000Z' } },
      check,
    );
    expect(tampered).toMatchObject({
      ok: false,
      code: 'BAD_TICKET',
      reason: expect.stringMatching(/signature/),
    });
    const extra = verifyTicket({ ...signed, body: { ...signed.body, scope: 'all' } }, check);
    expect(extra).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown field/) });
    expect(verifyTicket(null, check)).toMatchObject({ ok: false, code: 'BAD_TICKET' });
  });
});

describe('driver tokens', () => {
  const card = 'NB00000000001100';
  const key = generateKeyPair();
  const registered = toHex(key.publicKey);
  const keyOf = async (c: string) => (c === card ? registered : null);
  const verify = (token: string, nowMs = NOW, audience = 'transport') =>
    verifyDriverToken(token, { keyOf, audience, nowMs });
  const mint = (overrides: Partial<Parameters<typeof mintDriverToken>[0]> = {}) =>
    mintDriverToken({
      cardNumber: card,
      key,
      audience: 'transport',
      ttlMs: 600_000,
      nowMs: NOW,
      ...overrides,
    });

  it('accepts a token signed with the registered key of the card', async () => {
    expect(await verify(mint())).toMatchObject({ ok: true, cardNumber: card });
  });

  it('refuses another key, another card, expiry, another audience, tampering', async () => {
    expect(await verify(mint({ key: generateKeyPair() }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not verify/),
    });
    expect(await verify(mint({ cardNumber: 'NB00000000002200' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no registered holder key/),
    });
    expect(await verify(mint(), NOW + 700_000)).toMatchObject({ ok: false, reason: 'token expired' });
    expect(await verify(mint(), NOW, 'parking')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not parking/),
    });
    const [h, c, s] = mint().split('.');
    const longer = Buffer.from(
      JSON.stringify({ sub: card, iat: 0, exp: 9_999_999_999, aud: 'transport' }),
    ).toString('base64url');
    expect(await verify(`${h}.${longer}.${s}`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not verify/),
    });
    expect(await verify(`${h}.${c}`)).toMatchObject({ ok: false });
    expect(() => mint({ ttlMs: 3_600_000 })).toThrow(/lifetime/);
  });
});

/**
 * How a driver authenticates (docs/transport.md#drivers). A driver card holds a key pair (as a
 * real tachograph card does); RDW's register on the chain binds the card number to the holder's
 * public key (`card/<card>.driverKey`), written in RDW's signed `card.issue`/`card.update`. A
 * driver token is a JWS compact EdDSA JWT signed with the card's key: header
 * `{alg: "EdDSA", typ: "JWT", kid: "driver-card:<card>"}`, claims `{sub: <card>, iat, exp, aud}`.
 * A service verifies it against the key its own peer has committed for that card: no certificate
 * of the channel is involved, so a driver can read their own records but can never sign a
 * transaction as a member of an organisation.
 */
import {
  fromBase64Url,
  toBase64Url,
  TOKEN_CHARS_MAX,
  TOKEN_CLOCK_SKEW_MS,
  TOKEN_TTL_MAX_MS,
} from '@civic/gateway';
import {
  fromHex,
  signEd25519,
  utf8Bytes,
  utf8Text,
  verifyEd25519,
  type Ed25519KeyPair,
} from '@civic/protocol';
import { CARD_NUMBER_PATTERN } from '../domain/index.js';

export const DRIVER_KID_PREFIX = 'driver-card:';

export interface MintDriverTokenInput {
  readonly cardNumber: string;
  /** The card holder's key pair (its public key is the register's driverKey). */
  readonly key: Ed25519KeyPair;
  readonly audience: string;
  readonly ttlMs: number;
  readonly nowMs: number;
}

function part(value: unknown): string {
  return toBase64Url(utf8Bytes(JSON.stringify(value)));
}

export function mintDriverToken(input: MintDriverTokenInput): string {
  const { cardNumber, key, audience, ttlMs, nowMs } = input;
  if (!CARD_NUMBER_PATTERN.test(cardNumber)) throw new RangeError(`not a card number: ${cardNumber}`);
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1_000 || ttlMs > TOKEN_TTL_MAX_MS) {
    throw new RangeError(
      `driver token lifetime must be 1 s to ${TOKEN_TTL_MAX_MS / 60_000} min, got ${ttlMs} ms`,
    );
  }
  const iat = Math.floor(nowMs / 1000);
  const signingInput = `${part({ alg: 'EdDSA', typ: 'JWT', kid: `${DRIVER_KID_PREFIX}${cardNumber}` })}.${part(
    {
      sub: cardNumber,
      iat,
      exp: iat + Math.floor(ttlMs / 1000),
      aud: audience,
    },
  )}`;
  return `${signingInput}.${toBase64Url(signEd25519(utf8Bytes(signingInput), key))}`;
}

function jsonPart(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(utf8Text(fromBase64Url(text)));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The card a token claims to be for, read WITHOUT verification (to route it to the driver verifier). */
export function driverCardOf(token: string): string | null {
  const header = jsonPart(token.split('.', 1)[0] ?? '');
  const kid = header?.kid;
  if (typeof kid !== 'string' || !kid.startsWith(DRIVER_KID_PREFIX)) return null;
  const card = kid.slice(DRIVER_KID_PREFIX.length);
  return CARD_NUMBER_PATTERN.test(card) ? card : null;
}

export type DriverTokenResult =
  | { readonly ok: true; readonly cardNumber: string; readonly expiresAtMs: number }
  | { readonly ok: false; readonly reason: string };

export interface VerifyDriverTokenOptions {
  /** The card's registered public key (hex), or null when the card or its key is not registered. */
  readonly keyOf: (cardNumber: string) => Promise<string | null>;
  readonly audience: string;
  readonly nowMs: number;
}

/** Checks a driver token; never throws on bad input (the refusal says why, for the 401). */
export async function verifyDriverToken(
  token: string,
  options: VerifyDriverTokenOptions,
): Promise<DriverTokenResult> {
  const fail = (reason: string): DriverTokenResult => ({ ok: false, reason });
  if (token.length > TOKEN_CHARS_MAX) return fail(`token longer than ${TOKEN_CHARS_MAX} characters`);
  const parts = token.split('.');
  if (parts.length !== 3) return fail('not a JWS compact token (three dot-separated parts)');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = jsonPart(headerPart);
  if (header?.alg !== 'EdDSA' || header.crit !== undefined)
    return fail('header must be {alg: EdDSA} without crit');
  const cardNumber = driverCardOf(token);
  if (cardNumber === null) return fail(`kid must be ${DRIVER_KID_PREFIX}<card number>`);
  const keyHex = await options.keyOf(cardNumber);
  if (keyHex === null) return fail(`card ${cardNumber} has no registered holder key`);
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(signaturePart);
  } catch {
    return fail('signature is not base64url');
  }
  if (!verifyEd25519(utf8Bytes(`${headerPart}.${claimsPart}`), signature, fromHex(keyHex))) {
    return fail(`signature does not verify with the key registered for card ${cardNumber}`);
  }
  const claims = jsonPart(claimsPart);
  const { sub, iat, exp, aud } = claims ?? {};
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp))
    return fail('iat and exp must be integer seconds');
  const skewS = TOKEN_CLOCK_SKEW_MS / 1000;
  const nowS = options.nowMs / 1000;
  if ((exp as number) + skewS < nowS) return fail('token expired');
  if ((iat as number) - skewS > nowS) return fail('token issued in the future');
  if (((exp as number) - (iat as number)) * 1000 > TOKEN_TTL_MAX_MS)
    return fail(`token lifetime over ${TOKEN_TTL_MAX_MS / 60_000} min`);
  if (aud !== options.audience) return fail(`token is for ${JSON.stringify(aud)}, not ${options.audience}`);
  if (sub !== cardNumber) return fail('sub must be the card number of kid');
  return { ok: true, cardNumber, expiresAtMs: (exp as number) * 1000 };
}

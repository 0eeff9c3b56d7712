/**
 * Certificate-bound bearer tokens for REST APIs (the domain services', the peers'): a JWS compact
 * serialisation (RFC 7515) of a JWT (RFC 7519) signed with EdDSA / Ed25519 (RFC 8037) by the
 * caller's own identity key, carrying its certificate in `x5c`. Header
 * `{alg: "EdDSA", typ: "JWT", x5c: [<base64 DER>]}`, claims `{sub, iat, exp, aud}` with `sub` the
 * certificate's CN. A server accepts it when the signature verifies with the certificate's key,
 * the certificate is a member of the channel at the current time (issued by its organisation's CA,
 * valid, not revoked), the audience is the server's and the token is short-lived. It is identity:
 * a certificate, resolved against the config in force, at a time.
 */
import type { ChannelConfig } from '../config/types.js';
import { resolveIdentity } from '../msp/resolve.js';
import {
  parseCertificate,
  signEd25519,
  utf8Bytes,
  utf8Text,
  verifyEd25519,
  type CertBase64,
  type Ed25519KeyPair,
} from '@civic/protocol';
import { fromBase64Url, toBase64Url } from './base64url.js';

/** Longest token accepted: a certificate is under 1 KiB; 8 KiB leaves room and bounds the work. */
export const TOKEN_CHARS_MAX = 8_192;
/** Longest lifetime a service accepts (and the CLI mints): a stolen token is useful briefly. */
export const TOKEN_TTL_MAX_MS = 15 * 60_000;
/** Clock difference tolerated between the minting and the verifying machine. */
export const TOKEN_CLOCK_SKEW_MS = 30_000;
/** The audience of tokens for a peer's REST API (docs/peer.md, "REST authentication"). */
export const PEER_TOKEN_AUDIENCE = 'peer';

/** mintToken's arguments are wrong (lifetime, audience, a certificate without CN); nothing was minted. */
export class TokenArgumentError extends Error {
  override readonly name = 'TokenArgumentError';
}

export interface TokenClaims {
  /** The caller's name: the certificate's CN. */
  readonly sub: string;
  /** Issued at / expires, seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
  /** The server the token is for (e.g. `subsidies`, `peer`). */
  readonly aud: string;
}

/** Who called, as the token and its certificate prove. */
export interface Caller {
  readonly mspId: string;
  readonly role: string;
  readonly commonName: string;
  /** `CN=…, OU=…, O=…`. */
  readonly subject: string;
  readonly serialHex: string;
  /** When the token stops being valid (epoch ms). */
  readonly expiresAtMs: number;
}

export interface MintTokenInput {
  readonly cert: CertBase64;
  readonly key: Ed25519KeyPair;
  readonly audience: string;
  readonly ttlMs: number;
  readonly nowMs: number;
}

export function mintToken(input: MintTokenInput): string {
  const { cert, key, audience, ttlMs, nowMs } = input;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1_000 || ttlMs > TOKEN_TTL_MAX_MS) {
    throw new TokenArgumentError(
      `token lifetime must be 1 s to ${TOKEN_TTL_MAX_MS / 60_000} min, got ${ttlMs} ms`,
    );
  }
  if (typeof audience !== 'string' || audience.length === 0 || audience.length > 64) {
    throw new TokenArgumentError('token audience must be a name of 1 to 64 characters');
  }
  const certificate = parseCertificate(cert);
  const cn = certificate.subject.find((a) => a.type === 'CN')?.value;
  if (cn === undefined) throw new TokenArgumentError('certificate has no CN');
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'EdDSA', typ: 'JWT', x5c: [cert] };
  const claims: TokenClaims = { sub: cn, iat, exp: iat + Math.floor(ttlMs / 1000), aud: audience };
  const signingInput = `${toBase64Url(utf8Bytes(JSON.stringify(header)))}.${toBase64Url(utf8Bytes(JSON.stringify(claims)))}`;
  return `${signingInput}.${toBase64Url(signEd25519(utf8Bytes(signingInput), key))}`;
}

/**
 * Tokens of one identity for one audience, for a long-running caller: mints one and hands it out
 * until half its lifetime is gone, then mints the next, so every token sent still has at least
 * `ttlMs / 2` to live.
 */
export function tokenSource(
  input: Omit<MintTokenInput, 'nowMs'>,
  clock: () => number = Date.now,
): () => string {
  const mint = (nowMs: number) => ({
    token: mintToken({ ...input, nowMs }),
    renewAtMs: nowMs + input.ttlMs / 2,
  });
  // The first token is minted at once: bad arguments throw here, not at the first request.
  let current = mint(clock());
  return () => {
    const nowMs = clock();
    if (nowMs >= current.renewAtMs) current = mint(nowMs);
    return current.token;
  };
}

export interface VerifyTokenOptions {
  readonly config: ChannelConfig;
  /** The server's name: the token's `aud` must be it. */
  readonly audience: string;
  readonly nowMs: number;
  readonly ttlMaxMs?: number;
  readonly clockSkewMs?: number;
}

export type VerifyTokenResult =
  { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly reason: string };

function fail(reason: string): VerifyTokenResult {
  return { ok: false, reason };
}

function decodeJsonPart(part: string, what: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(utf8Text(fromBase64Url(part)));
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return `${what} is not a JSON object`;
    return value as Record<string, unknown>;
  } catch {
    return `${what} is not base64url JSON`;
  }
}

const BEARER = /^Bearer ([^\s]+)$/i;

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or null without one. */
export function bearerTokenOf(header: string | readonly string[] | undefined): string | null {
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  return match === null ? null : match[1]!;
}

/** Checks a token; never throws on bad input (a refusal says why, for the 401 body). */
export function verifyToken(token: unknown, options: VerifyTokenOptions): VerifyTokenResult {
  const ttlMaxMs = options.ttlMaxMs ?? TOKEN_TTL_MAX_MS;
  const skewS = (options.clockSkewMs ?? TOKEN_CLOCK_SKEW_MS) / 1000;
  if (typeof token !== 'string' || token.length === 0) return fail('no token');
  if (token.length > TOKEN_CHARS_MAX) return fail(`token longer than ${TOKEN_CHARS_MAX} characters`);
  const parts = token.split('.');
  if (parts.length !== 3) return fail('not a JWS compact token (three dot-separated parts)');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonPart(headerPart, 'header');
  if (typeof header === 'string') return fail(header);
  if (header.alg !== 'EdDSA') return fail(`alg must be EdDSA, got ${JSON.stringify(header.alg)}`);
  if (header.crit !== undefined) return fail('crit header parameters are not supported');
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length < 1 || typeof x5c[0] !== 'string')
    return fail('x5c with the certificate is missing');
  const cert = x5c[0];
  let mspId: string | undefined;
  try {
    mspId = parseCertificate(cert).subject.find((a) => a.type === 'O')?.value;
  } catch (error) {
    return fail(`x5c certificate is not valid: ${(error as Error).message}`);
  }
  if (mspId === undefined) return fail('certificate has no O (organisation)');
  const resolved = resolveIdentity(options.config, { mspId, cert }, options.nowMs);
  if (!resolved.ok) return fail(`${resolved.code}: ${resolved.reason}`);
  const { identity } = resolved;
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(signaturePart);
  } catch {
    return fail('signature is not base64url');
  }
  if (!verifyEd25519(utf8Bytes(`${headerPart}.${claimsPart}`), signature, identity.publicKey)) {
    return fail('signature does not verify with the certificate key');
  }
  const claims = decodeJsonPart(claimsPart, 'claims');
  if (typeof claims === 'string') return fail(claims);
  const { sub, iat, exp, aud, nbf } = claims;
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    !Number.isSafeInteger(iat) ||
    !Number.isSafeInteger(exp)
  ) {
    return fail('iat and exp must be integer seconds');
  }
  const nowS = options.nowMs / 1000;
  if (exp + skewS < nowS) return fail(`token expired at ${new Date(exp * 1000).toISOString()}`);
  if (iat - skewS > nowS) return fail('token issued in the future');
  if (typeof nbf === 'number' && nbf - skewS > nowS) return fail('token not valid yet (nbf)');
  if ((exp - iat) * 1000 > ttlMaxMs) return fail(`token lifetime over ${ttlMaxMs / 60_000} min`);
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(options.audience))
    return fail(`token is for ${JSON.stringify(aud)}, not ${options.audience}`);
  if (sub !== identity.commonName)
    return fail(`sub ${JSON.stringify(sub)} is not the certificate's CN ${identity.commonName}`);
  return {
    ok: true,
    caller: {
      mspId: identity.mspId,
      role: identity.role,
      commonName: identity.commonName,
      subject: identity.subject,
      serialHex: identity.serialHex,
      expiresAtMs: exp * 1000,
    },
  };
}

/**
 * Citizen tokens (docs/parking.md#rest-api, "How a holder authenticates"). A citizen never holds
 * a certificate of the channel. The municipality where the person is registered authenticates
 * the citizen in its own portal (DigiD in practice: outside this system), then asks its parking
 * service for a holder token: a gateway-style EdDSA JWT signed by the municipality's parking
 * service identity (certificate in `x5c`), audience `parking-holder`, lifetime at most 15 min,
 * with the holder's `hid` as an extra claim. Any parking service verifies it with gateway's
 * `verifyToken` (the certificate must be a client of a municipality of the channel) and then
 * serves only that hid's records, and only when the token's municipality is the holder's.
 */
import { fromBase64Url, TOKEN_TTL_MAX_MS, toBase64Url } from '@civic/gateway';
import { parseCertificate, signEd25519, utf8Bytes, utf8Text, type Signer } from '@civic/protocol';

export const HOLDER_AUDIENCE = 'parking-holder';

export function mintHolderToken(signer: Signer, hid: string, nowMs: number, ttlMs: number): string {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1_000 || ttlMs > TOKEN_TTL_MAX_MS) {
    throw new RangeError(`holder token lifetime must be 1 s to 15 min, got ${ttlMs} ms`);
  }
  const cn = parseCertificate(signer.cert).subject.find((a) => a.type === 'CN')?.value;
  if (cn === undefined) throw new RangeError('service certificate has no CN');
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'EdDSA', typ: 'JWT', x5c: [signer.cert] };
  const claims = { sub: cn, iat, exp: iat + Math.floor(ttlMs / 1000), aud: HOLDER_AUDIENCE, hid };
  const input = `${toBase64Url(utf8Bytes(JSON.stringify(header)))}.${toBase64Url(utf8Bytes(JSON.stringify(claims)))}`;
  return `${input}.${toBase64Url(signEd25519(utf8Bytes(input), signer.key))}`;
}

/** A claim of a token's payload, read WITHOUT verification (to pick the audience to verify for). */
export function peekClaim(token: string, name: string): unknown {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const claims = JSON.parse(utf8Text(fromBase64Url(part))) as Record<string, unknown>;
    return claims !== null && typeof claims === 'object' ? claims[name] : undefined;
  } catch {
    return undefined;
  }
}

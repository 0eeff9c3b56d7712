import {
  BoundedCache,
  certificateSignedBy,
  CertificateError,
  parseCertificate,
  toHex,
  type CertBase64,
  type Certificate,
  type NameAttribute,
  type Rfc3339,
} from '@civic/protocol';
import type { ChannelConfig } from '../config/types.js';
import { isRole, type Role } from '../roles.js';

/**
 * Identity resolution: is this (mspId, certificate) a member of the channel, with which role,
 * at this time? Used by the orderer's intake and the peer's validation on every envelope, so
 * the expensive part (parsing and verifying the chain) is cached per config object and
 * certificate; the time, revocation and role checks are cheap and run on every call.
 * Deterministic: the time is an argument.
 */

export const IdentityErrorCode = {
  /** Does not chain to a root of the named organisation, or the organisation is unknown. */
  UNKNOWN_IDENTITY: 'UNKNOWN_IDENTITY',
  /** Not yet valid, no longer valid, or revoked. */
  EXPIRED_IDENTITY: 'EXPIRED_IDENTITY',
  /** Not a parsable certificate. */
  MALFORMED: 'MALFORMED',
} as const;
export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

export interface Identity {
  readonly mspId: string;
  readonly role: Role;
  readonly commonName: string;
  readonly serialHex: string;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** `CN=<name>, OU=<role>, O=<mspId>`. */
  readonly subject: string;
  /**
   * `<mspId>:<public key hex>`: one signer, whichever certificate it shows. Pass identities
   * straight to evaluatePolicy: two signatures by one key count once.
   */
  readonly id: string;
  /** Validity, epoch ms. */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export type ResolveResult =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly code: IdentityErrorCode; readonly reason: string };

/** Bound on cached chain verifications per config: a channel has a few hundred identities. */
export const VERIFIED_CERTS_PER_CONFIG_MAX = 4096;

interface OrgIndex {
  readonly roots: readonly Certificate[];
  readonly revoked: ReadonlySet<string>;
}

type ChainResult =
  | { readonly ok: true; readonly identity: Identity; readonly root: Certificate }
  | { readonly ok: false; readonly code: IdentityErrorCode; readonly reason: string };

interface ConfigIndex {
  readonly orgs: ReadonlyMap<string, OrgIndex>;
  readonly chains: BoundedCache<string, ChainResult>;
}

/** One index per config object: configs are immutable once in force, so the cache never goes stale. */
const indexes = new WeakMap<ChannelConfig, ConfigIndex>();

function indexOf(config: ChannelConfig): ConfigIndex {
  let index = indexes.get(config);
  if (index !== undefined) return index;
  const orgs = new Map<string, OrgIndex>();
  for (const org of config.organizations) {
    const roots: Certificate[] = [];
    for (const root of org.rootCerts) {
      try {
        roots.push(parseCertificate(root));
      } catch {
        // An unparsable root mints nothing; validateConfig reports it.
      }
    }
    orgs.set(org.mspId, { roots, revoked: new Set(org.revokedSerials) });
  }
  index = { orgs, chains: new BoundedCache(VERIFIED_CERTS_PER_CONFIG_MAX) };
  indexes.set(config, index);
  return index;
}

/** Epoch ms of a time argument (RFC 3339 string or epoch ms). */
function timeMs(atTime: Rfc3339 | number): number {
  const ms = typeof atTime === 'number' ? atTime : Date.parse(atTime);
  if (!Number.isFinite(ms)) throw new TypeError(`not a time: ${JSON.stringify(atTime)}`);
  return ms;
}

function attribute(name: readonly NameAttribute[], type: string): string | undefined {
  const found = name.filter((a) => a.type === type);
  return found.length === 1 ? found[0]!.value : undefined;
}

function sameName(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  return a.length === b.length && a.every((x, i) => x.oid === b[i]!.oid && x.value === b[i]!.value);
}

/** RFC 4514 order (most specific first): `CN=rvo-admin, OU=admin, O=RVO`. */
export function formatSubject(name: readonly NameAttribute[]): string {
  return [...name]
    .reverse()
    .map((a) => `${a.type}=${a.value}`)
    .join(', ');
}

function fail(code: IdentityErrorCode, reason: string): ChainResult {
  return { ok: false, code, reason };
}

/** Parses the certificate and checks everything about it that does not depend on time. */
function verifyChain(org: OrgIndex, mspId: string, cert: CertBase64): ChainResult {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(cert);
  } catch (error) {
    if (error instanceof CertificateError || error instanceof TypeError) {
      return fail(IdentityErrorCode.MALFORMED, `certificate of ${mspId} is not valid: ${error.message}`);
    }
    throw error;
  }
  const subject = formatSubject(certificate.subject);
  const root = org.roots.find(
    (r) => sameName(r.subject, certificate.issuer) && certificateSignedBy(certificate, r.publicKey),
  );
  if (root === undefined) {
    return fail(
      IdentityErrorCode.UNKNOWN_IDENTITY,
      `certificate "${subject}" is not issued by a root CA of ${mspId}`,
    );
  }
  if (certificate.isCa)
    return fail(IdentityErrorCode.UNKNOWN_IDENTITY, `certificate "${subject}" is a CA, not an identity`);
  if (certificate.keyUsage !== undefined && !certificate.keyUsage.includes('digitalSignature')) {
    return fail(
      IdentityErrorCode.UNKNOWN_IDENTITY,
      `certificate "${subject}" may not sign (no digitalSignature key usage)`,
    );
  }
  const o = attribute(certificate.subject, 'O');
  if (o !== mspId)
    return fail(
      IdentityErrorCode.UNKNOWN_IDENTITY,
      `certificate "${subject}" belongs to O=${o ?? '(none)'}, not ${mspId}`,
    );
  const role = attribute(certificate.subject, 'OU');
  if (!isRole(role)) {
    return fail(
      IdentityErrorCode.UNKNOWN_IDENTITY,
      `certificate "${subject}" has no known role in OU (admin, client, peer, orderer)`,
    );
  }
  const commonName = attribute(certificate.subject, 'CN');
  if (commonName === undefined)
    return fail(IdentityErrorCode.UNKNOWN_IDENTITY, `certificate "${subject}" has no single CN`);
  const identity: Identity = Object.freeze({
    mspId,
    role,
    commonName,
    serialHex: certificate.serialHex,
    publicKey: certificate.publicKey,
    subject,
    id: `${mspId}:${toHex(certificate.publicKey)}`,
    notBeforeMs: certificate.notBeforeMs,
    notAfterMs: certificate.notAfterMs,
  });
  return { ok: true, identity, root };
}

type MemberChain =
  | { readonly ok: true; readonly org: OrgIndex; readonly chain: ChainResult & { ok: true } }
  | (ResolveResult & { ok: false });

function memberChain(
  config: ChannelConfig,
  claimed: { readonly mspId: string; readonly cert: CertBase64 },
): MemberChain {
  const { mspId, cert } = claimed ?? {};
  if (typeof mspId !== 'string' || typeof cert !== 'string') {
    return { ok: false, code: IdentityErrorCode.MALFORMED, reason: 'identity needs a string mspId and cert' };
  }
  const index = indexOf(config);
  const org = index.orgs.get(mspId);
  if (org === undefined) {
    return {
      ok: false,
      code: IdentityErrorCode.UNKNOWN_IDENTITY,
      reason: `organisation ${JSON.stringify(mspId)} is not in the channel config`,
    };
  }
  const cacheKey = `${mspId}\u0000${cert}`;
  let chain = index.chains.get(cacheKey);
  if (chain === undefined) {
    chain = verifyChain(org, mspId, cert);
    index.chains.set(cacheKey, chain);
  }
  return chain.ok ? { ok: true, org, chain } : chain;
}

/**
 * The time-independent part of resolveIdentity: chains to a root of the organisation, is not a
 * CA, carries the mspId in O and a known role in OU. Used to check consenters and by config
 * validation, which must not depend on a clock.
 */
export function verifyMember(
  config: ChannelConfig,
  claimed: { readonly mspId: string; readonly cert: CertBase64 },
): ResolveResult {
  const member = memberChain(config, claimed);
  return member.ok ? { ok: true, identity: member.chain.identity } : member;
}

/**
 * Resolves a creator, endorser or block signer against the config in force at `atTime`
 * (block time or transaction time, RFC 3339 or epoch ms): chains to a root CA of the named
 * organisation (issuer name and signature), is valid at that time (as is its root), is not
 * revoked, carries a known role. Never throws on bad input: a refusal has a code and a reason.
 */
export function resolveIdentity(
  config: ChannelConfig,
  claimed: { readonly mspId: string; readonly cert: CertBase64 },
  atTime: Rfc3339 | number,
): ResolveResult {
  const atMs = timeMs(atTime);
  const member = memberChain(config, claimed);
  if (!member.ok) return member;
  const { org, chain } = member;
  const { identity, root } = chain;
  const at = new Date(atMs).toISOString();
  if (atMs < identity.notBeforeMs) {
    return expired(
      `certificate "${identity.subject}" is not valid before ${new Date(identity.notBeforeMs).toISOString()} (time ${at})`,
    );
  }
  if (atMs > identity.notAfterMs) {
    return expired(
      `certificate "${identity.subject}" expired at ${new Date(identity.notAfterMs).toISOString()} (time ${at})`,
    );
  }
  if (atMs < root.notBeforeMs || atMs > root.notAfterMs) {
    return expired(`root CA of ${claimed.mspId} is not valid at ${at}`);
  }
  if (org.revoked.has(identity.serialHex)) {
    return expired(`certificate "${identity.subject}" is revoked (serial ${identity.serialHex})`);
  }
  return { ok: true, identity };
}

function expired(reason: string): ResolveResult {
  return { ok: false, code: IdentityErrorCode.EXPIRED_IDENTITY, reason };
}

/**
 * The inspector's signed request for a card's records (docs/transport.md#sharing). An inspector's
 * service signs a ticket with its organisation's key; the company's service checks the signature
 * and the certificate against the channel config in force (an ILT or police `client`), that the
 * ticket is addressed to it, and that it is fresh. The ticket's hash is the access's id: the
 * access log names each access once, whichever replica served it and however many chunk
 * requests followed.
 */
import { resolveIdentity, type ChannelConfig } from '@civic/identity';
import {
  canonicalBytes,
  fromHex,
  hashCanonicalHex,
  isHex,
  sha256,
  signEd25519,
  toHex,
  verifyEd25519,
  type Signer,
} from '@civic/protocol';
import {
  ACCESS_PURPOSES,
  CARD_NUMBER_PATTERN,
  isInspectorate,
  LIMITS,
  type AccessPurpose,
} from '../domain/index.js';
import { parseRfc3339Utc } from '../rules/time.js';

export interface TicketBody {
  readonly v: 1;
  readonly channel: string;
  /** The company asked (mspId): a ticket is good at that company only. */
  readonly company: string;
  readonly cardNumber: string;
  /** The period the inspector checks; the company serves it with LIMITS.contextMs before. */
  readonly from: string;
  readonly to: string;
  readonly purpose: AccessPurpose;
  readonly reference: string | null;
  /** The officer: serial of the certificate the inspector's REST call was made with. */
  readonly officer: string;
  readonly issuedAt: string;
  /** 16 random bytes, hex: two accesses with the same fields are two accesses. */
  readonly nonce: string;
}

export interface Ticket {
  readonly body: TicketBody;
  readonly requester: { readonly mspId: string; readonly cert: string };
  /** Ed25519 over SHA-256 of the body's canonical JSON, hex. */
  readonly signature: string;
}

export function signTicket(body: TicketBody, signer: Signer): Ticket {
  return {
    body,
    requester: { mspId: signer.mspId, cert: signer.cert },
    signature: toHex(signEd25519(sha256(canonicalBytes(body)), signer.key)),
  };
}

/** The access's id: hex(SHA-256(JCS(body))). */
export function accessIdOf(ticket: Ticket): string {
  return hashCanonicalHex(ticket.body);
}

export interface TicketCheck {
  readonly config: ChannelConfig;
  readonly channel: string;
  /** This service's organisation: tickets must name it. */
  readonly company: string;
  readonly nowMs: number;
  /** How long after issuedAt the ticket is still good. */
  readonly ttlMs: number;
  readonly clockSkewMs: number;
}

export type TicketResult =
  | {
      readonly ok: true;
      readonly body: TicketBody;
      readonly accessId: string;
      readonly fromMs: number;
      readonly toMs: number;
    }
  | {
      readonly ok: false;
      readonly code: 'BAD_TICKET' | 'NOT_AN_INSPECTOR' | 'TICKET_EXPIRED';
      readonly reason: string;
    };

const TICKET_FIELDS = [
  'v',
  'channel',
  'company',
  'cardNumber',
  'from',
  'to',
  'purpose',
  'reference',
  'officer',
  'issuedAt',
  'nonce',
];

function bodyProblem(body: Record<string, unknown>): string | null {
  if (Object.keys(body).some((k) => !TICKET_FIELDS.includes(k))) return 'unknown field in the ticket';
  if (body.v !== 1) return 'ticket version must be 1';
  if (typeof body.cardNumber !== 'string' || !CARD_NUMBER_PATTERN.test(body.cardNumber))
    return 'bad cardNumber';
  if (!(ACCESS_PURPOSES as readonly unknown[]).includes(body.purpose)) return 'bad purpose';
  if (body.reference !== null && (typeof body.reference !== 'string' || body.reference.length > 80))
    return 'bad reference';
  if (typeof body.officer !== 'string' || !/^[0-9a-f]{2,40}$/.test(body.officer)) return 'bad officer';
  if (!isHex(body.nonce, 16)) return 'nonce must be 16 bytes of hex';
  return null;
}

function time(value: unknown): number | null {
  return typeof value === 'string' ? parseRfc3339Utc(value) : null;
}

/** Checks a ticket; never throws on bad input. */
export function verifyTicket(raw: unknown, check: TicketCheck): TicketResult {
  const bad = (reason: string): TicketResult => ({ ok: false, code: 'BAD_TICKET', reason });
  if (raw === null || typeof raw !== 'object') return bad('ticket must be an object');
  const { body, requester, signature } = raw as Partial<Ticket>;
  if (body === null || typeof body !== 'object' || requester === null || typeof requester !== 'object') {
    return bad('ticket needs body and requester');
  }
  const problem = bodyProblem(body as unknown as Record<string, unknown>);
  if (problem !== null) return bad(problem);
  if (body.channel !== check.channel || body.company !== check.company) {
    return bad(
      `ticket is for ${String(body.company)} on ${String(body.channel)}, not ${check.company} on ${check.channel}`,
    );
  }
  const [fromMs, toMs, issuedMs] = [time(body.from), time(body.to), time(body.issuedAt)];
  if (fromMs === null || toMs === null || issuedMs === null)
    return bad('from, to and issuedAt must be RFC 3339 UTC');
  if (fromMs >= toMs || toMs - fromMs > LIMITS.rangeMsMax)
    return bad('from must be before to, at most a year apart');
  if (issuedMs - check.clockSkewMs > check.nowMs) return bad('ticket issued in the future');
  if (issuedMs + check.ttlMs + check.clockSkewMs < check.nowMs) {
    return {
      ok: false,
      code: 'TICKET_EXPIRED',
      reason: `ticket issued at ${body.issuedAt} is no longer valid`,
    };
  }
  const identity = resolveIdentity(
    check.config,
    { mspId: String(requester.mspId), cert: String(requester.cert) },
    check.nowMs,
  );
  if (!identity.ok)
    return { ok: false, code: 'NOT_AN_INSPECTOR', reason: `${identity.code}: ${identity.reason}` };
  const { mspId, role, publicKey } = identity.identity;
  if (!isInspectorate(mspId) || role !== 'client') {
    return {
      ok: false,
      code: 'NOT_AN_INSPECTOR',
      reason: `${mspId}.${role} is not an inspectorate's service`,
    };
  }
  if (!isHex(signature, 64) || !verifyEd25519(sha256(canonicalBytes(body)), fromHex(signature), publicKey)) {
    return bad('signature does not verify with the requester certificate');
  }
  return { ok: true, body, accessId: hashCanonicalHex(body), fromMs, toMs };
}

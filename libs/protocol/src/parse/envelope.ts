/**
 * The strict parser of envelopes (docs/protocol.md, "Envelope").
 */
import { canonicalize } from '../canonical-json.js';
import { ED25519_SIGNATURE_BYTES } from '../ed25519.js';
import type { Endorsement, Envelope } from '../types.js';
import {
  expectArray,
  expectCertificate,
  expectHex,
  expectName,
  expectObject,
  fieldPath,
  checkSize,
  itemPath,
} from './checks.js';
import { BadValueError } from './errors.js';
import type { ProtocolLimits } from './limits.js';
import { readPayload, type Read } from './payload.js';

export function readEnvelope(value: unknown, path: string, limits: ProtocolLimits): Read<Envelope> {
  const o = expectObject(value, path, ['payload', 'signature', 'endorsements']);
  const payload = readPayload(o.payload, fieldPath(path, 'payload'), limits);
  const envelope: Envelope = {
    payload: payload.value,
    signature: expectHex(o.signature, fieldPath(path, 'signature'), ED25519_SIGNATURE_BYTES),
    endorsements: readEndorsements(o.endorsements, fieldPath(path, 'endorsements'), limits),
  };
  const text = envelopeText(envelope, payload.text);
  checkSize(text, limits.envelopeBytesMax, path, 'envelope');
  return { value: Object.freeze(envelope), text };
}

/**
 * The canonical text of {endorsements, payload, signature} (members in RFC 8785 order) with the
 * payload's text reused. Only for envelopes of exactly these members, as the parser makes.
 */
export function envelopeText(envelope: Envelope, payloadText: string): string {
  return `{"endorsements":${canonicalize(envelope.endorsements)},"payload":${payloadText},"signature":${canonicalize(envelope.signature)}}`;
}

function readEndorsements(value: unknown, path: string, limits: ProtocolLimits): readonly Endorsement[] {
  const seen = new Set<string>();
  return Object.freeze(
    expectArray(value, path, limits.endorsementsMax).map((item, i) => {
      const at = itemPath(path, i);
      const o = expectObject(item, at, ['mspId', 'cert', 'signature']);
      const cert = expectCertificate(o.cert, fieldPath(at, 'cert'));
      // An endorser counts once for a policy; a repeat is padding at best, so it is refused.
      if (seen.has(cert)) throw new BadValueError(fieldPath(at, 'cert'), 'the same endorser appears twice');
      seen.add(cert);
      return Object.freeze({
        mspId: expectName('MSP_ID', o.mspId, fieldPath(at, 'mspId')),
        cert,
        signature: expectHex(o.signature, fieldPath(at, 'signature'), ED25519_SIGNATURE_BYTES),
      });
    }),
  );
}

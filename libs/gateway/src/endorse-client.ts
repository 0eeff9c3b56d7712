/**
 * The creator's side of endorsement: ask each organisation's endorsers in parallel on
 * `civic.<channel>.endorse.<mspId>` and check every endorsement that comes back (right
 * organisation, a certificate of the channel at the txTime, a signature over the txId).
 */
import { resolveIdentity, type ChannelConfig } from '@civic/identity';
import {
  NoRespondersError,
  RemoteHandlerError,
  RequestTimeoutError,
  requestJson,
  type ChannelSubjects,
} from '@civic/messaging';
import { fromHex, isHex, verifyEd25519, type Endorsement, type TxPayload } from '@civic/protocol';
import { SpanKind, withSpan } from '@civic/telemetry';
import { BadEndorsementError, EndorsementRefusedError, EndorserUnavailableError } from './errors.js';
import type { EndorseReply, EndorseRequest } from './endorsement-wire.js';

export interface CollectInput {
  readonly payload: TxPayload;
  readonly txId: string;
  readonly input: unknown;
  readonly minHeight: number;
  readonly endorsers: readonly string[];
  readonly config: ChannelConfig;
}

export interface CollectContext {
  readonly nc: Parameters<typeof requestJson>[0];
  readonly subjects: ChannelSubjects;
  readonly timeoutMs: number;
}

/** Checks one endorsement of `txId` by `mspId`; throws BadEndorsementError. */
export function verifyEndorsement(
  config: ChannelConfig,
  mspId: string,
  endorsement: Endorsement,
  txId: string,
  txTime: string,
): Endorsement {
  if (endorsement === null || typeof endorsement !== 'object')
    throw new BadEndorsementError(mspId, 'not an object');
  if (endorsement.mspId !== mspId) {
    throw new BadEndorsementError(mspId, `signed for ${String(endorsement.mspId)}, not ${mspId}`);
  }
  const resolved = resolveIdentity(config, endorsement, txTime);
  if (!resolved.ok) throw new BadEndorsementError(mspId, `${resolved.code}: ${resolved.reason}`);
  if (
    !isHex(endorsement.signature, 64) ||
    !verifyEd25519(fromHex(txId), fromHex(endorsement.signature), resolved.identity.publicKey)
  ) {
    throw new BadEndorsementError(mspId, `the signature does not verify over txId ${txId}`);
  }
  return { mspId: endorsement.mspId, cert: endorsement.cert, signature: endorsement.signature };
}

async function askOne(
  context: CollectContext,
  mspId: string,
  request: EndorseRequest,
  input: CollectInput,
): Promise<Endorsement> {
  let reply: EndorseReply;
  try {
    reply = await withSpan(
      `endorse ${mspId}`,
      { kind: SpanKind.CLIENT, attributes: { 'civic.endorser': mspId, 'civic.tx_id': input.txId } },
      () =>
        requestJson<EndorseReply>(context.nc, context.subjects.endorse(mspId), request, {
          timeoutMs: context.timeoutMs,
        }),
    );
  } catch (cause) {
    const why =
      cause instanceof NoRespondersError
        ? 'no endorser is listening'
        : cause instanceof RequestTimeoutError
          ? `no answer within ${context.timeoutMs} ms`
          : cause instanceof RemoteHandlerError
            ? `failed with ${cause.code}: ${cause.remoteMessage}`
            : (cause as Error).message;
    throw new EndorserUnavailableError(mspId, why, { cause });
  }
  if (reply?.status === 'ENDORSED') {
    return verifyEndorsement(input.config, mspId, reply.endorsement, input.txId, input.payload.txTime);
  }
  if (reply?.status === 'REFUSED') {
    throw new EndorsementRefusedError(
      mspId,
      String(reply.code),
      String(reply.reason),
      reply.violation ?? null,
      Number.isSafeInteger(reply.height) ? (reply.height as number) : null,
    );
  }
  throw new EndorserUnavailableError(mspId, `unexpected reply ${JSON.stringify(reply).slice(0, 200)}`);
}

/**
 * Endorsements of every organisation in `input.endorsers`, in that order. When several fail,
 * a refusal (a reason from an endorser) is reported before unavailability.
 */
export async function collectEndorsements(
  context: CollectContext,
  input: CollectInput,
): Promise<Endorsement[]> {
  if (input.endorsers.length === 0) return [];
  const request: EndorseRequest = { payload: input.payload, input: input.input, minHeight: input.minHeight };
  const settled = await Promise.allSettled(
    input.endorsers.map((mspId) => askOne(context, mspId, request, input)),
  );
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const refusal = failures.find((f) => f instanceof EndorsementRefusedError);
  if (refusal !== undefined) throw refusal;
  if (failures.length > 0) throw failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<Endorsement>).value);
}

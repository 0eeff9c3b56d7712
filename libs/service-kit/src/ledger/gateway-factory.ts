/**
 * The organisation's Gateway as every domain service runs it: background events logged, and,
 * when the service endorses, its endorser serving `civic.<channel>.endorse.<mspId>` with each
 * answer counted, timed and logged.
 */
import {
  Gateway,
  type ConfigSource,
  type EndorseAnswer,
  type EndorsementLogic,
  type GatewayBounds,
  type PeerClient,
} from '@civic/gateway';
import type { Signer } from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../observability/metrics.js';

export interface DomainGatewayOptions {
  readonly channel: string;
  readonly peerId: string;
  readonly signer: Signer;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** The logic endorsers run per (namespace, action); omit for a service that never endorses. */
  readonly logicFor?: (namespace: string, action: string) => EndorsementLogic | undefined;
  /**
   * The namespace this service endorses. One organisation may run several domain services on
   * the same `.endorse.<mspId>` subject: each answers only its own namespace's requests.
   */
  readonly namespace: string;
  readonly bounds?: Partial<GatewayBounds>;
  /** Replacements for tests (an in-process peer, a fixed config). */
  readonly peer?: PeerClient;
  readonly config?: ConfigSource;
}

export function createDomainGateway(nc: NatsConnection, options: DomainGatewayOptions): Gateway {
  const { logger, metrics } = options;
  const gateway = new Gateway({
    channel: options.channel,
    nc,
    signer: options.signer,
    peerId: options.peerId,
    clock: options.clock,
    ...(options.bounds ? { bounds: options.bounds } : {}),
    ...(options.peer ? { peer: options.peer } : {}),
    ...(options.config ? { config: options.config } : {}),
    onEvent: (event) => {
      if (event.kind === 'error') logger.warn({ err: event.error }, 'gateway background error');
      else logger.info(event, `gateway ${event.kind}`);
    },
  });
  if (options.logicFor !== undefined) {
    gateway.serveEndorsements({
      logicFor: options.logicFor,
      namespaces: [options.namespace],
      onAnswer: (answer: EndorseAnswer) => recordEndorsement(answer, metrics, logger),
    });
  }
  return gateway;
}

function recordEndorsement(answer: EndorseAnswer, metrics: ServiceMetrics, logger: Logger): void {
  const result = answer.reply.status === 'ENDORSED' ? 'ENDORSED' : answer.reply.code;
  const action = answer.action ?? 'unknown';
  metrics.endorsements.inc({ action, result });
  metrics.endorseSeconds.observe({ action }, answer.durationMs / 1000);
  logger.info(
    {
      txId: answer.txId,
      action: answer.action,
      creator: answer.creatorMspId,
      result,
      ...(answer.reply.status === 'REFUSED' ? { reason: answer.reply.reason } : {}),
      durationMs: Math.round(answer.durationMs),
    },
    'endorsement',
  );
}

import { pino, type Logger } from 'pino';

/** Structured JSON logs, one object per line, carrying the node id and channel on every line. */
export function createOrdererLogger(options: { nodeId: string; channel: string; level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: 'orderer', nodeId: options.nodeId, channel: options.channel },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger } from 'pino';

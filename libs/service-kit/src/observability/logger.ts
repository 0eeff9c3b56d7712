import { pino, type Logger } from 'pino';

/** Structured JSON logs carrying the service, organisation and channel on every line. */
export function createServiceLogger(options: {
  readonly service: string;
  readonly mspId: string;
  readonly channel: string;
  readonly level: string;
}): Logger {
  return pino({
    level: options.level,
    base: { service: options.service, org: options.mspId, channel: options.channel },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger } from 'pino';

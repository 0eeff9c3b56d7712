import { pino, type Logger } from 'pino';

/** Structured JSON logs carrying the organisation and channel on every line. */
export function createServiceLogger(options: { mspId: string; channel: string; level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: 'subsidies', org: options.mspId, channel: options.channel },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger } from 'pino';

import { pino, type Logger } from 'pino';

/** Structured JSON logs (one object per line) carrying the peer id and channel on every line. */
export function createPeerLogger(options: { peerId: string; channel: string; level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: 'peer', peerId: options.peerId, channel: options.channel },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger } from 'pino';

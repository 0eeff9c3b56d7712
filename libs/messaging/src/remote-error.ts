import type { MsgHdrs } from '@nats-io/nats-core';
import { RemoteHandlerError } from './errors.js';

/**
 * A responder whose handler failed answers with an empty body and these headers, so that the
 * requester gets a typed error at once instead of waiting for its timeout.
 */
export const ErrorHeader = {
  CODE: 'Civic-Error-Code',
  MESSAGE: 'Civic-Error',
} as const;

/** Header values cannot hold CR/LF; long messages are cut so a reply stays small. */
const MESSAGE_CHARS_MAX = 512;

function headerSafe(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, MESSAGE_CHARS_MAX);
}

/** The code a thrown value is reported with: its string `code`, else its class name. */
export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return headerSafe(code);
    if (err instanceof Error) return headerSafe(err.name);
  }
  return 'Error';
}

/** Sets the error headers describing `err` on `headers`. */
export function setErrorHeaders(headers: MsgHdrs, code: string, message: string): MsgHdrs {
  headers.set(ErrorHeader.CODE, headerSafe(code));
  headers.set(ErrorHeader.MESSAGE, headerSafe(message) || '(no message)');
  return headers;
}

/** Throws {@link RemoteHandlerError} when a reply carries the error headers. */
export function throwIfRemoteError(subject: string, headers: MsgHdrs | undefined): void {
  if (headers === undefined || !headers.has(ErrorHeader.CODE)) return;
  throw new RemoteHandlerError(subject, headers.get(ErrorHeader.CODE), headers.get(ErrorHeader.MESSAGE));
}

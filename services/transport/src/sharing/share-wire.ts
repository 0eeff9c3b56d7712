/**
 * The wire of record sharing (docs/transport.md#sharing): request/reply on
 * `civic.<channel>.private.transport.<companyMspId>`, queue group `transport-private` (the
 * company's replicas share the requests). Every request carries the inspector's signed ticket.
 *
 * - `open`: the company logs the access and answers with its uploads of the card in the ticket's
 *   period (plus the engine's context before it): ref, salt, header and chunk count of each.
 * - `chunks`: activities of up to CHUNKS_PER_REQUEST_MAX chunks of one of those uploads (NATS
 *   messages are bounded at 1 MiB: a year of records takes about fifty chunks).
 */
import { NameKind, SUBJECT_ROOT, assertName } from '@civic/messaging';
import type { UploadContent, UploadRef } from '../domain/index.js';
import type { ActivityInput } from '../rules/index.js';
import type { Ticket } from './ticket.js';

export const SHARE_QUEUE = 'transport-private';
/** 8 chunks of 400 activities: at most ~420 KB of JSON per reply. */
export const CHUNKS_PER_REQUEST_MAX = 8;

export function shareSubject(channel: string, company: string): string {
  return `${SUBJECT_ROOT}.${assertName(NameKind.CHANNEL, channel)}.private.transport.${assertName(NameKind.MSP_ID, company)}`;
}

export type ShareRequest =
  | { readonly op: 'open'; readonly ticket: Ticket }
  | {
      readonly op: 'chunks';
      readonly ticket: Ticket;
      readonly uploadId: string;
      readonly from: number;
      readonly count: number;
    };

export interface SharedUpload {
  readonly ref: UploadRef;
  readonly salt: string;
  readonly chunks: number;
  readonly header: Omit<UploadContent, 'activities'>;
}

export type ShareReply =
  | { readonly status: 'OPEN'; readonly accessId: string; readonly uploads: readonly SharedUpload[] }
  | {
      readonly status: 'CHUNKS';
      readonly uploadId: string;
      readonly from: number;
      readonly activities: readonly ActivityInput[];
    }
  | { readonly status: 'REFUSED'; readonly code: string; readonly reason: string };

/**
 * What a company's service does before it submits `records.upload`: validate the records (a bad
 * upload is refused before anything is read or stored), work out the upload's window, and load
 * from its own private store the earlier uploads the findings depend on. The transaction checks
 * the same window on the state it reads, so a concurrent upload makes it refuse rather than
 * compute findings on stale context.
 */
import { keys, type UploadIndexBucket, type UploadRef } from './records.js';
import { canonicalUpload, type CanonicalUpload, type UploadContent } from './upload.js';
import type { StateReader } from './views.js';
import { contextRefs, uploadWindow } from './window.js';
import type { ContextUpload, UploadRecordsInput } from './tx/upload.js';

export interface StoredUpload {
  readonly salt: string;
  readonly content: UploadContent;
}

export interface PreparedUpload {
  readonly canonical: CanonicalUpload;
  readonly input: UploadRecordsInput;
}

export async function prepareUpload(options: {
  readonly reader: StateReader;
  /** The company's stored upload (salt and content) behind a ref, from its private store. */
  readonly load: (ref: UploadRef) => Promise<StoredUpload>;
  readonly company: string;
  readonly cardNumber: string;
  readonly records: unknown;
  readonly salt: string;
  readonly now: string;
}): Promise<PreparedUpload> {
  const { reader, cardNumber } = options;
  const canonical = canonicalUpload(cardNumber, options.records, options.now);
  const window = uploadWindow(canonical.startMs, canonical.endMs);
  const buckets: (UploadIndexBucket | undefined)[] = [];
  for (const month of window.contextMonths) {
    buckets.push(await reader.get<UploadIndexBucket>(keys.uploadIndex(cardNumber, month)));
  }
  const context: ContextUpload[] = [];
  for (const ref of contextRefs(buckets, options.company, window, canonical.startMs)) {
    const stored = await options.load(ref);
    context.push({ uploadId: ref.uploadId, salt: stored.salt, content: stored.content });
  }
  const { cardNumber: _card, ...records } = canonical.content;
  return { canonical, input: { cardNumber, salt: options.salt, records, context } };
}

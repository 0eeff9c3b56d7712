/**
 * The check every service makes before it runs the engine on stored or shared records: each
 * upload's content, with its salt, hashes to the chain's hash. "A company cannot show an
 * inspector something other than what it uploaded", and a company's own view rests on the same
 * check of its store.
 */
import { uploadHash, type LoadedUpload, type StoredUpload, type UploadRef } from '../domain/index.js';
import { RecordsMismatchError } from './errors.js';

export function verifiedUpload(ref: UploadRef, stored: StoredUpload, servedBy: string): LoadedUpload {
  if (stored.content.cardNumber === undefined || uploadHash(stored.salt, stored.content) !== ref.hash) {
    throw new RecordsMismatchError(
      servedBy,
      ref.uploadId,
      `the records ${servedBy} served for upload ${ref.uploadId} do not match the hash on the chain`,
    );
  }
  return { ref, content: stored.content };
}

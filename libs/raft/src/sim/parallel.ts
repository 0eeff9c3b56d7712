import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CampaignSummary } from './campaign.js';
import { emptySummary, mergeSummaries } from './campaign.js';
import type { SimOptions } from './scenario.js';

export type CampaignOptions = Omit<SimOptions, 'seed'>;

/** Messages between the campaign and its workers. */
export interface WorkRequest {
  readonly from: number;
  readonly count: number;
}
export interface WorkReply {
  readonly summary: CampaignSummary;
}

/**
 * Runs seeds [from, from + count) on `workers` threads (worker.js, from the built package),
 * handing out small chunks so that both cores stay busy to the end. `onProgress` gets the
 * running summary after each chunk.
 */
export async function runCampaignParallel(
  from: number,
  count: number,
  options: CampaignOptions,
  workers = availableParallelism(),
  onProgress?: (summary: CampaignSummary) => void,
): Promise<CampaignSummary> {
  const total = emptySummary();
  const chunk = Math.max(1, Math.min(25, Math.ceil(count / (workers * 40))));
  let next = from;
  const end = from + count;
  const threads = Math.max(1, Math.min(workers, count));
  await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: options });
      return new Promise<void>((resolve, reject) => {
        const dispatch = (): void => {
          if (next >= end) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const request: WorkRequest = { from: next, count: Math.min(chunk, end - next) };
          next += request.count;
          worker.postMessage(request);
        };
        worker.on('message', (reply: WorkReply) => {
          mergeSummaries(total, reply.summary);
          onProgress?.(total);
          dispatch();
        });
        worker.on('error', reject);
        dispatch();
      });
    }),
  );
  total.failures.sort((a, b) => a.seed - b.seed);
  return total;
}

import { parentPort, workerData } from 'node:worker_threads';
import { runSeeds } from './campaign.js';
import type { CampaignOptions, WorkReply, WorkRequest } from './parallel.js';

/** A campaign worker: runs the chunks of seeds it is sent and replies with their summary. */
const options = workerData as CampaignOptions;
parentPort?.on('message', (request: WorkRequest) => {
  const reply: WorkReply = { summary: runSeeds(request.from, request.count, options) };
  parentPort?.postMessage(reply);
});

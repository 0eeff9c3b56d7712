import { jetstreamManager } from '@nats-io/jetstream';
import { closeNats, connectNats, deleteStreams, readBlock, streamNames } from '@civic/messaging';
import { blockHashOf } from '@civic/protocol';
import { CliError } from '../output.js';

export type StreamCheck = 'none' | 'this-network' | 'deleted';

/**
 * Whether the channel's block stream on NATS belongs to this network: its block 0 must be this
 * network's genesis block. A stream of another genesis (a `dev-net` removed and created anew on
 * the same channel) would make every peer refuse block 0. When this run created the network, such
 * streams are of a network that no longer exists and are deleted (blocks, commits, events);
 * otherwise nothing is deleted and a CliError says what to do.
 */
export async function checkChannelStreams(
  natsUrl: string,
  channel: string,
  genesisHash: string,
  createdNow: boolean,
): Promise<StreamCheck> {
  const nc = await connectNats({ url: natsUrl, name: 'civic-dev-up' });
  try {
    const jsm = await jetstreamManager(nc);
    const names = streamNames(channel);
    const info = await jsm.streams.info(names.blocks).catch(() => null);
    if (info === null || info.state.messages === 0) return 'none';
    const first = await readBlock(jsm, channel, 0).catch(() => null);
    const theirs = first === null ? 'unreadable' : blockHashOf(first.header);
    if (theirs === genesisHash) return 'this-network';
    if (!createdNow)
      throw new CliError(
        `NATS holds the block stream of channel ${channel} of another network (its block 0 is ${theirs.slice(0, 16)}…, this network's ${genesisHash.slice(0, 16)}…): ` +
          `delete them (nats stream rm ${names.blocks}, ${names.commits}, ${names.events}) or remove this network's folder to start a new one`,
      );
    await deleteStreams(jsm, channel);
    return 'deleted';
  } finally {
    await closeNats(nc);
  }
}

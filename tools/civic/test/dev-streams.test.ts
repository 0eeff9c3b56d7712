import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGenesisBytes } from '@civic/identity';
import { publishBlock } from '@civic/messaging';
import { utf8Text, type Block } from '@civic/protocol';
import { createTestChannel, natsUrl, type TestChannel } from '@civic/testkit';
import { ensureDevNetwork, type DevNetwork } from '../src/dev/network-setup.js';
import { checkChannelStreams } from '../src/dev/stream-check.js';

/** The channel's block stream on the real NATS, holding this network's genesis block or not. */
let channel: TestChannel;
let dir: string;
let dev: DevNetwork;

beforeAll(async () => {
  channel = await createTestChannel();
  dir = mkdtempSync(join(tmpdir(), 'civic-dev-streams-'));
  dev = ensureDevNetwork(join(dir, 'net'), channel.channel, Date.now());
});
afterAll(async () => {
  await channel.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the block stream of the channel', () => {
  it('is empty, then this network’s; another genesis is refused, or deleted for a network created now', async () => {
    const url = natsUrl();
    expect(await checkChannelStreams(url, channel.channel, dev.genesisHash, false)).toBe('none');
    const genesis = JSON.parse(utf8Text(readGenesisBytes(dev.network))) as Block;
    await publishBlock(channel.js, channel.channel, genesis);
    expect(await checkChannelStreams(url, channel.channel, dev.genesisHash, false)).toBe('this-network');
    const other = 'ab'.repeat(32);
    await expect(checkChannelStreams(url, channel.channel, other, false)).rejects.toThrow(
      new RegExp(
        `NATS holds the block stream of channel ${channel.channel} of another network .*delete them`,
      ),
    );
    expect(await checkChannelStreams(url, channel.channel, other, true)).toBe('deleted');
    expect(await checkChannelStreams(url, channel.channel, other, false)).toBe('none');
  });
});

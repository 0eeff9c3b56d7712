import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntryType, type Entry } from '@civic/raft';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalCorruptError } from '../src/errors.js';
import { Wal } from '../src/storage/wal.js';
import { WalRecordType, type WalRecord } from '../src/storage/wal-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orderer-wal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(index: number, bytes: number): Entry {
  return { term: 2, index, type: EntryType.Normal, data: new Uint8Array(bytes).fill(index % 251) };
}

const RECORDS: WalRecord[] = [
  { type: WalRecordType.HARD_STATE, hardState: { term: 2, vote: 'orderer1', commit: 1 } },
  { type: WalRecordType.ENTRIES, entries: [entry(2, 10), entry(3, 0)] },
  { type: WalRecordType.HARD_STATE, hardState: { term: 2, vote: 'orderer1', commit: 3 } },
  { type: WalRecordType.ENTRIES, entries: [entry(4, 300)] },
];

async function replay(): Promise<{ records: WalRecord[]; truncated: unknown }> {
  const records: WalRecord[] = [];
  const { wal, truncated } = await Wal.open(dir, (r) => records.push(r));
  await wal.close();
  return { records, truncated };
}

async function segmentPath(): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();
  return join(dir, names.at(-1) as string);
}

describe('write-ahead log', () => {
  it('replays what was appended, records and bytes intact', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.append(RECORDS.slice(0, 2), true);
    await wal.append(RECORDS.slice(2), true);
    await wal.close();
    const { records, truncated } = await replay();
    expect(truncated).toBeNull();
    expect(records).toEqual(RECORDS);
  });

  it('drops a torn last record, whatever byte it was cut at, and keeps the others', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.append(RECORDS.slice(0, 3), true);
    await wal.close();
    const path = await segmentPath();
    const intactBytes = (await stat(path)).size;
    const { wal: again } = await Wal.open(dir, () => undefined);
    await again.append(RECORDS.slice(3), true);
    await again.close();
    const full = await readFile(path);
    for (let cut = intactBytes; cut < full.length; cut++) {
      await writeFile(path, full.subarray(0, cut));
      const { records, truncated } = await replay();
      expect(records).toEqual(RECORDS.slice(0, 3));
      expect(truncated === null).toBe(cut === intactBytes);
      // The torn bytes are gone from the file: the next append follows the intact records.
      expect((await stat(path)).size).toBe(intactBytes);
    }
  });

  it('drops a last record whose bytes were damaged (checksum)', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.append(RECORDS, true);
    await wal.close();
    const path = await segmentPath();
    const full = await readFile(path);
    for (const position of [full.length - 1, full.length - 200, full.length - 310]) {
      const damaged = Buffer.from(full);
      damaged[position] = (damaged[position] as number) ^ 0x5a;
      await writeFile(path, damaged);
      const { records, truncated } = await replay();
      expect(records).toEqual(RECORDS.slice(0, 3));
      expect(truncated).not.toBeNull();
    }
  });

  it('refuses a damaged record in an older segment', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.append(RECORDS, true);
    const older = await segmentPath();
    await wal.rewrite(RECORDS.slice(0, 1));
    await wal.close();
    // Put a damaged copy of the old segment back in front of the new one.
    const full = Buffer.from(await readFile(await segmentPath()));
    full[full.length - 1] = (full[full.length - 1] as number) ^ 1;
    await writeFile(older, Buffer.concat([full, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]));
    await expect(Wal.open(dir, () => undefined)).rejects.toBeInstanceOf(WalCorruptError);
  });

  it('rewrite replaces the segments with the live state, and appends continue after it', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.append(RECORDS, true);
    const snapshot: WalRecord = {
      type: WalRecordType.SNAPSHOT,
      snapshot: {
        metadata: { index: 4, term: 2, confState: { voters: ['a', 'b'], learners: [] } },
        data: Uint8Array.of(7, 8),
      },
    };
    await wal.rewrite([snapshot]);
    await wal.append([RECORDS[0] as WalRecord], false);
    await wal.close();
    expect((await readdir(dir)).filter((n) => n.endsWith('.log'))).toHaveLength(1);
    const { records } = await replay();
    expect(records).toEqual([snapshot, RECORDS[0]]);
  });

  it('ignores a rewrite that never completed (temporary file)', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.append(RECORDS, true);
    await wal.close();
    await writeFile(join(dir, 'wal-0000000000000002.log.tmp'), Uint8Array.of(1, 2, 3));
    const { records } = await replay();
    expect(records).toEqual(RECORDS);
    expect((await readdir(dir)).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('an empty segment file replays as nothing', async () => {
    const { wal } = await Wal.open(dir, () => undefined);
    await wal.close();
    await truncate(await segmentPath(), 0);
    expect((await replay()).records).toEqual([]);
  });
});

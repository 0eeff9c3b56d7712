import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { WalCorruptError } from '../errors.js';
import { ensureDir, openReadWrite, syncDir } from './fsutil.js';
import { encodeFrames, readFrameAt, writeFully } from './frame.js';
import { decodeWalRecord, encodeWalRecord, type WalRecord } from './wal-records.js';

/**
 * The write-ahead log: append-only segment files `wal-<16 digits>.log` of framed records
 * (frame.ts, wal-records.ts). Appends go to the newest segment; `sync` makes them durable
 * (one fsync per Ready). `rewrite` starts a new segment holding only the live state (after a
 * snapshot): it is written under a temporary name, fsynced, renamed and the directory fsynced
 * before older segments are removed, so a crash at any point leaves either the old segments or
 * the complete new one.
 *
 * On open, every segment is replayed in order. An unreadable record in the newest segment is a
 * torn tail (a crash during an append): it and anything after it are cut off and never handed
 * out. An unreadable record in an older segment is corruption: WalCorruptError.
 */
export interface WalOpenResult {
  readonly wal: Wal;
  /** Set when a torn tail was cut off: where and why. */
  readonly truncated: {
    readonly file: string;
    readonly offset: number;
    readonly droppedBytes: number;
    readonly reason: string;
  } | null;
}

const SEGMENT = /^wal-(\d{16})\.log$/;
const TEMP_SUFFIX = '.tmp';

function segmentName(seq: number): string {
  return `wal-${String(seq).padStart(16, '0')}.log`;
}

export class Wal {
  private constructor(
    readonly dir: string,
    private seq: number,
    private handle: FileHandle,
    private size: number,
    /** Bytes of all segments, for the snapshot trigger. */
    private totalBytes: number,
  ) {}

  /** Opens (creating if needed) the log in `dir` and replays every record through `onRecord`. */
  static async open(dir: string, onRecord: (record: WalRecord) => void): Promise<WalOpenResult> {
    await ensureDir(dir);
    const names = await readdir(dir);
    for (const name of names) if (name.endsWith(TEMP_SUFFIX)) await rm(join(dir, name), { force: true });
    const seqs = names
      .map((n) => SEGMENT.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let truncated: WalOpenResult['truncated'] = null;
    let totalBytes = 0;
    for (let i = 0; i < seqs.length; i++) {
      const file = join(dir, segmentName(seqs[i] as number));
      const last = i === seqs.length - 1;
      const result = await replaySegment(file, onRecord);
      if (result.problem !== null) {
        if (!last) throw new WalCorruptError(file, result.problem.offset, result.problem.reason);
        const handle = await open(file, 'r+');
        try {
          await handle.truncate(result.validEnd);
          await handle.sync();
        } finally {
          await handle.close();
        }
        truncated = {
          file,
          offset: result.validEnd,
          droppedBytes: result.fileBytes - result.validEnd,
          reason: result.problem.reason,
        };
      }
      totalBytes += result.validEnd;
    }
    const seq = seqs.at(-1) ?? 1;
    const file = join(dir, segmentName(seq));
    const handle = await openReadWrite(file);
    const size = (await handle.stat()).size;
    if (seqs.length === 0) await syncDir(dir);
    return { wal: new Wal(dir, seq, handle, size, totalBytes), truncated };
  }

  /** Bytes held by all segments. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Appends records to the newest segment; fsyncs when `sync` (before anything depends on them). */
  async append(records: readonly WalRecord[], sync: boolean): Promise<void> {
    if (records.length === 0 && !sync) return;
    if (records.length > 0) {
      const data = encodeFrames(records.map(encodeWalRecord));
      await writeFully(this.handle, data, this.size);
      this.size += data.length;
      this.totalBytes += data.length;
    }
    if (sync) await this.handle.datasync();
  }

  /**
   * Replaces every segment by one holding `records` (the live state: a snapshot, the hard state,
   * the entries after the snapshot). Durable when it resolves.
   */
  async rewrite(records: readonly WalRecord[]): Promise<void> {
    const nextSeq = this.seq + 1;
    const finalPath = join(this.dir, segmentName(nextSeq));
    const tempPath = finalPath + TEMP_SUFFIX;
    const data = encodeFrames(records.map(encodeWalRecord));
    const temp = await open(tempPath, 'w');
    try {
      await writeFully(temp, data, 0);
      await temp.sync();
    } finally {
      await temp.close();
    }
    await rename(tempPath, finalPath);
    await syncDir(this.dir);
    const old = this.handle;
    const oldSeq = this.seq;
    this.handle = await openReadWrite(finalPath);
    this.seq = nextSeq;
    this.size = data.length;
    this.totalBytes = data.length;
    await old.close();
    for (const name of await readdir(this.dir)) {
      const match = SEGMENT.exec(name);
      if (match && Number(match[1]) <= oldSeq) await rm(join(this.dir, name), { force: true });
    }
    await syncDir(this.dir);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

interface SegmentReplay {
  readonly validEnd: number;
  readonly fileBytes: number;
  readonly problem: { readonly offset: number; readonly reason: string } | null;
}

async function replaySegment(file: string, onRecord: (record: WalRecord) => void): Promise<SegmentReplay> {
  const handle = await open(file, 'r');
  try {
    const fileBytes = (await handle.stat()).size;
    let offset = 0;
    while (offset < fileBytes) {
      const read = await readFrameAt(handle, offset, fileBytes);
      if (!read.ok) return { validEnd: offset, fileBytes, problem: { offset, reason: read.reason } };
      onRecord(decodeWalRecord(read.frame.type, read.frame.payload, file, offset));
      offset = read.frame.end;
    }
    return { validEnd: offset, fileBytes, problem: null };
  } finally {
    await handle.close();
  }
}

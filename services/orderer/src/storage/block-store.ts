import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BlockNotFoundError, BlockStoreAppendError, BlockStoreCorruptError } from '../errors.js';
import { ensureDir, openReadWrite, syncDir } from './fsutil.js';
import { encodeFrames, readFrameAt, readFully, writeFully, FRAME_HEADER_BYTES } from './frame.js';

/**
 * The orderer's durable chain: `blocks.dat`, one framed record (frame.ts, type BLOCK) per
 * block holding the block's canonical JSON bytes, in block order; and `blocks.idx`, one u64
 * little-endian offset per block (a cache: rebuilt from `blocks.dat` when short or damaged).
 * Both are functions of the chain alone, so every orderer's files are byte-identical.
 *
 * A block counts as stored once `append` resolves: the data file is fsynced first. On open a
 * torn last record (crash during an append) is cut off; the block is still in the Raft log
 * and is applied again. A bad record before the tail is corruption: BlockStoreCorruptError.
 */
export const BLOCK_RECORD_TYPE = 1;
const DATA_FILE = 'blocks.dat';
const INDEX_FILE = 'blocks.idx';
const OFFSET_BYTES = 8;

export interface BlockStoreOpenResult {
  readonly store: BlockStore;
  readonly truncated: {
    readonly offset: number;
    readonly droppedBytes: number;
    readonly reason: string;
  } | null;
}

export class BlockStore {
  private constructor(
    readonly dir: string,
    private readonly data: FileHandle,
    private readonly index: FileHandle,
    /** offsets[n] = where block n's record starts; plus the end of the data. */
    private readonly offsets: number[],
    private dataBytes: number,
  ) {}

  static async open(dir: string): Promise<BlockStoreOpenResult> {
    await ensureDir(dir);
    const dataPath = join(dir, DATA_FILE);
    const data = await openReadWrite(dataPath);
    const index = await openReadWrite(join(dir, INDEX_FILE));
    try {
      const dataBytes = (await data.stat()).size;
      const offsets = await loadIndex(index, dataBytes);
      // Records after the last indexed one: appended but not indexed, or a torn tail.
      let at = 0;
      const lastIndexed = offsets.at(-1);
      if (lastIndexed !== undefined) {
        at = await recordEnd(data, lastIndexed, dataBytes, dataPath);
        // A torn last indexed record is rescanned below as part of the tail.
        if (at === lastIndexed) offsets.pop();
      }
      let truncated: BlockStoreOpenResult['truncated'] = null;
      while (at < dataBytes) {
        const read = await readFrameAt(data, at, dataBytes);
        if (!read.ok) {
          truncated = { offset: at, droppedBytes: dataBytes - at, reason: read.reason };
          await data.truncate(at);
          await data.sync();
          break;
        }
        offsets.push(at);
        at = read.frame.end;
      }
      await rewriteIndex(index, offsets);
      await syncDir(dir);
      return { store: new BlockStore(dir, data, index, offsets, at), truncated };
    } catch (error) {
      await data.close();
      await index.close();
      throw error;
    }
  }

  /** Number of blocks stored (the next block's number). */
  get height(): number {
    return this.offsets.length;
  }

  get path(): string {
    return join(this.dir, DATA_FILE);
  }

  /**
   * Appends blocks `height`, `height + 1`, … (their canonical bytes) and fsyncs: stored when
   * this resolves. Throws BlockStoreAppendError when the numbers do not continue the chain.
   */
  async append(blocks: readonly { readonly number: number; readonly bytes: Uint8Array }[]): Promise<void> {
    if (blocks.length === 0) return;
    blocks.forEach((block, i) => {
      if (block.number !== this.height + i) {
        throw new BlockStoreAppendError(
          `block ${block.number} does not follow the stored height ${this.height + i}`,
        );
      }
    });
    const buffer = encodeFrames(blocks.map((b) => ({ type: BLOCK_RECORD_TYPE, payload: b.bytes })));
    await writeFully(this.data, buffer, this.dataBytes);
    await this.data.datasync();
    const newOffsets: number[] = [];
    let at = this.dataBytes;
    for (const block of blocks) {
      newOffsets.push(at);
      at += FRAME_HEADER_BYTES + block.bytes.length;
    }
    await writeFully(this.index, encodeOffsets(newOffsets), this.offsets.length * OFFSET_BYTES);
    this.offsets.push(...newOffsets);
    this.dataBytes = at;
  }

  /** The canonical bytes of block `number`. */
  async read(number: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(number) || number < 0 || number >= this.height) {
      throw new BlockNotFoundError(number, this.height);
    }
    const offset = this.offsets[number] as number;
    const end = number + 1 < this.height ? (this.offsets[number + 1] as number) : this.dataBytes;
    const read = await readFrameAt(this.data, offset, end);
    if (!read.ok)
      throw new BlockStoreCorruptError(this.path, `block ${number} at byte ${offset}: ${read.reason}`);
    return read.frame.payload;
  }

  async close(): Promise<void> {
    await this.data.close();
    await this.index.close();
  }
}

function encodeOffsets(offsets: readonly number[]): Uint8Array {
  const out = new Uint8Array(offsets.length * OFFSET_BYTES);
  const view = new DataView(out.buffer);
  offsets.forEach((offset, i) => view.setBigUint64(i * OFFSET_BYTES, BigInt(offset), true));
  return out;
}

/** The index's offsets up to the first one that is not plausible (increasing, inside the data). */
async function loadIndex(index: FileHandle, dataBytes: number): Promise<number[]> {
  const bytes = (await index.stat()).size;
  const count = Math.floor(bytes / OFFSET_BYTES);
  const raw = new Uint8Array(count * OFFSET_BYTES);
  if (raw.length > 0) await readFully(index, raw, 0);
  const view = new DataView(raw.buffer);
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const offset = Number(view.getBigUint64(i * OFFSET_BYTES, true));
    const previous = offsets.at(-1);
    if (offset >= dataBytes || (previous === undefined ? offset !== 0 : offset <= previous)) break;
    offsets.push(offset);
  }
  return offsets;
}

/** End of the indexed record at `offset`; checks it fully (a torn tail may sit in the index). */
async function recordEnd(data: FileHandle, offset: number, dataBytes: number, path: string): Promise<number> {
  const read = await readFrameAt(data, offset, dataBytes);
  if (!read.ok) {
    // The last indexed record is torn: the scan from its offset handles it as a tail.
    return offset;
  }
  if (read.frame.type !== BLOCK_RECORD_TYPE)
    throw new BlockStoreCorruptError(path, `record at ${offset} is not a block`);
  return read.frame.end;
}

async function rewriteIndex(index: FileHandle, offsets: readonly number[]): Promise<void> {
  await index.truncate(0);
  await writeFully(index, encodeOffsets(offsets), 0);
  await index.sync();
}

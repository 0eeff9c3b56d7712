import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/**
 * The record framing shared by the write-ahead log and the block store:
 *
 *   [u32 LE payload length][u32 LE CRC-32 of (type ‖ payload)][u8 type][payload]
 *
 * A record is valid when its header is complete, its payload lies within the file and its
 * CRC matches. A crash in the middle of an append leaves a record that fails one of these
 * (a torn tail); readers stop there and never hand it out.
 */
export const FRAME_HEADER_BYTES = 9;

/** Largest payload a frame may claim: a bound on memory when a length field is garbage. */
export const FRAME_PAYLOAD_BYTES_MAX = 64 * 1024 * 1024;

export function frameChecksum(type: number, payload: Uint8Array): number {
  return crc32(payload, crc32(Uint8Array.of(type)));
}

/** The bytes of one record. */
export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 255)
    throw new RangeError(`frame type ${type} is not a byte`);
  if (payload.length > FRAME_PAYLOAD_BYTES_MAX) {
    throw new RangeError(`frame payload of ${payload.length} bytes exceeds ${FRAME_PAYLOAD_BYTES_MAX}`);
  }
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, frameChecksum(type, payload), true);
  out[8] = type;
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Several records as one buffer (one write, one fsync). */
export function encodeFrames(records: readonly { type: number; payload: Uint8Array }[]): Uint8Array {
  const frames = records.map((r) => encodeFrame(r.type, r.payload));
  const out = new Uint8Array(frames.reduce((sum, f) => sum + f.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}

export interface Frame {
  readonly type: number;
  readonly payload: Uint8Array;
  /** Where the record starts and where the next one starts, in bytes from the file's start. */
  readonly offset: number;
  readonly end: number;
}

/** Why the record at an offset could not be read. */
export type FrameProblem = { readonly offset: number; readonly reason: string };

export type FrameRead =
  { readonly ok: true; readonly frame: Frame } | ({ readonly ok: false } & FrameProblem);

/** Reads the record at `offset` of a file of `fileBytes` bytes (positional reads). */
export async function readFrameAt(fh: FileHandle, offset: number, fileBytes: number): Promise<FrameRead> {
  if (offset + FRAME_HEADER_BYTES > fileBytes) {
    return { ok: false, offset, reason: `incomplete header (${fileBytes - offset} bytes left)` };
  }
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  await readFully(fh, header, offset);
  const view = new DataView(header.buffer);
  const length = view.getUint32(0, true);
  const checksum = view.getUint32(4, true);
  const type = header[8] as number;
  if (length > FRAME_PAYLOAD_BYTES_MAX) return { ok: false, offset, reason: `implausible length ${length}` };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > fileBytes) {
    return { ok: false, offset, reason: `record of ${length} bytes runs past the end of the file` };
  }
  const payload = new Uint8Array(length);
  await readFully(fh, payload, offset + FRAME_HEADER_BYTES);
  if (frameChecksum(type, payload) !== checksum) return { ok: false, offset, reason: 'checksum mismatch' };
  return { ok: true, frame: { type, payload, offset, end } };
}

/** Reads exactly `into.length` bytes at `position`. */
export async function readFully(fh: FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new RangeError(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
}

/** Writes all of `data` at `position`. */
export async function writeFully(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

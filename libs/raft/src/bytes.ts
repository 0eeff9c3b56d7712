import { CodecError } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Grows a byte buffer as values are written (unsigned LEB128 varints, length-prefixed bytes). */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialBytes = 256) {
    this.buffer = new Uint8Array(initialBytes);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value & 0xff;
  }

  /** A non-negative safe integer, 7 bits per byte (at most 8 bytes for 2^53 − 1). */
  varuint(value: number): void {
    this.ensure(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  bytes(value: Uint8Array): void {
    this.varuint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  string(value: string): void {
    // Node ids are short ASCII: write them directly, without a TextEncoder allocation.
    if (value.length < 0x80 && isAscii(value)) {
      this.ensure(value.length + 1);
      this.buffer[this.length++] = value.length;
      for (let i = 0; i < value.length; i++) this.buffer[this.length++] = value.charCodeAt(i);
      return;
    }
    this.bytes(utf8Encoder.encode(value));
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Reads what ByteWriter wrote; every read checks bounds and throws CodecError naming `what`. */
export class ByteReader {
  private position = 0;

  constructor(private readonly input: Uint8Array) {}

  byte(what: string): number {
    if (this.position >= this.input.length) throw new CodecError(`truncated input reading ${what}`);
    return this.input[this.position++] as number;
  }

  varuint(what: string): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte(what);
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new CodecError(`${what} exceeds 2^53 − 1`);
        if (i > 0 && b === 0) throw new CodecError(`${what} is not minimally encoded`);
        return value;
      }
      scale *= 0x80;
    }
    throw new CodecError(`${what} varint is longer than 8 bytes`);
  }

  bytes(what: string, maxBytes: number): Uint8Array {
    const length = this.varuint(`${what} length`);
    if (length > maxBytes) throw new CodecError(`${what} of ${length} bytes exceeds ${maxBytes}`);
    if (this.position + length > this.input.length) throw new CodecError(`truncated input reading ${what}`);
    const value = this.input.slice(this.position, this.position + length);
    this.position += length;
    return value;
  }

  string(what: string, maxBytes: number): string {
    const length = this.input[this.position];
    if (
      length !== undefined &&
      length < 0x80 &&
      length <= maxBytes &&
      this.position + 1 + length <= this.input.length
    ) {
      const start = this.position + 1;
      let ascii = '';
      let i = 0;
      for (; i < length; i++) {
        const code = this.input[start + i] as number;
        if (code >= 0x80) break;
        ascii += String.fromCharCode(code);
      }
      if (i === length) {
        this.position = start + length;
        return ascii;
      }
    }
    const raw = this.bytes(what, maxBytes);
    try {
      return utf8Decoder.decode(raw);
    } catch (cause) {
      throw new CodecError(`${what} is not valid UTF-8`, { cause });
    }
  }

  /** Throws unless every byte was read. */
  end(what: string): void {
    if (this.position !== this.input.length) {
      throw new CodecError(`${this.input.length - this.position} trailing bytes after ${what}`);
    }
  }
}

import { readFileSync } from 'node:fs';
import { ParseError, parseBlock, type Block } from '@civic/protocol';
import { CliError } from './output.js';

/**
 * Block files hold one block as its canonical JSON (RFC 8785), exactly the bytes that travel
 * on the wire: `genesis.block` of a development network, blocks exported by orderers and peers.
 */

/** Bound on a block file: the largest block (900 000 bytes of envelopes) plus its metadata. */
export const BLOCK_FILE_BYTES_MAX = 4 * 1024 * 1024;

export function readBlockBytes(path: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new CliError(`cannot read ${path}: ${(cause as Error).message}`, undefined, { cause });
  }
  if (bytes.byteLength > BLOCK_FILE_BYTES_MAX)
    throw new CliError(
      `${path} is ${bytes.byteLength} bytes, more than a block file can be (${BLOCK_FILE_BYTES_MAX})`,
    );
  return new Uint8Array(bytes);
}

/**
 * Parses a block file. `strict` (verification) demands the canonical bytes; otherwise (inspection)
 * any JSON spelling of a well-formed block is read.
 */
export function parseBlockFile(path: string, bytes: Uint8Array, strict: boolean): Block {
  try {
    return parseBlock(bytes, { requireCanonical: strict });
  } catch (error) {
    if (error instanceof ParseError)
      throw new CliError(`${path} is not a well-formed block: ${error.message}`, undefined, { cause: error });
    throw error;
  }
}

export function readBlockFile(path: string, strict: boolean): Block {
  return parseBlockFile(path, readBlockBytes(path), strict);
}

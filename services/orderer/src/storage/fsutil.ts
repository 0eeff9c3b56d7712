import { mkdir, open, type FileHandle } from 'node:fs/promises';

/** Makes `dir` (and parents) exist. */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * fsyncs a directory, so that files created, renamed or removed in it survive a crash (POSIX
 * makes a new name durable only once its directory is synced).
 */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Opens a file for positional reads and writes, creating it when absent. (Not append mode:
 * on Linux, positional writes to a file opened for appending land at its end.)
 */
export async function openReadWrite(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return await open(path, 'wx+');
  }
}

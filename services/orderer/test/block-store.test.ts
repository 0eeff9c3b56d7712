import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockNotFoundError, BlockStoreAppendError } from '../src/errors.js';
import { BlockStore } from '../src/storage/block-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orderer-blocks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const block = (n: number) => ({
  number: n,
  bytes: new TextEncoder().encode(`{"block":${n},"pad":"${'x'.repeat(n * 7)}"}`),
});

async function readAll(store: BlockStore): Promise<string[]> {
  const out: string[] = [];
  for (let n = 0; n < store.height; n++) out.push(new TextDecoder().decode(await store.read(n)));
  return out;
}

describe('block store', () => {
  it('stores blocks in order and reads them back after reopening', async () => {
    const { store } = await BlockStore.open(dir);
    await store.append([block(0)]);
    await store.append([block(1), block(2)]);
    expect(store.height).toBe(3);
    await store.close();
    const { store: again, truncated } = await BlockStore.open(dir);
    expect(truncated).toBeNull();
    expect(await readAll(again)).toEqual([0, 1, 2].map((n) => new TextDecoder().decode(block(n).bytes)));
    await again.close();
  });

  it('refuses a block that does not continue the chain, and an unknown number', async () => {
    const { store } = await BlockStore.open(dir);
    await expect(store.append([block(1)])).rejects.toBeInstanceOf(BlockStoreAppendError);
    await store.append([block(0)]);
    await expect(store.read(1)).rejects.toBeInstanceOf(BlockNotFoundError);
    expect(store.height).toBe(1);
    await store.close();
  });

  it('drops a torn last block cut at any byte, keeps the others, and rebuilds the index', async () => {
    const { store } = await BlockStore.open(dir);
    await store.append([block(0), block(1), block(2)]);
    const path = store.path;
    const intact = (await stat(path)).size;
    await store.append([block(3)]);
    await store.close();
    const full = await readFile(path);
    for (let cut = intact; cut < full.length; cut++) {
      await writeFile(path, full.subarray(0, cut));
      const { store: opened, truncated } = await BlockStore.open(dir);
      expect(opened.height).toBe(3);
      expect(truncated === null).toBe(cut === intact);
      await opened.append([block(3)]);
      expect(await readAll(opened)).toHaveLength(4);
      await opened.close();
    }
  });

  it('rebuilds a missing or damaged index from the data file', async () => {
    const { store } = await BlockStore.open(dir);
    await store.append([block(0), block(1), block(2)]);
    await store.close();
    const expected = await (async () => {
      const { store: s } = await BlockStore.open(dir);
      const all = await readAll(s);
      await s.close();
      return all;
    })();
    await writeFile(join(dir, 'blocks.idx'), Uint8Array.of(0, 0, 0));
    const { store: rebuilt } = await BlockStore.open(dir);
    expect(await readAll(rebuilt)).toEqual(expected);
    await rebuilt.close();
    await writeFile(join(dir, 'blocks.idx'), new Uint8Array(24).fill(9));
    const { store: again } = await BlockStore.open(dir);
    expect(await readAll(again)).toEqual(expected);
    await again.close();
  });
});

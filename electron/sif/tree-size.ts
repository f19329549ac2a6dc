// The bytes of the regular files under a folder (links not followed), for progress totals and the
// SIF cache's size. Walks with lstat only; an entry that vanishes meanwhile is passed over.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function treeBytes(root: string, signal?: AbortSignal): Promise<number> {
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const folder = pending.pop()!;
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      const info = await lstat(path).catch(() => null);
      if (!info) continue;
      if (info.isDirectory()) pending.push(path);
      else if (info.isFile()) total += info.size;
    }
  }
  return total;
}

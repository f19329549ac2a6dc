// A du-like size of a directory image: the sum of its regular files' sizes, found by a walk that
// does not follow symbolic links, does not leave the folder's file system, and stops after a
// bounded number of entries (a huge image is reported as "at least" what was counted).
import { join } from 'node:path';
import { describeError, errorCode, type FsOps } from './fs-ops';

export interface SizeResult {
  bytes: number;
  /** True when the walk stopped at its limit: `bytes` is a lower bound. */
  truncated: boolean;
  /** Folders inside that could not be read (permission, vanished), as "path: reason". */
  skipped: string[];
}

export const DEFAULT_ENTRY_LIMIT = 500_000;

export async function directorySize(root: string, fs: FsOps, options: { entryLimit?: number; signal?: AbortSignal } = {}): Promise<SizeResult> {
  const limit = options.entryLimit ?? DEFAULT_ENTRY_LIMIT;
  const rootStats = await fs.lstat(root);
  const device = rootStats.dev;
  const result: SizeResult = { bytes: 0, truncated: false, skipped: [] };
  const stack = [root];
  let seen = 0;
  const linked = new Set<string>();
  while (stack.length > 0) {
    options.signal?.throwIfAborted();
    const folder = stack.pop()!;
    let entries;
    try {
      entries = await fs.readdir(folder);
    } catch (error) {
      result.skipped.push(`${folder}: ${errorCode(error) ?? describeError(error)}`);
      continue;
    }
    for (const entry of entries) {
      if ((seen += 1) > limit) {
        result.truncated = true;
        return result;
      }
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        try {
          if ((await fs.lstat(path)).dev === device) stack.push(path);
        } catch {
          // Vanished since it was listed: nothing to count.
        }
      } else if (entry.isFile()) {
        try {
          const stats = await fs.lstat(path);
          // A file with several hard links is counted once, as du does.
          if (stats.nlink > 1) {
            const key = `${stats.dev}:${stats.ino}`;
            if (linked.has(key)) continue;
            linked.add(key);
          }
          result.bytes += stats.size;
        } catch {
          // Vanished since it was listed.
        }
      }
    }
  }
  return result;
}

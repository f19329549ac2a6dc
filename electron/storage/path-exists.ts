// Whether something is at a path, in the two senses the code needs: `pathExists` follows a link
// (a dangling link is nothing there), `entryExists` does not (any directory entry counts, so a
// name a dangling link holds is still taken).
import { lstat, stat } from 'node:fs/promises';

export async function pathExists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

export async function entryExists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null)) !== null;
}

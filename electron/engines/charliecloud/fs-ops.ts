// The few file-system calls the image listing makes, passed in so that tests can make one of
// them fail the way a real file system does (EACCES as root, a folder vanishing mid-walk).
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';

export interface FsOps {
  readdir(path: string): Promise<Dirent[]>;
  lstat(path: string): Promise<Stats>;
  stat(path: string): Promise<Stats>;
  readFile(path: string): Promise<Buffer>;
}

export const nodeFs: FsOps = {
  readdir: (path) => readdir(path, { withFileTypes: true }),
  lstat: (path) => lstat(path),
  stat: (path) => stat(path),
  readFile: (path) => readFile(path),
};

export { errorCode } from '../../storage/error-code';

/** A short account of a failed call for the log: "EACCES: permission denied, scandir '/x'". */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

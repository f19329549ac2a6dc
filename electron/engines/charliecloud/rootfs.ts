// Which folders are directory images: a root file system has etc/ and bin/ or usr/ (as folders
// or, in merged-/usr images, bin/ as a link to usr/bin). Only the top level is looked at.
import { join } from 'node:path';
import { describeError, errorCode, type FsOps } from './fs-ops';

export interface RootFsCheck {
  rootFs: boolean;
  /** Why the folder could not be looked into (permission denied, ...); null when it could. */
  problem: string | null;
}

/** Never throws: a folder that cannot be looked into is not an image, and `problem` says why. */
export async function checkRootFs(path: string, fs: FsOps): Promise<RootFsCheck> {
  let problem: string | null = null;
  const present = async (name: string, linkToo: boolean): Promise<boolean> => {
    try {
      const stats = await fs.lstat(join(path, name));
      return stats.isDirectory() || (linkToo && stats.isSymbolicLink());
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problem ??= describeError(error);
      return false;
    }
  };
  if (!(await present('etc', false))) return { rootFs: false, problem };
  const rootFs = (await present('usr', false)) || (await present('bin', true));
  return { rootFs, problem: rootFs ? null : problem };
}

/** True when `path` holds a root file system. */
export async function looksLikeRootFs(path: string, fs: FsOps): Promise<boolean> {
  return (await checkRootFs(path, fs)).rootFs;
}

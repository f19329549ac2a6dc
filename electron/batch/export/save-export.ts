// Saves an export where the user said, on the machine the host runs on. A missing folder is an
// error with the folder named (nothing is created behind the user's back), an existing file is
// never replaced unless the request says so, and a replacement goes through a temporary file and
// a rename so the old file stays whole if the write fails.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { ApiError } from '../../../shared/errors';
import { errorCode } from '../../storage/error-code';

export interface SaveRequest {
  /** Absolute, or "~" / "~/..." (the user's home folder). */
  path: string;
  /** Used when `path` is a folder. */
  fileName: string;
  text: string;
  overwrite: boolean;
  env: NodeJS.ProcessEnv;
}

/** Writes the text and answers the absolute path written. Throws ApiError with the reason. */
export async function saveExport({ path, fileName, text, overwrite, env }: SaveRequest): Promise<string> {
  const wanted = resolve(expandHome(path, env));
  const target = (await kindOf(wanted)) === 'folder' ? join(wanted, fileName) : wanted;
  const folder = dirname(target);
  const folderKind = await kindOf(folder);
  if (folderKind === 'missing') throw new ApiError('not-found', `The folder ${folder} does not exist: create it first, or choose another. Nothing was saved.`);
  if (folderKind !== 'folder') throw new ApiError('invalid-request', `${folder} is not a folder. Nothing was saved.`);
  if ((await kindOf(target)) === 'folder') throw new ApiError('invalid-request', `${target} is a folder. Nothing was saved.`);
  try {
    if (overwrite) await replaceFile(target, text);
    // "wx": created only if nothing is there, in one step, so a file appearing meanwhile is not lost.
    else await writeFile(target, text, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    throw saveError(error, target);
  }
  return target;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path !== '~' && !path.startsWith('~/')) return path;
  const home = env.HOME || homedir();
  return join(home, path.slice(1));
}

async function kindOf(path: string): Promise<'missing' | 'folder' | 'file' | 'other'> {
  try {
    const stats = await stat(path);
    return stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return 'missing';
    throw saveError(error, path);
  }
}

async function replaceFile(target: string, text: string): Promise<void> {
  const temporary = join(dirname(target), `.${randomBytes(6).toString('hex')}.crossdock-export.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx', mode: 0o644 });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

function saveError(error: unknown, path: string): ApiError {
  switch (errorCode(error)) {
    case 'EEXIST':
      return new ApiError('conflict', `${path} already exists and was left as it is. Replace it, or choose another name.`);
    case 'EACCES':
    case 'EPERM':
      return new ApiError('permission-denied', `No permission to write ${path}. Nothing was saved.`);
    case 'EROFS':
      return new ApiError('permission-denied', `${path} is on a read-only file system. Nothing was saved.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new ApiError('internal', `No space left to write ${path}. Nothing was saved.`);
    case 'ENAMETOOLONG':
      return new ApiError('invalid-request', `The path ${path} is too long. Nothing was saved.`);
    default:
      return new ApiError('internal', `Could not save ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}


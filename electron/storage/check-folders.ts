// A folder the user adds must be there and be a folder: saying so now beats an image list that is
// silently empty later. Folders already in the settings are not checked again (a folder on an
// unmounted file system stays in the list; its engine says it cannot read it).
import { stat } from 'node:fs/promises';
import { ApiError } from '../../shared/errors';

export async function checkNewFolders(folders: readonly string[], known: readonly string[]): Promise<void> {
  for (const folder of folders) {
    if (known.includes(folder)) continue;
    let isFolder: boolean;
    try {
      isFolder = (await stat(folder)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES') throw new ApiError('permission-denied', `Crossdock may not read ${folder}: check its permissions.`);
      throw new ApiError('not-found', `There is no folder at ${folder}.`);
    }
    if (!isFolder) throw new ApiError('invalid-request', `${folder} is a file, not a folder.`);
  }
}

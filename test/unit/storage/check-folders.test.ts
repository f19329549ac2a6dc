import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNewFolders } from '../../../electron/storage/check-folders';

describe('checkNewFolders', () => {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-folders-'));
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');

  it('accepts existing folders', async () => {
    await expect(checkNewFolders([root], [])).resolves.toBeUndefined();
  });

  it('says clearly when a new folder is missing or is a file', async () => {
    await expect(checkNewFolders([join(root, 'missing')], [])).rejects.toMatchObject({ kind: 'not-found', message: `There is no folder at ${join(root, 'missing')}.` });
    await expect(checkNewFolders([file], [])).rejects.toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(/is a file, not a folder/) });
  });

  it('does not check again a folder that is already in the settings', async () => {
    await expect(checkNewFolders([join(root, 'gone-since')], [join(root, 'gone-since')])).resolves.toBeUndefined();
  });
});

// Saving an export on the host: a new file, never over an existing one unless asked, a missing
// folder refused with its name, a folder as target, "~/" paths.
import { chmod, mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/errors';
import { saveExport } from '../../../electron/batch/export/save-export';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-export-save-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const save = (path: string, text = 'queue 1\n', overwrite = false, env: NodeJS.ProcessEnv = {}) =>
  saveExport({ path, fileName: 'job.sub', text, overwrite, env });

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('saveExport', () => {
  it('writes a new file and answers its absolute path', async () => {
    const target = join(dir, 'a.sub');
    expect(await save(target)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('queue 1\n');
  });

  it('never replaces an existing file unless asked, and leaves it whole', async () => {
    const target = join(dir, 'a.sub');
    await writeFile(target, 'mine\n');
    const error = await refusal(save(target, 'new\n'));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain(`${target} already exists`);
    expect(await readFile(target, 'utf8')).toBe('mine\n');

    expect(await save(target, 'new\n', true)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('new\n');
    // No temporary file left beside it.
    expect(await readdir(dir)).toEqual(['a.sub']);
  });

  it('refuses a missing folder, naming it, and creates nothing', async () => {
    const error = await refusal(save(join(dir, 'nope', 'deeper', 'a.sub')));
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain(`The folder ${join(dir, 'nope', 'deeper')} does not exist`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('saves into a folder under the suggested name', async () => {
    expect(await save(dir)).toBe(join(dir, 'job.sub'));
    expect(await readFile(join(dir, 'job.sub'), 'utf8')).toBe('queue 1\n');
  });

  it('reads "~/" as the home folder of the environment', async () => {
    await mkdir(join(dir, 'jobs'));
    expect(await save('~/jobs/x.sub', 'queue 1\n', false, { HOME: dir })).toBe(join(dir, 'jobs', 'x.sub'));
  });

  it('refuses a file in place of a folder', async () => {
    await writeFile(join(dir, 'file'), '');
    const error = await refusal(save(join(dir, 'file', 'a.sub')));
    expect(error.message).toMatch(/does not exist|is not a folder/);
  });

  it('says so when the folder is not writable', async () => {
    // Root writes through any mode bits, so as root the folder is /sys: sysfs refuses new files
    // to everyone (EACCES), which is the same refusal a user meets in a folder of mode 0500.
    const root = process.getuid?.() === 0;
    if (!root) await chmod(dir, 0o500);
    const folder = root ? '/sys' : dir;
    const error = await refusal(save(join(folder, 'crossdock-test.sub')));
    expect(error.kind).toBe('permission-denied');
    expect(error.message).toContain('Nothing was saved');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { requireCharliecloud } from '../../../helpers/charliecloud';

const emptyPath = mkdtempSync(join(tmpdir(), 'crossdock-ch-nopath-'));
afterAll(() => rmSync(emptyPath, { recursive: true, force: true }));

describe('requireCharliecloud', () => {
  it('skips with the reason on a developer machine', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await requireCharliecloud({ PATH: emptyPath })).toEqual({ skip: true, reason: 'ch-run not found on PATH' });
    expect(warn).toHaveBeenCalledWith('skipping charliecloud tests: ch-run not found on PATH');
    warn.mockRestore();
  });

  it('fails under CI=true', async () => {
    await expect(requireCharliecloud({ PATH: emptyPath, CI: 'true' })).rejects.toThrow('charliecloud is required on CI, but ch-run not found on PATH');
  });
});

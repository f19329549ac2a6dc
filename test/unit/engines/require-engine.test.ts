// The integration tests' gate: a missing engine fails a CI run and skips (with a reason) locally.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCi, requireEngine } from '../../helpers/engines';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('requireEngine', () => {
  it('skips locally and says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = await requireEngine('podman', { PATH: '/nonexistent' });
    expect(result).toEqual({ skip: true, reason: 'podman binary not found on PATH' });
    expect(warn).toHaveBeenCalledWith('skipping podman tests: podman binary not found on PATH');
  });

  it('fails under CI', async () => {
    await expect(requireEngine('podman', { PATH: '/nonexistent', CI: 'true' })).rejects.toThrow(
      'podman is required on CI, but podman binary not found on PATH',
    );
  });

  it('reads CI the way CI services set it', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});

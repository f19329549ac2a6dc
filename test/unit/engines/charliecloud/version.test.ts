// Against what this machine's Charliecloud 0.31 really printed (test/fixtures/recorded).
import { describe, expect, it } from 'vitest';
import { parseChRunVersion } from '../../../../electron/engines/charliecloud/version';
import { firstLine } from '../../../../electron/engines/charliecloud/cli';
import { recordedText } from '../recorded';

describe('ch-run --version', () => {
  it('reads the version ch-run 0.31 prints to stderr', () => {
    expect(parseChRunVersion(recordedText('charliecloud-ch-run-version.stderr'))).toBe('0.31');
  });

  it('accepts longer versions and a "v" prefix', () => {
    expect(parseChRunVersion('0.38\n')).toBe('0.38');
    expect(parseChRunVersion('v0.37~pre+1.abc\n')).toBe('0.37~pre+1.abc');
    expect(parseChRunVersion('ch-run 0.36')).toBe('0.36');
  });

  it('is null for a complaint instead of a version', () => {
    const complaint = recordedText('charliecloud-ch-run-version-no-user.stderr');
    expect(parseChRunVersion(complaint)).toBeNull();
    expect(parseChRunVersion('')).toBeNull();
    // And the complaint reads without ch-run's "ch-run[pid]: " prefix.
    expect(firstLine(complaint)).toBe('error: $USER not set (ch-run.c:122)');
  });
});

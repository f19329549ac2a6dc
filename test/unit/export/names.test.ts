// File and Job names derived from what the user typed or the image's name.
import { describe, expect, it } from 'vitest';
import { dnsLabel, fileBaseName } from '../../../electron/batch/export/names';

describe('fileBaseName', () => {
  it('keeps a plain name and replaces everything else', () => {
    expect(fileBaseName('busybox:1.36')).toBe('busybox-1.36');
    expect(fileBaseName('quay.io/x/y:2')).toBe('quay.io-x-y-2');
    expect(fileBaseName('../../etc/passwd')).toBe('etc-passwd');
    expect(fileBaseName('a b\n$(rm -rf)')).toBe('a-b-rm-rf');
    expect(fileBaseName('.hidden')).toBe('hidden');
  });

  it('is never empty and never longer than 80', () => {
    expect(fileBaseName('')).toBe('crossdock-job');
    expect(fileBaseName('///')).toBe('crossdock-job');
    expect(fileBaseName('x'.repeat(500))).toHaveLength(80);
  });
});

describe('dnsLabel', () => {
  const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

  it('makes DNS-1123 labels of anything', () => {
    for (const name of ['busybox:1.36', 'My_Job', '-x-', '..', 'ÜBER job', 'a'.repeat(100), '9lives', 'a--b', `x${'-'.repeat(70)}y`]) {
      const label = dnsLabel(name);
      expect(label, name).toMatch(LABEL);
      expect(label.length, name).toBeLessThanOrEqual(63);
    }
    expect(dnsLabel('busybox:1.36')).toBe('busybox-1-36');
    expect(dnsLabel('My_Job')).toBe('my-job');
    expect(dnsLabel('')).toBe('crossdock-job');
    expect(dnsLabel('___')).toBe('crossdock-job');
  });
});

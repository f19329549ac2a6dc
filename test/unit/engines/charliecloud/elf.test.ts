import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { elfArchitecture, imageArchitecture, resolveInside } from '../../../../electron/engines/charliecloud/elf';
import { probeExecutable } from '../../../../electron/engines/docker-api/probe-image';

const folders: string[] = [];
function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-ch-elf-'));
  folders.push(root);
  return root;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('ELF architecture', () => {
  it('reads e_machine of the probe executables', () => {
    expect(elfArchitecture(probeExecutable('x64'))).toBe('amd64');
    expect(elfArchitecture(probeExecutable('arm64'))).toBe('arm64');
  });

  it('handles big-endian headers, unknown machines and non-ELF data', () => {
    const header = Buffer.from(probeExecutable('x64').subarray(0, 20));
    header[5] = 2; // big-endian
    header.writeUInt16BE(22, 18);
    expect(elfArchitecture(header)).toBe('s390x');
    header.writeUInt16BE(9999, 18);
    expect(elfArchitecture(header)).toBe('elf-machine-9999');
    expect(elfArchitecture(Buffer.from('#!/bin/sh\necho hello world\n'))).toBeNull();
    expect(elfArchitecture(Buffer.alloc(4))).toBeNull();
  });

  it('finds bin/sh through a link to busybox inside the image', async () => {
    const root = tempRoot();
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'busybox'), probeExecutable('arm64'));
    symlinkSync('busybox', join(root, 'bin', 'sh'));
    expect(await imageArchitecture(root)).toBe('arm64');
  });

  it('follows absolute links within the image, not into the host (merged /usr)', async () => {
    const root = tempRoot();
    mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
    writeFileSync(join(root, 'usr', 'bin', 'dash'), probeExecutable('arm64'));
    symlinkSync('/usr/bin', join(root, 'bin'));
    symlinkSync('/usr/bin/dash', join(root, 'usr', 'bin', 'sh'));
    expect(await resolveInside(root, 'bin/sh')).toBe(join(root, 'usr', 'bin', 'dash'));
    expect(await imageArchitecture(root)).toBe('arm64');
  });

  it('does not escape the image by ".." nor loop forever', async () => {
    const root = tempRoot();
    mkdirSync(join(root, 'bin'));
    symlinkSync('../../../../../../bin/busybox', join(root, 'bin', 'sh'));
    symlinkSync('loop2', join(root, 'bin', 'loop1'));
    symlinkSync('loop1', join(root, 'bin', 'loop2'));
    expect(await resolveInside(root, 'bin/sh')).toBeNull();
    expect(await resolveInside(root, 'bin/loop1')).toBeNull();
    expect(await imageArchitecture(root)).toBeNull();
  });

  it('reads the probe file of a probe image when there is no shell', async () => {
    const root = tempRoot();
    writeFileSync(join(root, 'probe'), probeExecutable('x64'));
    expect(await imageArchitecture(root)).toBe('amd64');
  });
});

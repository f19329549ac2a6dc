// The in-memory tar writer, read back by a checksum-checking reader and by the system's tar.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTar } from '../../../electron/engines/docker-api/tar-archive';
import { readTar } from './tar-reader';

const entries = [
  { type: 'directory' as const, path: 'bin' },
  { type: 'file' as const, path: 'bin/tool', content: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { type: 'symlink' as const, path: 'bin/alias', target: 'tool' },
  { type: 'file' as const, path: `${'deep/'.repeat(25)}file.txt`, content: Buffer.alloc(1300, 0x61) },
];

describe('buildTar', () => {
  it('writes ustar headers with valid checksums, padding and the end marker', () => {
    const archive = buildTar(entries);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(-1024).every((byte) => byte === 0)).toBe(true);
    const read = readTar(archive);
    expect(read.map((entry) => [entry.name, entry.type])).toEqual([
      ['bin/', '5'],
      ['bin/tool', '0'],
      ['bin/alias', '2'],
      [`${'deep/'.repeat(25)}file.txt`, '0'],
    ]);
    expect(read[2]!.linkname).toBe('tool');
    expect(read[3]!.content.length).toBe(1300);
  });

  it('gives the same bytes for the same entries', () => {
    expect(buildTar(entries).equals(buildTar(entries))).toBe(true);
  });

  it('is extracted by the system tar with modes and links intact', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cd-tar-'));
    try {
      const result = spawnSync('tar', ['-x', '-C', folder], { input: buildTar(entries) });
      expect(result.status, result.stderr.toString()).toBe(0);
      expect(readFileSync(join(folder, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
      expect(statSync(join(folder, 'bin/tool')).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(folder, 'bin/alias'))).toBe('tool');
      expect(readFileSync(join(folder, 'deep/'.repeat(25), 'file.txt')).length).toBe(1300);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a name ustar cannot hold', () => {
    expect(() => buildTar([{ type: 'directory', path: 'x'.repeat(120) }])).toThrow(/too long/);
  });
});

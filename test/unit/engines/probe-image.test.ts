// The hand-assembled probe program: a real executable that exits 37, and the tar that carries it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeArchitecture, probeExecutable, probeImageTar } from '../../../electron/engines/docker-api/probe-image';
import { readTar } from './tar-reader';

describe('probe executable', () => {
  const hostArch = probeArchitecture();

  it.skipIf(hostArch === null)('runs on this machine and exits with 37', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cd-probe-'));
    try {
      const path = join(folder, 'probe');
      writeFileSync(path, probeExecutable(hostArch!), { mode: 0o755 });
      const run = spawnSync(path, [], { timeout: 5_000 });
      expect(run.error).toBeUndefined();
      expect(run.signal).toBeNull();
      expect(run.status).toBe(37);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.each([
    ['x64', 62, [0xbf, 0x25, 0, 0, 0, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05]],
    ['arm64', 183, [0xa0, 0x04, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]],
  ] as const)('is a static ELF64 executable for %s with the exit(37) code at its entry point', (arch, machine, code) => {
    const elf = probeExecutable(arch);
    expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(elf[4]).toBe(2); // 64-bit
    expect(elf[5]).toBe(1); // little-endian
    expect(elf.readUInt16LE(16)).toBe(2); // ET_EXEC
    expect(elf.readUInt16LE(18)).toBe(machine);
    const entry = elf.readBigUInt64LE(24);
    const loadAddress = elf.readBigUInt64LE(64 + 16);
    const entryOffset = Number(entry - loadAddress);
    expect(entryOffset % 4).toBe(0);
    expect([...elf.subarray(entryOffset)]).toEqual(code);
    expect(Number(elf.readBigUInt64LE(64 + 32))).toBe(elf.length); // p_filesz covers the file
  });

  it('travels as /probe, executable, in a valid tar archive', () => {
    const entries = readTar(probeImageTar('x64'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: 'probe', type: '0', mode: 0o755 });
    expect(entries[0]!.content.equals(probeExecutable('x64'))).toBe(true);
  });

  it('knows which architectures it has code for', () => {
    expect(probeArchitecture('x64')).toBe('x64');
    expect(probeArchitecture('arm64')).toBe('arm64');
    expect(probeArchitecture('ppc64')).toBeNull();
  });
});

// The architecture of a directory image, told by the ELF header of one of its programs: only the
// first 20 bytes are read (magic, class, byte order, e_machine), never the whole file.
import { lstat, open, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** e_machine values → the architecture names images use (OCI / Go's GOARCH). */
const MACHINES: Record<number, string> = {
  3: '386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64le',
  22: 's390x',
  40: 'arm',
  62: 'amd64',
  183: 'arm64',
  243: 'riscv64',
};

/** The architecture named by an ELF header, or null when `header` is not one. */
export function elfArchitecture(header: Buffer): string | null {
  if (header.length < 20 || header.readUInt32BE(0) !== 0x7f454c46) return null;
  const littleEndian = header[5] === 1;
  if (!littleEndian && header[5] !== 2) return null;
  const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
  if (machine === 21 && !littleEndian) return 'ppc64';
  return MACHINES[machine] ?? `elf-machine-${machine}`;
}

/** Programs whose header tells an image's architecture, tried in this order. */
export const ARCHITECTURE_WITNESSES = ['bin/sh', 'bin/busybox', 'probe', 'usr/bin/env', 'bin/ls', 'usr/bin/ls'];

/**
 * Reads the first witness that is an ELF file. Symbolic links are followed only inside the image
 * (an absolute target is taken relative to the image's root, as it would be inside the container).
 */
export async function imageArchitecture(root: string): Promise<string | null> {
  for (const witness of ARCHITECTURE_WITNESSES) {
    const path = await resolveInside(root, witness);
    if (!path) continue;
    const header = await readHead(path, 20);
    const arch = header ? elfArchitecture(header) : null;
    if (arch) return arch;
  }
  return null;
}

async function readHead(path: string, length: number): Promise<Buffer | null> {
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * `relative` inside `root`, every link on the way resolved within the image (an absolute target
 * counts from the image's root, as inside the container; at most 16 hops), or null when it is not
 * a regular file there.
 */
export async function resolveInside(root: string, relative: string): Promise<string | null> {
  let pending = posix.normalize(`/${relative}`).split('/').filter(Boolean);
  let resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const path = join(root, ...resolved, part);
    let stats;
    try {
      stats = await lstat(path);
    } catch {
      return null;
    }
    if (stats.isSymbolicLink()) {
      if ((hops += 1) > 16) return null;
      let target: string;
      try {
        target = await readlink(path);
      } catch {
        return null;
      }
      const targetParts = target.split('/').filter((piece) => piece !== '' && piece !== '.');
      if (target.startsWith('/')) resolved = [];
      pending = [...targetParts, ...pending];
      continue;
    }
    if (pending.length > 0 && !stats.isDirectory()) return null;
    if (pending.length === 0 && !stats.isFile()) return null;
    resolved.push(part);
  }
  return resolved.length > 0 ? join(root, ...resolved) : null;
}

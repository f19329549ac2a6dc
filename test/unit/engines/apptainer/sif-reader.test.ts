// The native SIF reader against real SIF files assembled here with sylabs' siftool, field by
// field against what `siftool header` and `siftool list` print for the same file, and against
// broken files: truncated, not SIF at all, empty, garbage after the magic, absurd counts.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_SIZE, HEADER } from '../../../../electron/engines/apptainer/sif/layout';
import { hasSifMagic, MAX_TEXT_BYTES, readSif, type SifImage } from '../../../../electron/engines/apptainer/sif/reader';
import {
  buildSif,
  busyboxSquashfs,
  requireSifTools,
  SIF_DEFFILE,
  SIF_LABELS,
  SIGN_ENTITY,
  siftoolHeader,
  siftoolList,
} from '../../../fixtures/sif-files';

const tools = await requireSifTools();

describe.skipIf(tools.skip)('the SIF reader', () => {
  let dir = '';
  let full = '';
  let bare = '';
  let fullImage: SifImage;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cd-sif-'));
    const squashfs = await busyboxSquashfs(dir);
    full = await buildSif(dir, 'full.sif', { deffile: SIF_DEFFILE, labels: SIF_LABELS, squashfs, signature: true });
    bare = await buildSif(dir, 'bare.sif', { squashfs, arch: 'arm64' });
    const result = await readSif(full);
    if (!result.ok) throw new Error(result.reason);
    fullImage = result.sif;
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the global header as siftool header prints it', async () => {
    const header = await siftoolHeader(full);
    expect(fullImage.version).toBe(header['Version']);
    expect(fullImage.arch).toBe(header['Primary Architecture']);
    expect(fullImage.uuid).toBe(header['ID']);
    // "2026-11-23 10:14:16 +0000 UTC"
    const created = header['Created At']!.replace(' +0000 UTC', 'Z').replace(' ', 'T');
    expect(fullImage.createdAt?.toISOString()).toBe(new Date(created).toISOString());
    expect(fullImage.descriptorsFree).toBe(Number(header['Descriptors Free']));
    expect(fullImage.descriptorsTotal).toBe(Number(header['Descriptors Total']));
    expect(fullImage.descriptorsOffset).toBe(Number(header['Descriptors Offset']));
    expect(fullImage.dataOffset).toBe(Number(header['Data Offset']));
    // siftool prints sizes in whole KiB, rounded down.
    expect(`${Math.floor(fullImage.descriptorsSize / 1024)} KiB`).toBe(header['Descriptors Size']);
    expect(fullImage.descriptorsSize).toBe(fullImage.descriptorsTotal * DESCRIPTOR_SIZE);
    expect(fullImage.dataOffset).toBe(fullImage.descriptorsOffset + fullImage.descriptorsSize);
    expect(fullImage.descriptorsTotal - fullImage.descriptorsFree).toBe(fullImage.descriptors.length);
  });

  it('reads every descriptor as siftool list prints it', async () => {
    const rows = await siftoolList(full);
    expect(rows).toHaveLength(4);
    expect(fullImage.descriptors.map((descriptor) => descriptor.id)).toEqual(rows.map((row) => row.id));
    const listType: Record<string, string> = { Deffile: 'Def.FILE', Labels: 'JSON.Labels', Partition: 'FS', Signature: 'Signature' };
    for (const [index, row] of rows.entries()) {
      const descriptor = fullImage.descriptors[index]!;
      expect(descriptor.offset).toBe(row.start);
      expect(descriptor.offset + descriptor.size).toBe(row.end);
      expect(row.type.startsWith(listType[descriptor.typeName]!)).toBe(true);
      expect(descriptor.groupId === null ? 'NONE' : String(descriptor.groupId)).toBe(row.group);
      expect(descriptor.linkedId === null ? 'NONE' : String(descriptor.linkedId)).toBe(row.link);
    }
    expect(fullImage.descriptors.map((descriptor) => descriptor.typeName)).toEqual(['Deffile', 'Labels', 'Partition', 'Signature']);
    // "FS (Squashfs/*System/amd64)"
    const partitionRow = rows[2]!;
    expect(partitionRow.type).toBe('FS (Squashfs/*System/amd64)');
    expect(fullImage.partitions).toEqual([
      { descriptorId: 3, fsType: 'squashfs', partType: 'primary', arch: 'amd64', offset: partitionRow.start, size: partitionRow.end - partitionRow.start },
    ]);
    expect(fullImage.descriptors[3]!.signature).toEqual({ hash: 'SHA256', fingerprint: SIGN_ENTITY });
    expect(fullImage.signed).toBe(true);
  });

  it('reads the labels, the definition file, and the partition bytes where siftool says they are', async () => {
    expect(fullImage.labels).toEqual(SIF_LABELS);
    expect(fullImage.labelsProblem).toBeNull();
    expect(fullImage.definition).toBe(SIF_DEFFILE);
    expect(fullImage.definitionTruncated).toBe(false);
    expect(fullImage.environment).toBeNull();
    // The partition's bytes are the squashfs file's bytes ("hsqs" magic first).
    const squashfs = await readFile(join(dir, 'root.sqfs'));
    const bytes = await readFile(full);
    const partition = fullImage.partitions[0]!;
    expect(partition.size).toBe(squashfs.length);
    expect(bytes.subarray(partition.offset, partition.offset + partition.size).equals(squashfs)).toBe(true);
  });

  it('reads a file with only a partition, for another architecture', async () => {
    const result = await readSif(bare);
    if (!result.ok) throw new Error(result.reason);
    expect(result.sif.arch).toBe('arm64');
    expect((await siftoolHeader(bare))['Primary Architecture']).toBe('arm64');
    expect(result.sif.partitions.map((partition) => partition.arch)).toEqual(['arm64']);
    expect(result.sif.labels).toBeNull();
    expect(result.sif.definition).toBeNull();
    expect(result.sif.signed).toBe(false);
  });

  it('bounds the definition file it reads', async () => {
    const long = `Bootstrap: scratch\n${'# filler line of a long definition file\n'.repeat(3000)}`;
    const path = await buildSif(dir, 'long.sif', { deffile: long });
    const result = await readSif(path);
    if (!result.ok) throw new Error(result.reason);
    expect(result.sif.definition).toHaveLength(MAX_TEXT_BYTES);
    expect(result.sif.definitionTruncated).toBe(true);
  });

  it('says why a truncated file cannot be read', async () => {
    const bytes = await readFile(full);
    const cut = join(dir, 'cut.sif');
    await writeFile(cut, bytes.subarray(0, fullImage.partitions[0]!.offset + 100));
    const result = await readSif(cut);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^truncated: data object 3 \(Partition\) ends at byte \d+, the file has \d+ bytes$/) });
    await writeFile(cut, bytes.subarray(0, 5000));
    expect(await readSif(cut)).toEqual({ ok: false, reason: expect.stringMatching(/^truncated: the descriptor table ends at byte 32176/) });
    await writeFile(cut, bytes.subarray(0, 60));
    expect(await readSif(cut)).toEqual({ ok: false, reason: expect.stringMatching(/^truncated: the global header/) });
  });

  it('refuses files that are not SIF: other bytes, an empty file, a folder, a missing file', async () => {
    const text = join(dir, 'x.sif');
    await writeFile(text, 'this is a text file with a .sif name\n'.repeat(20));
    expect(await readSif(text)).toEqual({ ok: false, reason: 'not a SIF file: the magic is missing' });
    expect(await hasSifMagic(text)).toBe(false);
    const empty = join(dir, 'empty.sif');
    await writeFile(empty, '');
    expect(await readSif(empty)).toEqual({ ok: false, reason: 'not a SIF file: the file is empty' });
    const folder = join(dir, 'folder.sif');
    await mkdir(folder);
    expect(await readSif(folder)).toEqual({ ok: false, reason: 'not a SIF file: it is not a regular file' });
    expect(await readSif(join(dir, 'missing.sif'))).toEqual({ ok: false, reason: 'cannot open the file: no such file' });
    expect(await hasSifMagic(full)).toBe(true);
  });

  it('survives random bytes after a valid magic', async () => {
    for (let round = 0; round < 50; round += 1) {
      const garbage = randomBytes(8192);
      garbage.fill(0, 0, 32);
      garbage.write('SIF_MAGIC\0', HEADER.magic, 'latin1');
      const path = join(dir, `garbage-${round}.sif`);
      await writeFile(path, garbage);
      const result = await readSif(path);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^(corrupt|truncated)/);
    }
  });

  it('refuses absurd descriptor counts and offsets without allocating them', async () => {
    const bytes = await readFile(full);
    const patched = (field: number, value: bigint) => {
      const copy = Buffer.from(bytes);
      copy.writeBigInt64LE(value, field);
      return copy;
    };
    const path = join(dir, 'patched.sif');
    await writeFile(path, patched(HEADER.descriptorsTotal, 1n << 40n));
    expect(await readSif(path)).toEqual({ ok: false, reason: 'corrupt header: 1099511627776 descriptors (at most 4096 are accepted)' });
    await writeFile(path, patched(HEADER.descriptorsTotal, -5n));
    expect(await readSif(path)).toEqual({ ok: false, reason: 'corrupt header: -5 descriptors (at most 4096 are accepted)' });
    await writeFile(path, patched(HEADER.descriptorsTotal, 4000n));
    expect(await readSif(path)).toEqual({ ok: false, reason: expect.stringMatching(/^truncated: the descriptor table ends at byte/) });
    await writeFile(path, patched(HEADER.descriptorsOffset, 0x7fff_ffff_ffff_ffffn));
    expect(await readSif(path)).toEqual({ ok: false, reason: 'corrupt header: the descriptor table offset is impossible' });
    // A descriptor whose object claims to run far past the end of the file.
    const copy = Buffer.from(bytes);
    copy.writeBigInt64LE(1n << 50n, fullImage.descriptorsOffset + 2 * DESCRIPTOR_SIZE + 25);
    await writeFile(path, copy);
    expect(await readSif(path)).toEqual({ ok: false, reason: expect.stringMatching(/^truncated: data object 3 \(Partition\) ends at byte/) });
  });

  it('says so when it may not read the file', async () => {
    const locked = join(dir, 'locked.sif');
    await writeFile(locked, await readFile(full));
    await chmod(locked, 0o000);
    await chmod(dir, 0o755);
    // Root reads any file, so as root the reader runs as "nobody" in a child process.
    const result = process.getuid?.() === 0 ? await readSifAsNobody(locked) : await readSif(locked);
    expect(result).toEqual({ ok: false, reason: 'cannot open the file: permission denied' });
  });
});

/** The reader bundled on its own and run as uid 65534 through setpriv (Debian's util-linux). */
async function readSifAsNobody(path: string): Promise<unknown> {
  const out = await mkdtemp(join(tmpdir(), 'cd-sif-nobody-'));
  try {
    const bundle = join(out, 'reader.mjs');
    await build({ entryPoints: [fileURLToPath(new URL('../../../../electron/engines/apptainer/sif/reader.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    await chmod(out, 0o755);
    const script = `import(${JSON.stringify(bundle)}).then((m) => m.readSif(${JSON.stringify(path)})).then((r) => process.stdout.write(JSON.stringify(r)))`;
    const { stdout } = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script]);
    return JSON.parse(stdout);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

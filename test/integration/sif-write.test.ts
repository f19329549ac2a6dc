// SIF files written by Crossdock (electron/sif/write.ts), checked by others: sylabs' siftool
// (`siftool list`, `siftool header`), the native reader, unsquashfs, ch-run; and read back by
// unpackSif into the very tree they were made from (paths, modes, links, checksums), with the
// configuration they were given. Cancelling leaves nothing behind.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSif } from '../../electron/engines/apptainer/sif/reader';
import { unpackSif } from '../../electron/sif/unpack';
import { writeSif } from '../../electron/sif/write';
import type { ImageConfig } from '../../electron/transfer/image-config';
import { treeDigest } from '../../electron/transfer/tree-digest';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireSifTools, siftoolHeader, siftoolList } from '../fixtures/sif-files';
import { requireCharliecloud } from '../helpers/charliecloud';

const tools = await requireSifTools(['siftool', 'mksquashfs', 'unsquashfs', 'tar']);
const charliecloud = await requireCharliecloud();
const never = new AbortController().signal;

const CONFIG: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'GREETING=hello "world" $HOME `x` \\ end', "QUOTE=it's", 'EMPTY='],
  entrypoint: ['/bin/sh', '-c'],
  cmd: ['echo "$GREETING"; exit 7'],
  workingDir: '/tmp',
  user: null,
  labels: { 'org.crossdock.test': 'sif-write', tricky: 'a "b" \'c\' $d' },
};

describe.skipIf(tools.skip)('writeSif and unpackSif (real siftool, squashfs-tools)', () => {
  let base: string;
  let root: string;
  let sifPath: string;
  let sifId: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-sif-write-'));
    chmodSync(base, 0o755);
    root = join(base, 'root');
    mkdirSync(root);
    await execa('tar', ['-x', '-C', root], { input: busyboxRootTar() });
    // Modes, links and odd names the round trip must keep.
    mkdirSync(join(root, 'data', 'deep'), { recursive: true });
    writeFileSync(join(root, 'data', 'secret'), 'only the owner\n', { mode: 0o600 });
    chmodSync(join(root, 'data', 'secret'), 0o600);
    writeFileSync(join(root, 'data', 'deep', 'name with spaces & $dollar'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(root, 'data', 'run.sh'), '#!/bin/sh\necho run\n', { mode: 0o4755 });
    chmodSync(join(root, 'data', 'run.sh'), 0o4755);
    symlinkSync('deep/name with spaces & $dollar', join(root, 'data', 'link'));
    chmodSync(join(root, 'data', 'deep'), 0o1777);
    sifPath = join(base, 'out.sif');
    const progress: Array<[number, number | null]> = [];
    const written = await writeSif({ rootfsDir: root, config: CONFIG, outPath: sifPath, signal: never, onProgress: (done, total) => progress.push([done, total]) });
    sifId = written.sifId;
    expect(written.notes.join(' ')).toContain('working directory /tmp');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('is listed by siftool with a definition file, labels, two JSON objects and a primary squashfs partition', async () => {
    const rows = await siftoolList(sifPath);
    expect(rows.map((row) => row.type)).toEqual(['Def.FILE', 'JSON.Labels', 'JSON.Generic', 'JSON.Generic', 'FS (Squashfs/*System/amd64)']);
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.every((row) => row.group === '1')).toBe(true);
    const partition = rows[4]!;
    expect(partition.start % 4096).toBe(0);
    const header = await siftoolHeader(sifPath);
    expect(header).toMatchObject({
      'Launch Script': '#!/usr/bin/env run-singularity',
      Version: '01',
      'Primary Architecture': 'amd64',
      ID: sifId,
      'Descriptors Free': '43',
      'Descriptors Total': '48',
      'Descriptors Offset': '4096',
      'Data Offset': '32176',
    });
    const names = await Promise.all([3, 4].map(async (id) => (await execa('siftool', ['info', String(id), sifPath])).stdout));
    expect(names[0]).toMatch(/Name:\s+inspect-metadata\.json/);
    expect(names[1]).toMatch(/Name:\s+oci-config\.json/);
    const inspect = JSON.parse((await execa('siftool', ['dump', '3', sifPath])).stdout);
    expect(inspect).toMatchObject({ type: 'container', data: { attributes: { labels: { 'org.crossdock.test': 'sif-write' }, deffile: 'bootstrap: scratch' } } });
    expect(Object.keys(inspect.data.attributes.environment)).toEqual(['/.singularity.d/env/10-docker2singularity.sh', '/.singularity.d/env/90-environment.sh']);
  });

  it('is read by the native reader with the same objects', async () => {
    const result = await readSif(sifPath);
    if (!result.ok) throw new Error(result.reason);
    expect(result.sif.uuid).toBe(sifId);
    expect(result.sif.arch).toBe('amd64');
    expect(result.sif.labels).toMatchObject({ 'org.crossdock.test': 'sif-write', tricky: 'a "b" \'c\' $d', 'org.label-schema.schema-version': '1.0' });
    expect(result.sif.definition).toBe('bootstrap: scratch\n\n');
    expect(result.sif.partitions).toEqual([expect.objectContaining({ fsType: 'squashfs', partType: 'primary', arch: 'amd64' })]);
    expect(result.sif.signed).toBe(false);
    const oci = result.sif.descriptors.find((descriptor) => descriptor.name === 'oci-config.json')!;
    const bytes = readFileSync(sifPath).subarray(oci.offset, oci.offset + oci.size).toString();
    expect(JSON.parse(bytes)).toEqual({ Env: CONFIG.env, Entrypoint: CONFIG.entrypoint, Cmd: CONFIG.cmd, WorkingDir: '/tmp', Labels: CONFIG.labels });
  });

  it('holds Apptainer\'s metadata inside the squashfs, as unsquashfs lists it', async () => {
    const result = await readSif(sifPath);
    if (!result.ok) throw new Error(result.reason);
    const offset = String(result.sif.partitions[0]!.offset);
    const { stdout } = await execa('unsquashfs', ['-o', offset, '-ll', sifPath]);
    for (const path of [
      '.singularity.d/env/10-docker2singularity.sh',
      '.singularity.d/runscript',
      '.singularity.d/labels.json',
      '.singularity.d/actions/run',
      '.singularity.d/Singularity',
      '.singularity.d/libs',
      'singularity -> .singularity.d/runscript',
      'data/link -> deep/name with spaces & $dollar',
    ]) {
      expect(stdout).toContain(`squashfs-root/${path}`);
    }
    const dir = join(base, 'cat');
    await execa('unsquashfs', ['-o', offset, '-d', dir, sifPath, '.singularity.d/env/10-docker2singularity.sh']);
    const env = readFileSync(join(dir, '.singularity.d/env/10-docker2singularity.sh'), 'utf8');
    expect(env).toContain('export PATH="/usr/local/bin:/usr/bin:/bin"\n');
    expect(env).toContain('export GREETING="${GREETING:-"hello \\"world\\" \\$HOME \\`x\\` \\\\ end"}"\n');
    // The script sourced by a real shell gives back the values exactly.
    const { stdout: printed } = await execa('sh', ['-c', `. "$1"; printf '%s|' "$GREETING" "$QUOTE" "$EMPTY"`, 'sh', join(dir, '.singularity.d/env/10-docker2singularity.sh')], {
      env: { PATH: process.env.PATH },
      extendEnv: false,
    });
    expect(printed).toBe('hello "world" $HOME `x` \\ end|it\'s||');
  });

  it('unpacks to the tree it was made from, with its configuration', async () => {
    const dest = join(base, 'unpacked');
    const progress: number[] = [];
    const { config, notes } = await unpackSif({ sifPath, destDir: dest, signal: never, onProgress: (done) => progress.push(done) });
    expect(config).toEqual(CONFIG);
    expect(notes).toEqual([]);
    const [source, copy] = await Promise.all([treeDigest(root), treeDigest(dest)]);
    expect(copy).toEqual(source);
    expect(readdirSync(base).filter((name) => name.includes('crossdock-'))).toEqual([]);
  });

  it('keeps the metadata when asked, and its run action runs the entrypoint and command through sh', async () => {
    const dest = join(base, 'with-metadata');
    await unpackSif({ sifPath, destDir: dest, signal: never, keepMetadata: true });
    expect(existsSync(join(dest, '.singularity.d', 'runscript'))).toBe(true);
    // The run action under a plain chroot-less shell: sourcing env, then ENTRYPOINT + CMD.
    const script = readFileSync(join(dest, '.singularity.d', 'runscript'), 'utf8');
    expect(script).toContain(`OCI_ENTRYPOINT='"/bin/sh" "-c"'`);
  });

  it.skipIf(charliecloud.skip)('runs in ch-run once unpacked, exit code and output kept', async () => {
    const dest = join(base, 'for-ch-run');
    await unpackSif({ sifPath, destDir: dest, signal: never, keepMetadata: true });
    const ran = await execa('ch-run', [dest, '--', '/.singularity.d/actions/run'], { reject: false, env: { USER: process.env.USER ?? 'root' } });
    expect(ran.stdout).toBe('hello "world" $HOME `x` \\ end');
    expect(ran.exitCode).toBe(7);
    const withArgs = await execa('ch-run', [dest, '--', '/.singularity.d/actions/run', 'echo "$PWD $QUOTE"; exit 3'], { reject: false, env: { USER: process.env.USER ?? 'root' } });
    expect(withArgs.stdout).toBe("/tmp it's");
    expect(withArgs.exitCode).toBe(3);
  });

  it('refuses to unpack over a folder that holds anything, and changes nothing', async () => {
    const dest = join(base, 'occupied');
    mkdirSync(dest);
    writeFileSync(join(dest, 'mine'), 'keep me');
    await expect(unpackSif({ sifPath, destDir: dest, signal: never })).rejects.toMatchObject({ kind: 'conflict' });
    expect(readdirSync(dest)).toEqual(['mine']);
  });

  it('leaves nothing behind when cancelled, whether writing or unpacking', async () => {
    const bigRoot = join(base, 'big');
    mkdirSync(bigRoot);
    for (let index = 0; index < 2; index += 1) {
      await execa('head', ['-c', String(16 * 1024 * 1024), '/dev/urandom'], { stdout: { file: join(bigRoot, `random-${index}`) } });
    }
    const controller = new AbortController();
    const outPath = join(base, 'cancelled.sif');
    const writing = writeSif({
      rootfsDir: bigRoot,
      config: CONFIG,
      outPath,
      signal: controller.signal,
      onProgress: (done) => {
        if (done > 0) controller.abort();
      },
    });
    setTimeout(() => controller.abort(), 300);
    await expect(writing).rejects.toMatchObject({ kind: 'cancelled' });
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(base).filter((name) => name.includes('crossdock-'))).toEqual([]);

    const unpackController = new AbortController();
    const dest = join(base, 'cancelled-unpack');
    const unpacking = unpackSif({ sifPath, destDir: dest, signal: unpackController.signal });
    unpackController.abort();
    await expect(unpacking).rejects.toBeDefined();
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(base).filter((name) => name.includes('crossdock-'))).toEqual([]);
  });

  it('refuses an architecture SIF has no code for, and a folder that is not there, writing nothing', async () => {
    await expect(writeSif({ rootfsDir: root, config: { ...CONFIG, architecture: 'sparc' }, outPath: join(base, 'x.sif'), signal: never })).rejects.toMatchObject({
      kind: 'invalid-request',
      message: expect.stringContaining('"sparc"'),
    });
    await expect(writeSif({ rootfsDir: join(base, 'nope'), config: CONFIG, outPath: join(base, 'x.sif'), signal: never })).rejects.toMatchObject({ kind: 'invalid-request' });
    expect(existsSync(join(base, 'x.sif'))).toBe(false);
  });
});

// unpackSif on SIF files made by sylabs' siftool (not by Crossdock): a plain squashfs with labels,
// a signed one (converted, with a note), an image built from a definition file (its runscript is
// its own: metadata kept, the run action as its command), and the refusals: an encrypted
// partition, an ext3 one, a data-only file, a file that is not a SIF. A refusal changes nothing.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackSif } from '../../electron/sif/unpack';
import { treeDigest } from '../../electron/transfer/tree-digest';
import { buildSif, busyboxSquashfs, requireSifTools, SIF_LABELS } from '../fixtures/sif-files';

const tools = await requireSifTools(['siftool', 'mksquashfs', 'unsquashfs', 'tar']);
const never = new AbortController().signal;

describe.skipIf(tools.skip)('unpackSif on siftool-made files (real siftool, unsquashfs)', () => {
  let base: string;
  let squashfs: string;
  let root: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-sif-unpack-'));
    chmodSync(base, 0o755);
    squashfs = await busyboxSquashfs(base);
    root = join(base, 'root');
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const leftovers = () => readdirSync(base).filter((name) => name.includes('crossdock-'));

  it('unpacks a plain squashfs SIF: the same tree, labels from its Labels object, the partition\'s architecture', async () => {
    const sif = await buildSif(base, 'plain.sif', { labels: SIF_LABELS, squashfs, arch: 'arm64' });
    const dest = join(base, 'plain');
    const { config, notes } = await unpackSif({ sifPath: sif, destDir: dest, signal: never });
    expect(config).toEqual({ architecture: 'arm64', os: 'linux', env: [], entrypoint: null, cmd: null, workingDir: null, user: null, labels: SIF_LABELS });
    expect(notes).toEqual([]);
    expect(await treeDigest(dest)).toEqual(await treeDigest(root));
  });

  it('converts a signed SIF, saying that the signature does not carry over', async () => {
    const sif = await buildSif(base, 'signed.sif', { labels: SIF_LABELS, squashfs, signature: true });
    const dest = join(base, 'signed');
    const { notes } = await unpackSif({ sifPath: sif, destDir: dest, signal: never });
    expect(notes.join(' ')).toMatch(/signed.*does not carry over/);
    expect(await treeDigest(dest)).toEqual(await treeDigest(root));
  });

  it('keeps the metadata of an image built from a definition file, and runs its run action', async () => {
    const defRoot = join(base, 'def-root');
    mkdirSync(join(defRoot, '.singularity.d', 'env'), { recursive: true });
    await execa('tar', ['-x', '-C', defRoot], { input: (await execa('tar', ['-c', '-C', root, '.'], { encoding: 'buffer' })).stdout });
    writeFileSync(join(defRoot, '.singularity.d', 'runscript'), '#!/bin/sh\n\necho "from the def file: $@"\n', { mode: 0o755 });
    writeFileSync(join(defRoot, '.singularity.d', 'env', '90-environment.sh'), '#!/bin/sh\nexport A=$(echo computed)\n', { mode: 0o755 });
    writeFileSync(join(defRoot, '.singularity.d', 'labels.json'), JSON.stringify({ from: 'labels.json' }));
    const defSquashfs = join(base, 'def.sqfs');
    await execa('mksquashfs', [defRoot, defSquashfs, '-noappend', '-all-root', '-quiet', '-no-progress']);
    const sif = await buildSif(base, 'def.sif', { deffile: 'Bootstrap: scratch\n', squashfs: defSquashfs });
    const dest = join(base, 'def');
    const { config, notes } = await unpackSif({ sifPath: sif, destDir: dest, signal: never });
    expect(config).toMatchObject({ cmd: ['/.singularity.d/actions/run'], entrypoint: null, labels: { from: 'labels.json' }, env: [] });
    expect(notes.join(' ')).toContain('runscript is its own');
    expect(existsSync(join(dest, '.singularity.d', 'runscript'))).toBe(true);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['an encrypted partition', '5', /encrypted.*only Apptainer, given the key/],
    ['an ext3 partition', '2', /ext3 partition.*mounting it/],
  ];
  for (const [what, partfs, words] of refusals) {
    it(`refuses ${what}, saying why, and makes nothing`, async () => {
      const sif = join(base, `partfs-${partfs}.sif`);
      await execa('siftool', ['new', sif]);
      await execa('siftool', ['add', sif, squashfs, '--datatype', '4', '--parttype', '2', '--partfs', partfs, '--partarch', '2']);
      const dest = join(base, `partfs-${partfs}`);
      await expect(unpackSif({ sifPath: sif, destDir: dest, signal: never })).rejects.toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(words) });
      expect(existsSync(dest)).toBe(false);
      expect(leftovers()).toEqual([]);
    });
  }

  it('refuses a SIF with only a data partition, and a file that is not a SIF', async () => {
    const data = join(base, 'data.sif');
    await execa('siftool', ['new', data]);
    await execa('siftool', ['add', data, squashfs, '--datatype', '4', '--parttype', '3', '--partfs', '1', '--partarch', '2']);
    await expect(unpackSif({ sifPath: data, destDir: join(base, 'data'), signal: never })).rejects.toMatchObject({
      kind: 'invalid-request',
      message: expect.stringContaining('no system partition'),
    });
    const fake = join(base, 'fake.sif');
    writeFileSync(fake, 'not a SIF at all');
    await expect(unpackSif({ sifPath: fake, destDir: join(base, 'fake'), signal: never })).rejects.toMatchObject({
      kind: 'invalid-request',
      message: expect.stringContaining('the magic is missing'),
    });
    expect(existsSync(join(base, 'data'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});

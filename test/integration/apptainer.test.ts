// The Apptainer adapter. Apptainer cannot be installed on this project's machines, so detection
// runs against test/fakes/apptainer-fake/apptainer, a script that replays Apptainer's documented
// answers and runs containers for real through Charliecloud's ch-run (exit codes are real). The
// images are real SIF files made with siftool, read by Crossdock's own SIF reader; a SIF's
// partition offset from that reader is checked by running the partition with unsquashfs + ch-run.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDetailSchema, ImageSummarySchema } from '../../shared/model';
import type { EngineContext } from '../../electron/engines/engine';
import { UNREADABLE_LABEL, CACHE_LABEL, DEFFILE_LABEL } from '../../electron/engines/apptainer/images';
import { imageIdOf } from '../../electron/engines/file-image';
import { apptainerProvider, discoverApptainer } from '../../electron/engines/apptainer/provider';
import { readSif } from '../../electron/engines/apptainer/sif/reader';
import { buildSif, busyboxSquashfs, requireSifTools, SIF_DEFFILE, SIF_LABELS } from '../fixtures/sif-files';
import { apiErrorOf } from '../helpers/waiting';

const FAKE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fakes/apptainer-fake');
const tools = await requireSifTools(['siftool', 'mksquashfs', 'unsquashfs', 'tar', 'ch-run']);
const never = new AbortController().signal;

describe.skipIf(tools.skip)('Apptainer (through the fake on PATH) and its SIF files', () => {
  let dir = '';
  let images = '';
  let runtime = '';
  let sifA = '';
  let sifB = '';
  let corrupt = '';
  let sandbox = '';
  const logs: string[] = [];

  const context = (path: string, extra: NodeJS.ProcessEnv = {}): EngineContext => ({
    env: { ...process.env, PATH: path, USER: process.env.USER ?? 'root', APPTAINER_CACHEDIR: join(dir, 'cachedir'), ...extra },
    runtimeDir: runtime,
    log: (message) => logs.push(message),
    imageFolders: async () => [images, join(dir, 'no-such-folder')],
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cd-apptainer-'));
    images = join(dir, 'images');
    runtime = join(dir, 'runtime');
    await mkdir(images);
    const squashfs = await busyboxSquashfs(dir);
    sifA = await buildSif(images, 'a.sif', { deffile: SIF_DEFFILE, labels: SIF_LABELS, squashfs });
    sifB = await buildSif(images, 'b.sif', { squashfs, signature: true });
    corrupt = join(images, 'broken.sif');
    await writeFile(corrupt, (await readFile(sifA)).subarray(0, 40_000));
    await writeFile(join(images, 'notes.txt'), 'not an image\n');
    sandbox = join(images, 'sandbox');
    await execa('cp', ['-a', join(dir, 'root'), sandbox]);
    await mkdir(join(sandbox, '.singularity.d'));
    await writeFile(join(sandbox, '.singularity.d', 'labels.json'), JSON.stringify({ 'org.crossdock.sandbox': 'yes' }));
    // A cached SIF with no .sif name, as Apptainer's cache keeps them.
    await mkdir(join(dir, 'cachedir', 'cache', 'oci-tmp'), { recursive: true });
    await execa('cp', [sifB, join(dir, 'cachedir', 'cache', 'oci-tmp', 'f'.repeat(64))]);
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds Apptainer on PATH and proves it with a test container that exits 37', async () => {
    const [engine, ...others] = await discoverApptainer(context(`${FAKE_DIR}:${process.env.PATH}`), 0);
    expect(others).toHaveLength(0);
    expect([engine!.id, engine!.label, engine!.family]).toEqual(['apptainer', 'Apptainer', 'apptainer']);
    const reached = await engine!.detect(never, { probe: false });
    expect(reached).toMatchObject({ state: 'checking', version: '1.3.4', endpoint: join(FAKE_DIR, 'apptainer'), probe: { attempted: false } });
    const probed = await engine!.detect(never, { probe: true });
    expect(probed).toMatchObject({
      state: 'ready',
      version: '1.3.4',
      message: null,
      probe: { attempted: true, ok: true, exitCode: 37, expectedExitCode: 37 },
      attributes: { HasSIF: true, HasSandbox: true, Daemonless: true, Rootless: false, GpuFlag: '--nv', RunningInstances: 0 },
    });
  });

  it('is degraded with Apptainer\'s own words when the test container fails fatally (exit 255)', async () => {
    // The fake on a PATH without ch-run answers "FATAL: container creation failed" and 255.
    const [engine] = await discoverApptainer(context(FAKE_DIR), 1000);
    const probed = await engine!.detect(never, { probe: true });
    expect(probed.state).toBe('degraded');
    expect(probed.rootless).toBe(true);
    expect(probed.probe).toMatchObject({ attempted: true, ok: false, exitCode: 255 });
    expect(probed.message).toMatch(/^apptainer failed: FATAL: +container creation failed/);
    expect(probed.attributes['Rootless']).toBeUndefined();
  });

  it("asks Apptainer itself for a sandbox's labels (inspect --json) when it is installed", async () => {
    const calls = join(dir, 'fake-calls.log');
    const [engine] = await discoverApptainer(context(`${FAKE_DIR}:${process.env.PATH}`, { APPTAINER_FAKE_LOG: calls }), 0);
    const row = (await engine!.listImages(never)).find((image) => image.format === 'sandbox')!;
    const detail = await engine!.inspectImage(row.id, never);
    expect(detail.labels).toMatchObject({ 'org.crossdock.sandbox': 'yes' });
    expect((await readFile(calls, 'utf8')).split('\n')).toContain(`inspect --json ${sandbox}`);
  });

  it('finds SingularityCE under its own name', async () => {
    const bin = join(dir, 'singularity-bin');
    await mkdir(bin, { recursive: true });
    await symlink(join(FAKE_DIR, 'apptainer'), join(bin, 'singularity')).catch(() => undefined);
    const [engine] = await discoverApptainer(context(`${bin}:${process.env.PATH}`), 0);
    expect([engine!.id, engine!.label]).toEqual(['singularity', 'SingularityCE']);
    expect(await engine!.detect(never, { probe: true })).toMatchObject({ state: 'ready', version: '4.1.5', probe: { exitCode: 37 } });
  });

  it('lists the SIF files, the corrupt one marked, the sandbox and the cache', async () => {
    const [engine] = await apptainerProvider.discover(context(`${FAKE_DIR}:${process.env.PATH}`));
    const list = await engine!.listImages(never);
    for (const row of list) ImageSummarySchema.parse(row);
    const byName = new Map(list.map((row) => [row.repository, row]));
    expect([...byName.keys()].sort()).toEqual(['a.sif', 'b.sif', 'broken.sif', 'f'.repeat(64), 'sandbox']);

    const a = byName.get('a.sif')!;
    const sif = await readSif(sifA);
    if (!sif.ok) throw new Error(sif.reason);
    expect(a).toMatchObject({
      engineId: 'apptainer',
      id: imageIdOf(sifA),
      tag: null,
      format: 'sif',
      location: sifA,
      sizeBytes: (await readFile(sifA)).length,
      createdAt: sif.sif.createdAt!.toISOString(),
      labels: SIF_LABELS,
      dangling: false,
    });
    expect(byName.get('broken.sif')).toMatchObject({ format: 'sif', location: corrupt, sizeBytes: 40_000 });
    expect(byName.get('broken.sif')!.labels[UNREADABLE_LABEL]).toMatch(/^truncated: data object 3 \(Partition\)/);
    expect(byName.get('sandbox')).toMatchObject({ format: 'sandbox', location: sandbox, labels: { 'org.crossdock.sandbox': 'yes' } });
    expect(byName.get('sandbox')!.sizeBytes).toBeGreaterThan(500_000); // busybox itself
    expect(byName.get('f'.repeat(64))!.labels[CACHE_LABEL]).toBe('oci-tmp');
    expect(logs.join('\n')).not.toMatch(/no-such-folder/); // a missing folder is not news
  });

  it('inspects a SIF file, refuses to delete it, and prunes nothing', async () => {
    const [engine] = await apptainerProvider.discover(context(`${FAKE_DIR}:${process.env.PATH}`));
    const detail = ImageDetailSchema.parse(await engine!.inspectImage(imageIdOf(sifA), never));
    expect(detail.architecture).toBe('amd64');
    expect(detail.os).toBe('linux');
    expect(detail.layers).toEqual([expect.stringMatching(/^squashfs primary system partition, [\d.]+ (kB|MB) \(amd64\)$/)]);
    expect(detail.labels[DEFFILE_LABEL]).toBe(SIF_DEFFILE);
    expect(detail.labels['MAINTAINER']).toBe('Crossdock tests');
    expect(detail.labels['org.crossdock.sif.signed']).toBe('false');
    expect(detail.history).toEqual([]);
    const signed = await engine!.inspectImage(imageIdOf(sifB).slice(0, 12), never);
    expect(signed.labels['org.crossdock.sif.signed']).toBe('true');
    const broken = await engine!.inspectImage(imageIdOf(corrupt), never);
    expect(broken.labels[UNREADABLE_LABEL]).toMatch(/^truncated/);
    expect((await apiErrorOf(engine!.inspectImage('abcdef0123', never))).kind).toBe('not-found');
    const refusal = await apiErrorOf(engine!.removeImage({ imageId: imageIdOf(sifA), reference: null, force: true }));
    expect(refusal.kind).toBe('conflict');
    expect(refusal.message).toMatch(/Crossdock does not delete files it did not make/);
    expect(await readFile(sifA)).toBeTruthy();
    expect(await engine!.pruneImages()).toEqual({ engineId: 'apptainer', deleted: [], layersDeleted: 0, reclaimedBytes: 0 });
  });

  it('without Apptainer: one engine, not installed, whose SIF files still list', async () => {
    const engines = await discoverApptainer(context('/nonexistent-bin'), 0);
    expect(engines.map((engine) => [engine.id, engine.label])).toEqual([['apptainer', 'Apptainer']]);
    const detection = await engines[0]!.detect(never, { probe: true });
    expect(detection).toMatchObject({ state: 'not-installed', version: null, probe: { attempted: false } });
    expect(detection.message).toMatch(/still listed/);
    const names = (await engines[0]!.listImages(never)).map((row) => row.repository).sort();
    expect(names).toEqual(['a.sif', 'b.sif', 'broken.sif', 'f'.repeat(64), 'sandbox']);
  });

  it('runs a SIF without Apptainer at the partition offset the reader found (unsquashfs + ch-run)', async () => {
    const sif = await readSif(sifA);
    if (!sif.ok) throw new Error(sif.reason);
    const partition = sif.sif.partitions.find((candidate) => candidate.partType === 'primary')!;
    const rootfs = join(dir, 'unpacked');
    await execa('unsquashfs', ['-o', String(partition.offset), '-d', rootfs, sifA]);
    const run = await execa('ch-run', [rootfs, '--', '/bin/sh', '-c', 'exit 37'], {
      reject: false,
      env: { ...process.env, USER: process.env.USER ?? 'root' },
    });
    expect(run.exitCode).toBe(37);
    // A wrong offset finds no squashfs there.
    const wrong = await execa('unsquashfs', ['-o', String(partition.offset + 4096), '-d', join(dir, 'wrong'), sifA], { reject: false });
    expect(wrong.exitCode).not.toBe(0);
  });
});

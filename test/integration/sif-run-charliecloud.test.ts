// A SIF file run where Apptainer is absent: a Crossdock host with the Apptainer adapter (which lists
// SIF files natively, Apptainer or not) and Charliecloud, which advertises HasSIF once its test
// container ran from a SIF file Crossdock wrote and unpacked. A job on Charliecloud naming the SIF
// row runs through the job manager from the unpacked copy in the cache (its run action when no
// command is given, exit codes kept); later runs reuse the entry; two runs at once unpack once; a
// temporary folder a killed Crossdock left is never used; clearing the cache removes the entries.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/model';
import { apptainerProvider } from '../../electron/engines/apptainer/provider';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import { SifCache } from '../../electron/sif/cache';
import { writeSif } from '../../electron/sif/write';
import { EMPTY_IMAGE_CONFIG } from '../../electron/transfer/image-config';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireSifTools } from '../fixtures/sif-files';
import { requireCharliecloud } from '../helpers/charliecloud';
import { startJobHost, type JobHost } from '../helpers/job-host';

const tools = await requireSifTools(['mksquashfs', 'unsquashfs', 'tar']);
const charliecloud = await requireCharliecloud();
const never = new AbortController().signal;

describe.skipIf(tools.skip || charliecloud.skip)('SIF files run on Charliecloud through Crossdock (real ch-run, squashfs-tools)', () => {
  let base: string;
  let cacheDir: string;
  let host: JobHost;
  let sif: ImageSummary;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-sif-run-'));
    chmodSync(base, 0o755);
    const root = join(base, 'root');
    mkdirSync(root);
    await execa('tar', ['-x', '-C', root], { input: busyboxRootTar() });
    const images = join(base, 'images');
    mkdirSync(images);
    await writeSif({
      rootfsDir: root,
      config: { ...EMPTY_IMAGE_CONFIG, env: ['WHO=the SIF'], entrypoint: ['/bin/sh', '-c'], cmd: ['echo "run action: $WHO"; exit 5'] },
      outPath: join(images, 'busybox.sif'),
      signal: never,
    });
    cacheDir = join(base, 'cache');
    host = startJobHost(join(base, 'data'), [apptainerProvider, charliecloudProvider], {
      ...process.env,
      CROSSDOCK_CACHE_DIR: cacheDir,
      CH_IMAGE_STORAGE: join(base, 'storage'),
    });
    await host.call('settings.update', { imageFolders: [images] });
    const rows = await host.call('images.list', { engineId: 'apptainer' });
    sif = rows.find((row) => row.format === 'sif' && row.location === join(images, 'busybox.sif'))!;
    expect(sif).toBeDefined();
  });

  afterAll(async () => {
    await host?.dispose();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const entries = () => readdirSync(join(cacheDir, 'sif')).sort();
  const spec = (command: string[]) => ({ engineId: 'charliecloud', image: { imageId: sif.id }, command, network: 'host' as const });

  it('Charliecloud advertises HasSIF after running a SIF file Crossdock wrote and unpacked', async () => {
    const engines = await host.call('engines.list', { waitForProbes: true });
    const engine = engines.find((candidate) => candidate.id === 'charliecloud')!;
    expect(engine.state).toBe('ready');
    expect(engine.attributes).toMatchObject({ HasSIF: true, SifVia: expect.stringContaining('ch-run') });
    expect(String(engine.attributes['ImageFormats'])).toContain('sif');
  });

  it('shows the exact ch-run line, from the cache entry the SIF file will unpack to', async () => {
    const preview = await host.call('run.preview', { spec: spec([]) });
    expect(preview.problems).toEqual([]);
    const key = await new SifCache(join(cacheDir, 'sif')).keyOf(sif.location!);
    expect(preview.commandLine).toEqual(['ch-run', join(cacheDir, 'sif', key), '--', '/.singularity.d/actions/run']);
  });

  it('runs the SIF file\'s run action when no command is given, exit code and output kept', async () => {
    const record = await host.call('jobs.run', { spec: spec([]) });
    const done = await host.waitForState(record.id, ['exited', 'failed', 'killed']);
    expect(done.message).toBeNull();
    expect(done).toMatchObject({ state: 'exited', exitCode: 5 });
    expect((await host.output(record.id)).stdout).toBe('run action: the SIF\n');
    expect(entries()).toHaveLength(1);
  });

  it('reuses the unpacked entry for later runs, and runs a given command as it is', async () => {
    const [entry] = entries();
    const before = statSync(join(cacheDir, 'sif', entry!)).mtimeMs;
    const record = await host.call('jobs.run', { spec: spec(['/bin/sh', '-c', 'cat /.singularity.d/labels.json >/dev/null && echo given; exit 3']) });
    const done = await host.waitForState(record.id, ['exited', 'failed', 'killed']);
    expect(done).toMatchObject({ state: 'exited', exitCode: 3 });
    expect((await host.output(record.id)).stdout).toBe('given\n');
    expect(entries()).toEqual([entry]);
    expect(statSync(join(cacheDir, 'sif', entry!)).mtimeMs).toBe(before);
  });

  it('unpacks once for two runs at once, and never uses what a killed Crossdock left half-made', async () => {
    await host.call('sif.clearCache', {});
    expect(entries()).toEqual([]);
    const key = await new SifCache(join(cacheDir, 'sif')).keyOf(sif.location!);
    // A killed unpacking: unpackSif's temporary folder, with a partial root and no entry named <key>.
    const leftover = join(cacheDir, 'sif', `.${key}.crossdock-AbC123`);
    mkdirSync(join(leftover, 'root', 'bin'), { recursive: true });
    writeFileSync(join(leftover, 'root', 'bin', 'half'), 'half-made');
    const records = await Promise.all([host.call('jobs.run', { spec: spec(['/bin/echo', 'one']) }), host.call('jobs.run', { spec: spec(['/bin/echo', 'two']) })]);
    const ended = await Promise.all(records.map((record) => host.waitForState(record.id, ['exited', 'failed', 'killed'])));
    expect(ended.map((record) => [record.state, record.exitCode])).toEqual([
      ['exited', 0],
      ['exited', 0],
    ]);
    expect((await host.output(records[0]!.id)).stdout).toBe('one\n');
    expect((await host.output(records[1]!.id)).stdout).toBe('two\n');
    expect(entries()).toEqual([`.${key}.crossdock-AbC123`, key]);
    const usage = await host.call('sif.cache', {});
    expect(usage).toMatchObject({ path: join(cacheDir, 'sif'), entries: 1 });
    expect(usage.bytes).toBeGreaterThan(500_000);
  });

  it('clears the cache on request, temporaries included, and the next run unpacks again', async () => {
    const cleared = await host.call('sif.clearCache', {});
    expect(cleared).toMatchObject({ removed: 1, kept: 0 });
    expect(cleared.freedBytes).toBeGreaterThan(500_000);
    expect(entries()).toEqual([]);
    expect(await host.call('sif.cache', {})).toMatchObject({ entries: 0, bytes: 0 });
    const record = await host.call('jobs.run', { spec: spec(['/bin/true']) });
    expect(await host.waitForState(record.id, ['exited', 'failed', 'killed'])).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(entries()).toHaveLength(1);
  });

  it('keeps the entry a running job uses when the cache is cleared', async () => {
    const record = await host.call('jobs.run', { spec: spec(['/bin/sleep', '30']) });
    await host.waitForState(record.id, ['running']);
    const cleared = await host.call('sif.clearCache', {});
    expect(cleared).toMatchObject({ removed: 0, kept: 1 });
    await host.call('jobs.kill', { jobId: record.id });
    await host.waitForState(record.id, ['killed', 'exited']);
    await expect.poll(async () => (await host.call('sif.clearCache', {})).removed).toBe(1);
  });
});

// A SIF file run with udocker where Apptainer is absent: udocker advertises HasSIF once a SIF file
// Crossdock wrote and unpacked ran with `udocker run --location` in a PRoot mode, and a job naming
// the SIF row runs through the job manager from the cache (its run action when no command is
// given; exit codes and output kept), without creating a udocker container; the modes that
// cannot run a shared folder are refused, saying why.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/model';
import { apptainerProvider } from '../../electron/engines/apptainer/provider';
import { udockerProvider } from '../../electron/engines/udocker/provider';
import { writeSif } from '../../electron/sif/write';
import { EMPTY_IMAGE_CONFIG } from '../../electron/transfer/image-config';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireSifTools } from '../fixtures/sif-files';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { privateUdockerEnv, requireUdocker } from '../helpers/udocker';

const tools = await requireSifTools(['mksquashfs', 'unsquashfs', 'tar']);
const udocker = await requireUdocker();
const never = new AbortController().signal;

describe.skipIf(tools.skip || udocker.skip)('SIF files run with udocker through Crossdock (real udocker, squashfs-tools)', () => {
  let base: string;
  let host: JobHost;
  let sif: ImageSummary;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-sif-udocker-'));
    chmodSync(base, 0o755);
    const root = join(base, 'root');
    mkdirSync(root);
    await execa('tar', ['-x', '-C', root], { input: busyboxRootTar() });
    const images = join(base, 'images');
    mkdirSync(images);
    await writeSif({
      rootfsDir: root,
      config: { ...EMPTY_IMAGE_CONFIG, env: ['WHO=udocker'], cmd: ['/bin/sh', '-c', 'echo "run action: $WHO in $PWD"; exit 6'], workingDir: '/tmp' },
      outPath: join(images, 'busybox.sif'),
      signal: never,
    });
    host = startJobHost(join(base, 'data'), [apptainerProvider, udockerProvider], {
      ...privateUdockerEnv(join(base, 'udocker')),
      CROSSDOCK_CACHE_DIR: join(base, 'cache'),
    });
    await host.call('settings.update', { imageFolders: [images] });
    sif = (await host.call('images.list', { engineId: 'apptainer' })).find((row) => row.format === 'sif')!;
    expect(sif).toBeDefined();
  }, 180_000);

  afterAll(async () => {
    await host?.dispose();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const spec = (command: string[], executionMode: string | null = null) => ({ engineId: 'udocker', image: { imageId: sif.id }, command, network: 'host' as const, executionMode });

  it('advertises HasSIF after running a SIF file Crossdock wrote and unpacked', async () => {
    const engines = await host.call('engines.list', { waitForProbes: true });
    const engine = engines.find((candidate) => candidate.id === 'udocker')!;
    expect(engine.state, engine.message ?? '').toBe('ready');
    expect(engine.attributes).toMatchObject({ HasSIF: true, SifVia: expect.stringContaining('udocker run --location') });
  });

  it('runs the run action with no command (environment and working folder applied), without a udocker container', async () => {
    const containersBefore = readdirSync(join(base, 'udocker', 'containers')).length;
    const preview = await host.call('run.preview', { spec: spec([]) });
    expect(preview.commandLine).toEqual(expect.arrayContaining(['run', expect.stringMatching(/^--location=.*\/sif\/[0-9a-f-]+$/), '--nobanner', 'crossdock-sif', '/.singularity.d/actions/run']));
    const record = await host.call('jobs.run', { spec: spec([]) });
    const done = await host.waitForState(record.id, ['exited', 'failed', 'killed'], 120_000);
    expect(done.message).toBeNull();
    expect(done).toMatchObject({ state: 'exited', exitCode: 6 });
    expect((await host.output(record.id)).stdout).toContain('run action: udocker in /tmp\n');
    expect(readdirSync(join(base, 'udocker', 'containers')).length).toBe(containersBefore);
  });

  it('runs a given command in P2 as well, exit code kept', async () => {
    const record = await host.call('jobs.run', { spec: spec(['/bin/sh', '-c', 'echo given; exit 4'], 'P2') });
    const done = await host.waitForState(record.id, ['exited', 'failed', 'killed'], 120_000);
    expect(done).toMatchObject({ state: 'exited', exitCode: 4 });
    expect((await host.output(record.id)).stdout).toContain('given\n');
  });

  it('refuses the modes that cannot run a shared folder, saying why', async () => {
    const record = await host.call('jobs.run', { spec: spec(['/bin/true'], 'F1') }).catch((error: unknown) => error);
    const message = record instanceof Error ? record.message : ((await host.waitForState((record as { id: string }).id, ['failed'])).message ?? '');
    expect(message).toMatch(/only in its PRoot modes P1 and P2, not F1/);
  });
});

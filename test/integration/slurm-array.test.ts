// "Run on all engines" sent to the real one-node Slurm as one job array: one task per engine CI has
// (Docker, Podman, Charliecloud, udocker in P1), each running the engine's own command line on the
// node, each task its own record in the job list with its output, all ending completed.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSpecInput } from '../../shared/run';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import { dockerProvider } from '../../electron/engines/docker/provider';
import type { EngineProvider } from '../../electron/engines/engine';
import { podmanProvider } from '../../electron/engines/podman/provider';
import { udockerProvider } from '../../electron/engines/udocker/provider';
import { busyboxRootTar, importIntoDocker, importIntoPodman, randomTestReference, type TestImage } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { cancelSlurmJobs, requireSlurm } from '../helpers/slurm';
import { requireUdocker } from '../helpers/udocker';

const slurm = await requireSlurm();
const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const charliecloud = await requireCharliecloud();
const udocker = await requireUdocker();

describe.skipIf(slurm.skip || docker.skip)('Run on all engines as one Slurm job array (real one-node Slurm)', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let base: string;
  let jobs: JobHost;
  let inDocker: TestImage;
  let inPodman: TestImage | null = null;
  const inUdocker = randomTestReference();
  const specs: RunSpecInput[] = [];
  const submitted: string[] = [];

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-slurm-array-'));
    chmodSync(base, 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, CROSSDOCK_CONFIG_DIR: join(base, 'config'), CH_IMAGE_STORAGE: join(base, 'ch-storage'), UDOCKER_DIR: join(base, 'udocker') };
    delete env.CONTAINER_HOST;
    const providers: EngineProvider[] = [dockerProvider];
    inDocker = await importIntoDocker(client);
    const images = join(base, 'images');
    if (!podman.skip) {
      providers.push(podmanProvider);
      inPodman = await importIntoPodman(process.env);
    }
    if (!charliecloud.skip) {
      providers.push(charliecloudProvider);
      mkdirSync(join(images, 'busybox'), { recursive: true });
      await execa('tar', ['-x', '-C', join(images, 'busybox')], { input: busyboxRootTar() });
    }
    if (!udocker.skip) {
      providers.push(udockerProvider);
      writeFileSync(join(base, 'busybox.tar'), busyboxRootTar());
      await execa('udocker', [...(process.getuid?.() === 0 ? ['--allow-root'] : []), 'import', join(base, 'busybox.tar'), inUdocker.reference], {
        env: { ...env, UDOCKER_TARBALL: '', UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' },
      });
    }
    jobs = startJobHost(join(base, 'data'), providers, env);
    if (!charliecloud.skip) await jobs.call('settings.update', { imageFolders: [images] });
    await jobs.call('engines.list', { waitForProbes: true });

    const command = ['sh', '-c', 'echo "hello from busybox"'];
    specs.push({ engineId: 'docker', image: { imageId: inDocker.id, reference: inDocker.reference }, command, network: 'none' });
    if (inPodman) specs.push({ engineId: 'podman', image: { imageId: inPodman.id, reference: inPodman.reference }, command, network: 'none' });
    if (!charliecloud.skip) {
      const row = (await jobs.call('images.list', { engineId: 'charliecloud' })).find((candidate) => candidate.location === join(images, 'busybox'));
      specs.push({ engineId: 'charliecloud', image: { imageId: row!.id, reference: null }, command });
    }
    if (!udocker.skip) {
      const row = (await jobs.call('images.list', { engineId: 'udocker' })).find((candidate) => candidate.repoTags.includes(inUdocker.reference));
      specs.push({ engineId: 'udocker', executionMode: 'P1', image: { imageId: row!.id, reference: inUdocker.reference }, command });
    }
  });

  afterAll(async () => {
    await cancelSlurmJobs(submitted);
    await jobs?.dispose();
    const leftovers = await client.listContainers({ all: true, filters: { ancestor: [inDocker.id] } }).catch(() => []);
    for (const container of leftovers) await client.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    await inDocker?.cleanup();
    await inPodman?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('shows one task per engine in the script, and every task completes with the same output', async () => {
    const preview = await jobs.call('slurm.preview', { specs, request: { jobName: 'all-engines' } });
    expect(preview.problems).toEqual([]);
    expect(preview.sbatchArgv).toContain(`--array=0-${specs.length - 1}`);
    for (let index = 0; index < specs.length; index++) expect(preview.script).toContain(`  ${index}) crossdock_task_${index} ;;`);

    const records = await jobs.call('slurm.submit', { specs, request: { jobName: 'all-engines' } });
    expect(records.map((record) => record.spec.engineId)).toEqual(specs.map((spec) => spec.engineId));
    const arrayId = records[0]!.batch!.jobId.split('_')[0]!;
    submitted.push(arrayId);
    expect(records.map((record) => record.batch!.jobId)).toEqual(specs.map((_spec, index) => `${arrayId}_${index}`));

    for (const record of records) {
      const ended = await jobs.waitForState(record.id, ['exited', 'failed', 'cancelled', 'timeout', 'engine-lost'], 180_000);
      const text = await jobs.output(record.id);
      console.log(`${record.spec.engineId} (${record.batch!.jobId}): ${ended.state} ${ended.exitCode ?? ''} ${ended.message ?? ''}\n${text.stdout}`);
      expect(ended, `${record.spec.engineId}: ${text.stdout}`).toMatchObject({ state: 'exited', exitCode: 0 });
      expect(text.stdout).toContain('hello from busybox');
    }
  }, 300_000);
});

// Jobs submitted to the real one-node Slurm (scripts/slurm-one-node.sh) through the contract, as
// the window does: a Docker job's exit codes 0 and 3 come back completed and failed (3), output
// reaches the terminal stream while the job runs, cancel from Crossdock and scancel by hand both
// end as cancelled (and the container goes too), a restart of Crossdock finds a job again and
// re-reads its output, and bad requests get Slurm's own words with nothing recorded.
import { existsSync, mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlurmRequestInput } from '../../shared/batch';
import type { JobRecord } from '../../shared/jobs';
import type { RunSpecInput } from '../../shared/run';
import { dockerProvider } from '../../electron/engines/docker/provider';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { cancelSlurmJobs, requireSlurm } from '../helpers/slurm';
import { apiErrorOf } from '../helpers/waiting';

const slurm = await requireSlurm();
const docker = await requireEngine('docker');

describe.skipIf(slurm.skip || docker.skip)('Slurm jobs (real one-node Slurm, Docker on the node)', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let base: string;
  let image: TestImage;
  let jobs: JobHost;
  const submitted = new Set<string>();
  const startHost = () => startJobHost(join(base, 'data'), [dockerProvider], { ...process.env, CROSSDOCK_CONFIG_DIR: join(base, 'config') });

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-slurm-'));
    chmodSync(base, 0o755);
    image = await importIntoDocker(client);
    jobs = startHost();
  });

  afterAll(async () => {
    await cancelSlurmJobs(submitted);
    await jobs?.dispose();
    const leftovers = await client.listContainers({ all: true, filters: { ancestor: [image.id] } }).catch(() => []);
    for (const container of leftovers) await client.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    await image?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const spec = (command: string[]): RunSpecInput => ({ engineId: 'docker', image: { imageId: image.id, reference: image.reference }, command, network: 'none' });

  async function submit(command: string[], request: SlurmRequestInput = {}): Promise<JobRecord> {
    const records = await jobs.call('slurm.submit', { specs: [spec(command)], request: { jobName: 'crossdock-test', ...request } });
    for (const record of records) submitted.add(record.batch!.jobId);
    expect(records).toHaveLength(1);
    return records[0]!;
  }

  it('lists the cluster and its partitions', async () => {
    const info = await jobs.call('slurm.info', {});
    expect(info.available).toBe(true);
    expect(info.cluster).toBeTruthy();
    const partition = info.partitions.find((candidate) => candidate.isDefault);
    expect(partition?.cpusPerNode).toBeGreaterThan(0);
    expect(partition?.memoryMbPerNode).toBeGreaterThan(0);
  });

  it('shows the batch script it will submit, with the docker run the job runs locally', async () => {
    const preview = await jobs.call('slurm.preview', { specs: [spec(['sh', '-c', 'echo hi'])], request: { jobName: 'preview', timeLimitMinutes: 5, memoryMb: 512 } });
    expect(preview.problems).toEqual([]);
    expect(preview.script).toMatch(/^#!\/bin\/bash/);
    expect(preview.script).toContain(`'docker' 'run' '--name' "$crossdock_name" '--rm'`);
    expect(preview.script).toContain(`'${image.reference}' 'sh' '-c' 'echo hi'`);
    expect(preview.sbatchArgv).toEqual(expect.arrayContaining(['sbatch', '--job-name=preview', '--time=5', '--mem=512M', '--cpus-per-task=1']));
    const { exitCode } = await execa('bash', ['-n'], { input: preview.script, reject: false });
    expect(exitCode).toBe(0);
  });

  it('brings exit code 0 back as completed and 3 as failed (3), with their output', async () => {
    const ok = await submit(['sh', '-c', 'echo all good']);
    const bad = await submit(['sh', '-c', 'echo going wrong; exit 3']);
    expect(ok.state).toBe('pending');
    expect(ok.batch).toMatchObject({ system: 'slurm', slurmState: 'PENDING' });
    const okEnd = await jobs.waitForState(ok.id, ['exited', 'failed', 'cancelled', 'timeout', 'engine-lost'], 120_000);
    const badEnd = await jobs.waitForState(bad.id, ['exited', 'failed', 'cancelled', 'timeout', 'engine-lost'], 120_000);
    expect(okEnd).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(okEnd.batch?.slurmState).toBe('COMPLETED');
    expect(badEnd).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(badEnd.batch?.slurmState).toBe('FAILED');
    expect(okEnd.startedAt).not.toBeNull();
    expect((await jobs.output(ok.id)).stdout).toContain('all good');
    expect((await jobs.output(bad.id)).stdout).toContain('going wrong');
  });

  it('streams the output while the job runs, and cancel from Crossdock ends it and its container', async () => {
    const record = await submit(['sh', '-c', 'echo first line; sleep 120; echo never']);
    // The terminal stream has the first line while the job still runs.
    const early = await jobs.output(record.id, (text) => text.stdout.includes('first line'));
    expect(early.stdout).toContain('first line');
    // Slurm says RUNNING at its next poll, while the job still sleeps.
    await jobs.waitForState(record.id, ['running'], 30_000);
    await jobs.call('jobs.stop', { jobId: record.id });
    const ended = await jobs.waitForState(record.id, ['cancelled', 'exited', 'failed', 'timeout'], 60_000);
    expect(ended.state).toBe('cancelled');
    expect(ended.message).toMatch(/from Crossdock/);
    const containers = await client.listContainers({ all: true, filters: { ancestor: [image.id] } });
    expect(containers.filter((container) => container.Names.some((name) => name.includes(`crossdock-slurm-${record.batch!.jobId}-`)))).toEqual([]);
    expect((await jobs.output(record.id)).stdout).not.toContain('never');
  });

  it('marks a job cancelled by hand (scancel outside Crossdock) as cancelled', async () => {
    const record = await submit(['sh', '-c', 'echo waiting; sleep 120']);
    await jobs.output(record.id, (text) => text.stdout.includes('waiting'));
    await execa('scancel', [record.batch!.jobId]);
    const ended = await jobs.waitForState(record.id, ['cancelled', 'exited', 'failed', 'timeout'], 60_000);
    expect(ended.state).toBe('cancelled');
    expect(ended.message).toMatch(/outside Crossdock/);
  });

  it('finds a job again after a restart, re-polls it and re-reads its output', async () => {
    const record = await submit(['sh', '-c', 'echo before restart; sleep 6; echo after restart']);
    await jobs.output(record.id, (text) => text.stdout.includes('before restart'));
    await jobs.dispose();
    // Quitting leaves the job to Slurm: its record still says it runs.
    jobs = startHost();
    const listed = (await jobs.call('jobs.list', {})).find((job) => job.id === record.id);
    expect(listed?.batch?.jobId).toBe(record.batch!.jobId);
    const ended = await jobs.waitForState(record.id, ['exited', 'failed', 'cancelled', 'engine-lost'], 120_000);
    expect(ended).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(ended.reattachedAt).not.toBeNull();
    const text = await jobs.output(record.id);
    expect(text.stdout).toContain('before restart');
    expect(text.stdout).toContain('after restart');
    // Re-read from the start: the first line is there once, not twice.
    expect(text.stdout.split('before restart').length).toBe(2);
  });

  it('refuses an unknown partition and a request larger than any node with Slurm\'s words, recording nothing', async () => {
    const before = (await jobs.call('jobs.list', {})).length;
    const partition = await apiErrorOf(submit(['true'], { partition: 'nosuchpartition' }));
    expect(partition.message).toMatch(/invalid partition/i);
    const memory = await apiErrorOf(submit(['true'], { memoryMb: 1024 * 1024 * 1024 }));
    expect(memory.message).toMatch(/Memory specification can not be satisfied|Requested node configuration is not available/);
    const cpus = await apiErrorOf(submit(['true'], { cpus: 4096 }));
    expect(cpus.message).toMatch(/More processors requested than permitted|Requested node configuration is not available/);
    expect((await jobs.call('jobs.list', {})).length).toBe(before);
  });

  it('refuses an output folder that cannot be written, before anything is submitted', async () => {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    const missing = await apiErrorOf(submit(['true'], { outputDir: join(base, 'no', 'such', 'folder') }));
    expect(missing.message).toMatch(/does not exist.*Nothing was submitted/);
    const notFolder = await apiErrorOf(submit(['true'], { outputDir: file }));
    expect(notFolder.message).toMatch(/not a folder/);
  });

  it('keeps hostile text in the job name and the command as text', async () => {
    const marker = join(base, 'pwned');
    const hostile = `x'; touch ${marker}; echo '$(touch ${marker})\`touch ${marker}\``;
    const hostileName = `x'; touch ${marker}; $(touch ${marker})`.slice(-128);
    const record = await submit(['echo', hostile], { jobName: hostileName });
    const ended = await jobs.waitForState(record.id, ['exited', 'failed', 'cancelled'], 120_000);
    expect(ended).toMatchObject({ state: 'exited', exitCode: 0 });
    expect((await jobs.output(record.id)).stdout).toContain(hostile);
    expect(existsSync(marker)).toBe(false);
    const { stdout } = await execa('squeue', ['--states=all', '--noheader', '--jobs', record.batch!.jobId, '--Format=Name:200']);
    expect(stdout.trim()).toBe(hostileName.trim());
  });

  it('refuses hostile partition names before sbatch', async () => {
    const error = await apiErrorOf(jobs.call('slurm.submit', { specs: [spec(['true'])], request: { partition: 'debug; touch /tmp/x' } }));
    expect(error.kind).toBe('invalid-request');
  });

  it('says Slurm is not available where sbatch is not on PATH', async () => {
    const bare = startJobHost(join(base, 'bare'), [dockerProvider], { ...process.env, PATH: join(base, 'empty-path'), CROSSDOCK_CONFIG_DIR: join(base, 'bare-config') });
    try {
      const info = await bare.call('slurm.info', {});
      expect(info.available).toBe(false);
      expect(info.message).toMatch(/sbatch is not on PATH/);
      const error = await apiErrorOf(bare.call('slurm.submit', { specs: [spec(['true'])], request: {} }));
      expect(error.message).toMatch(/sbatch is not on PATH/);
    } finally {
      await bare.dispose();
    }
  });

  it('keeps a job through a controller that cannot be reached, says so, and refuses new submissions in Slurm\'s words', async () => {
    // The real cluster keeps running for the other tests: this host's Slurm commands read a copy of
    // slurm.conf whose controller port nothing listens on, which is what a login node sees while
    // slurmctld is down (the same "Unable to contact slurm controller").
    const record = await submit(['sh', '-c', 'echo held; sleep 30']);
    await jobs.output(record.id, (text) => text.stdout.includes('held'));
    const conf = join(base, 'unreachable-slurm.conf');
    const { stdout: real } = await execa('cat', ['/etc/slurm/slurm.conf']);
    writeFileSync(conf, `${real.replace(/^SlurmctldPort=.*$/m, '')}\nSlurmctldPort=1\n`);
    await jobs.dispose();
    const cut = startJobHost(join(base, 'data'), [dockerProvider], { ...process.env, SLURM_CONF: conf, CROSSDOCK_CONFIG_DIR: join(base, 'config') });
    try {
      const info = await cut.call('slurm.info', {});
      expect(info.available).toBe(false);
      expect(info.message).toMatch(/Unable to contact slurm controller|Connection refused/i);
      const error = await apiErrorOf(cut.call('slurm.submit', { specs: [spec(['true'])], request: {} }));
      expect(error.kind).toBe('engine-unavailable');
      expect(error.message).toMatch(/controller cannot be reached/);
      // The job is still listed, still active, and says why its state is not fresh.
      const kept = (await cut.call('jobs.list', {})).find((job) => job.id === record.id);
      expect(kept?.batch?.jobId).toBe(record.batch!.jobId);
      expect(['pending', 'running']).toContain(kept?.state);
      await expect.poll(async () => (await cut.call('jobs.get', { jobId: record.id })).message ?? '', { timeout: 30_000 }).toMatch(/Slurm|controller|squeue/i);
      expect((await cut.output(record.id, (text) => text.stdout.includes('held'))).stdout).toContain('held');
    } finally {
      await cut.dispose();
      jobs = startHost();
    }
    // With the controller back, the same job is followed to its end.
    const ended = await jobs.waitForState(record.id, ['exited', 'failed', 'cancelled', 'engine-lost'], 120_000);
    expect(ended).toMatchObject({ state: 'exited', exitCode: 0 });
  });
});

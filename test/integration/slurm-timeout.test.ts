// A Slurm job that sleeps past its one-minute limit ends as "timeout", in Slurm's words. Slurm's
// limits are whole minutes and its controller checks them about every 30 s, so this test takes one
// to two minutes (scripts/slurm-one-node.sh sets OverTimeLimit=0 and KillWait=5 to keep it there).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { cancelSlurmJobs, requireSlurm } from '../helpers/slurm';

const slurm = await requireSlurm();
const charliecloud = await requireCharliecloud();

describe.skipIf(slurm.skip || charliecloud.skip)('a Slurm job past its time limit (real one-node Slurm, ch-run on the node)', () => {
  let base: string;
  let jobs: JobHost;
  let imageId: string;
  const submitted: string[] = [];

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-slurm-timeout-'));
    chmodSync(base, 0o755);
    const images = join(base, 'images');
    await execa('mkdir', ['-p', join(images, 'busybox')]);
    await execa('tar', ['-x', '-C', join(images, 'busybox')], { input: busyboxRootTar() });
    jobs = startJobHost(join(base, 'data'), [charliecloudProvider], { ...process.env, CH_IMAGE_STORAGE: join(base, 'storage'), CROSSDOCK_CONFIG_DIR: join(base, 'config') });
    await jobs.call('settings.update', { imageFolders: [images] });
    imageId = (await jobs.call('images.list', { engineId: 'charliecloud' })).find((row) => row.location === join(images, 'busybox'))!.id;
  });

  afterAll(async () => {
    await cancelSlurmJobs(submitted);
    await jobs?.dispose();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('ends as timeout, with the output written before it', async () => {
    const [record] = await jobs.call('slurm.submit', {
      specs: [{ engineId: 'charliecloud', image: { imageId }, command: ['sh', '-c', 'echo sleeping past the limit; sleep 300'] }],
      request: { jobName: 'crossdock-timeout', timeLimitMinutes: 1 },
    });
    submitted.push(record!.batch!.jobId);
    const ended = await jobs.waitForState(record!.id, ['timeout', 'exited', 'failed', 'cancelled', 'engine-lost'], 240_000);
    expect(ended.state).toBe('timeout');
    expect(ended.batch?.slurmState).toBe('TIMEOUT');
    expect(ended.message).toMatch(/TIMEOUT/);
    const text = await jobs.output(record!.id);
    expect(text.stdout).toContain('sleeping past the limit');
    expect(text.notice).toMatch(/timeout/);
  }, 300_000);
});

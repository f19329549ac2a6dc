// Jobs of an engine without a daemon (Charliecloud's ch-run) across the end of the Crossdock that
// ran them: quitting ends them and says so; a Crossdock killed outright leaves an orphan that the
// next start finds, stops and reports. Their records and output survive either way.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { buildCli, exitCode, readUntil, runCli, servedUrl, URL_PREFIX } from '../helpers/cli';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { waitFor } from '../helpers/waiting';

const charliecloud = await requireCharliecloud();

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(charliecloud.skip)('jobs of a daemonless engine across restarts', () => {
  let base: string;
  let images: string;
  let imageId: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-restart-'));
    chmodSync(base, 0o755);
    images = join(base, 'images');
    const busybox = join(images, 'busybox');
    mkdirSync(busybox, { recursive: true });
    await execa('tar', ['-x', '-C', busybox], { input: busyboxRootTar() });
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  async function hostOn(home: string): Promise<JobHost> {
    const jobs = startJobHost(join(home, 'data'), [charliecloudProvider], { ...process.env, CH_IMAGE_STORAGE: join(base, 'storage'), CROSSDOCK_CONFIG_DIR: join(home, 'config') });
    await jobs.call('settings.update', { imageFolders: [images] });
    const rows = await jobs.call('images.list', { engineId: 'charliecloud' });
    imageId = rows.find((row) => row.location === join(images, 'busybox'))!.id;
    return jobs;
  }

  it('ends a running job when Crossdock quits, says so, and keeps its output', async () => {
    const home = join(base, 'quit');
    let jobs = await hostOn(home);
    const record = await jobs.call('jobs.run', { spec: { engineId: 'charliecloud', image: { imageId }, command: ['sh', '-c', 'echo started; sleep 60'] } });
    await jobs.output(record.id, (text) => text.stdout.includes('started'));
    const running = await jobs.waitForState(record.id, ['running']);
    await jobs.dispose();
    expect(processAlive(running.handle.pid!)).toBe(false);

    jobs = await hostOn(home);
    const after = await jobs.call('jobs.get', { jobId: record.id });
    expect(after).toMatchObject({ state: 'interrupted', message: expect.stringContaining('Crossdock quit') });
    expect((await jobs.output(record.id)).stdout).toBe('started\n');
    await jobs.dispose();
  });

  it('after Crossdock was killed, stops the job it left behind and marks it interrupted', async () => {
    const home = join(base, 'killed');
    const { cli } = buildCli('jobs-restart');
    const serve = runCli(cli, ['serve', '--port', '0'], home);
    const url = servedUrl(await readUntil(serve, URL_PREFIX, 60_000));
    const token = url.searchParams.get('token')!;
    const api = async (name: string, body: unknown) => {
      const response = await fetch(new URL(`/api/call/${name}`, url.origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const envelope = (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
      if (!envelope.ok) throw new Error(envelope.error?.message);
      return envelope.result;
    };
    await api('settings.update', { imageFolders: [images] });
    const rows = (await api('images.list', { engineId: 'charliecloud' })) as Array<{ id: string; location?: string }>;
    const id = rows.find((row) => row.location === join(images, 'busybox'))!.id;
    const record = (await api('jobs.run', { spec: { engineId: 'charliecloud', image: { imageId: id }, command: ['sh', '-c', 'echo alive; sleep 120'] } })) as { id: string };
    let pid = 0;
    for (let i = 0; i < 200 && !pid; i += 1) {
      const job = (await api('jobs.get', { jobId: record.id })) as { state: string; handle: { pid: number | null }; outputBytes: number };
      if (job.state === 'running' && job.handle.pid) pid = job.handle.pid;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pid).toBeGreaterThan(0);
    serve.kill('SIGKILL');
    await exitCode(serve);
    expect(processAlive(pid)).toBe(true); // the orphan a killed Crossdock leaves

    const jobs = startJobHost(join(home, 'data'), [charliecloudProvider], { ...process.env, CH_IMAGE_STORAGE: join(base, 'storage'), CROSSDOCK_CONFIG_DIR: join(home, 'config') });
    const after = await jobs.waitForState(record.id, ['interrupted']);
    expect(after.message).toMatch(/still running and has been stopped/);
    await waitFor(() => !processAlive(pid), 5_000, 'the orphan to end');
    expect((await jobs.output(record.id)).stdout).toBe('alive\n');
    await jobs.dispose();
    // The killed host could not stop the Podman service it had started (its socket is in `home`).
    await execa('pkill', ['-TERM', '-f', home], { reject: false });
  });
});

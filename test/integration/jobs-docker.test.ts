// The job manager end to end through the contract, on the real Docker daemon: records and output
// on disk, bad input, stop, a restart of the host in the middle of a job, and bounded memory while
// 200 MB stream through a job.
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerProvider } from '../../electron/engines/docker/provider';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { DOCKER_SOCKET, requireDockerd, requireEngine } from '../helpers/engines';
import { startPrivateDockerd, type PrivateDockerd } from '../helpers/private-dockerd';
import { execa } from 'execa';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { apiErrorOf } from '../helpers/waiting';

const docker = await requireEngine('docker');
const dockerd = await requireDockerd();

describe.skipIf(docker.skip)('jobs on Docker, through the contract', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let image: TestImage;
  let dataDir: string;
  let jobs: JobHost;
  const spec = (patch: object = {}) => ({
    engineId: 'docker',
    image: { imageId: image.id, reference: image.reference },
    ...patch,
  });

  beforeAll(async () => {
    image = await importIntoDocker(client);
    dataDir = await mkdtemp(join(tmpdir(), 'crossdock-jobs-'));
    jobs = startJobHost(dataDir, [dockerProvider]);
  });

  afterAll(async () => {
    await jobs?.dispose();
    const leftovers = await client.listContainers({ all: true, filters: { label: ['org.crossdock.job=1'], ancestor: [image.id] } });
    for (const container of leftovers) await client.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    await image?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a job, keeps stdout and stderr apart, and records its exit code', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'] }) });
    expect(record).toMatchObject({ state: 'starting', engineLabel: 'Docker', imageLabel: image.reference, commandLineIsEquivalent: true });
    expect(record.commandLine).toEqual(expect.arrayContaining([image.reference, 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3']));
    const done = await jobs.waitForState(record.id, ['exited']);
    expect(done).toMatchObject({ exitCode: 3, startedAt: expect.any(String), endedAt: expect.any(String) });
    const output = await jobs.output(record.id);
    expect(output.stdout).toBe('to-out\n');
    expect(output.stderr).toBe('to-err\n');
    expect(output.notice).toContain('exited 3');
    // On disk, in the XDG data folder given to the host.
    expect(await readdir(join(dataDir, 'jobs', record.id))).toEqual(expect.arrayContaining(['job.json', 'output.log']));
    // The run dialog's "recent runs" of this image.
    expect(await jobs.call('jobs.recent', { engineId: 'docker', imageId: image.id })).toContainEqual(expect.objectContaining({ command: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'] }));
  });

  it('shows a command missing from the image as exit 127, with the engine\'s words', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['no-such-command'] }) });
    const done = await jobs.waitForState(record.id, ['exited', 'failed']);
    expect(done).toMatchObject({ state: 'exited', exitCode: 127 });
    expect(done.message).toMatch(/no-such-command/);
  });

  it('refuses malformed input at the boundary and records nothing', async () => {
    const before = (await jobs.call('jobs.list', {})).length;
    const error = await apiErrorOf(jobs.call('jobs.run', { spec: spec({ env: [{ name: '1BAD', value: 'x' }] }) }));
    expect(error.kind).toBe('invalid-request');
    expect(error.message).toMatch(/environment variable name/);
    expect((await jobs.call('jobs.list', {})).length).toBe(before);
  });

  it('records a missing bind source as a failed job and starts nothing (Docker would create the folder)', async () => {
    const missing = join(dataDir, 'does', 'not', 'exist');
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['true'], binds: [{ hostPath: missing, containerPath: '/data' }] }) });
    expect(record).toMatchObject({ state: 'failed', message: expect.stringContaining('does not exist') });
    await expect(readdir(missing)).rejects.toThrow(/ENOENT/);
  });

  it('records an image that is not there as a failed job', async () => {
    const record = await jobs.call('jobs.run', { spec: { engineId: 'docker', image: { imageId: 'f'.repeat(64), reference: null } } });
    expect(record).toMatchObject({ state: 'failed', message: expect.stringMatching(/has no image/) });
  });

  it('records a user the engine refuses as a failed job, in the engine\'s words', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['id'], user: 'no-such-user' }) });
    const done = await jobs.waitForState(record.id, ['failed', 'exited']);
    expect(done.state).toBe('failed');
    expect(done.message).toMatch(/no-such-user/);
  });

  it('publishes ports as `docker run -p` does, and refuses ports the engine could not publish', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['sh', '-c', 'echo ready; sleep 30'], ports: [{ hostPort: 18181, containerPort: 80 }] }) });
    expect(record.commandLine).toEqual(expect.arrayContaining(['-p', '18181:80/tcp']));
    const running = await jobs.waitForState(record.id, ['running']);
    const inspected = await client.getContainer(running.handle.containerId!).inspect();
    expect(inspected.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '18181' }] });
    await jobs.call('jobs.kill', { jobId: record.id });
    await jobs.waitForState(record.id, ['killed']);
    // With no network, Docker would drop the port without a word: Crossdock refuses instead.
    const error = await apiErrorOf(jobs.call('jobs.run', { spec: spec({ command: ['true'], network: 'none', ports: [{ hostPort: 18182, containerPort: 80 }] }) }));
    expect(error.message).toMatch(/Published ports need the engine's default network/);
  });

  it('keeps a job running when the window that watched it closes, and has its whole output afterwards', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['sh', '-c', 'echo one; sleep 1; echo two'] }) });
    // The window: its stream sessions are disposed when it closes (or reloads).
    const { StreamSessions } = await import('../../electron/host/stream-sessions');
    const sent: unknown[] = [];
    const window = new StreamSessions(jobs.host.streamHandlers, (message) => sent.push(message));
    window.receive({ t: 'open', id: 1, name: 'jobs.output', request: { jobId: record.id }, credit: 64 });
    await expect.poll(() => JSON.stringify(sent)).toContain('one');
    window.dispose();
    const done = await jobs.waitForState(record.id, ['exited']);
    expect(done.exitCode).toBe(0);
    expect((await jobs.output(record.id)).stdout).toBe('one\ntwo\n');
  });

  it('stops a running job: SIGTERM, then the kill after the grace period', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 1; done'] }) });
    await jobs.output(record.id, (text) => text.stdout.includes('ready'));
    await jobs.call('jobs.stop', { jobId: record.id, graceSeconds: 1 });
    const done = await jobs.waitForState(record.id, ['killed']);
    expect(done.exitCode).toBe(137);
    await apiErrorOf(jobs.call('jobs.stop', { jobId: record.id, graceSeconds: 1 })).then((error) => expect(error.kind).toBe('conflict'));
  });

  it('re-attaches a job that kept running while Crossdock restarted, with its whole output', async () => {
    const record = await jobs.call('jobs.run', { spec: spec({ command: ['sh', '-c', 'echo before; sleep 3; echo after; exit 4'] }) });
    await jobs.output(record.id, (text) => text.stdout.includes('before'));
    await jobs.dispose(); // quits: the daemon keeps the container
    const left = await client.getContainer((await readRecordHandle(dataDir, record.id)) ?? 'none').inspect();
    expect(left.State.Running).toBe(true);

    jobs = startJobHost(dataDir, [dockerProvider]);
    const done = await jobs.waitForState(record.id, ['exited'], 60_000);
    expect(done).toMatchObject({ exitCode: 4, reattachedAt: expect.any(String) });
    const output = await jobs.output(record.id);
    expect(output.stdout).toBe('before\nafter\n');
    // Finished jobs from before the restart are all still listed, with their output.
    const listed = await jobs.call('jobs.list', {});
    expect(listed.filter((job) => job.state === 'exited').length).toBeGreaterThanOrEqual(2);
  });

  it('streams 200 MB through a job with the host\'s memory bounded, and a slow window does not slow the job', async () => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      // 200 MB of text lines from busybox itself (no host tools in the container).
      const record = await jobs.call('jobs.run', {
        spec: spec({ command: ['sh', '-c', 'line=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde; i=0; while [ $i -lt 16 ]; do line="$line$line"; i=$((i+1)); done; n=0; while [ $n -lt 52 ]; do echo "$line"; n=$((n+1)); done'] }),
      });
      // A window that reads one event and then stalls: the job must still finish on its own.
      const stalled = new AbortController();
      const iterator = jobs.host.streamHandlers['jobs.output']({ jobId: record.id, fromOffset: 0 }, stalled.signal)[Symbol.asyncIterator]();
      await iterator.next();
      const done = await jobs.waitForState(record.id, ['exited'], 120_000);
      stalled.abort();
      await iterator.return?.();
      expect(done.exitCode).toBe(0);
      expect(done.outputBytes).toBeGreaterThanOrEqual(200 * 1024 * 1024);
      // Reading it all back through the paced reader jumps to the tail instead of sending 200 MB.
      const output = await jobs.output(record.id);
      expect(output.stdout.length).toBeLessThan(16 * 1024 * 1024);
      expect(output.stdout.endsWith('abcde\n')).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    // Bounded: far less than the 200 MB that went through (buffers of a few MB, plus V8's slack).
    expect(peak - baseline).toBeLessThan(120 * 1024 * 1024);
  });
});

describe.skipIf(docker.skip || dockerd.skip)('jobs on a Docker daemon that dies mid-run', () => {
  let daemon: PrivateDockerd;
  let dataDir: string;
  let jobs: JobHost;

  beforeAll(async () => {
    daemon = await startPrivateDockerd();
    const image = await importIntoDocker(new Dockerode({ socketPath: daemon.socketPath }));
    dataDir = await mkdtemp(join(tmpdir(), 'crossdock-jobs-dies-'));
    jobs = startJobHost(dataDir, [dockerProvider], { ...process.env, DOCKER_HOST: daemon.dockerHost });
    await jobs.call('engines.list', {});
    spec = { engineId: 'docker', image: { imageId: image.id, reference: image.reference } };
  });
  let spec: { engineId: string; image: { imageId: string; reference: string | null } };

  afterAll(async () => {
    await jobs?.dispose();
    // Killed, the daemon leaves its containerd and the container's shim behind: end them too.
    const root = daemon?.socketPath.replace(/\/docker\.sock$/, '');
    if (root) await execa('pkill', ['-KILL', '-f', root], { reject: false });
    await daemon?.cleanup().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('marks the job "engine lost" with the reason, and keeps its output', async () => {
    const record = await jobs.call('jobs.run', { spec: { ...spec, command: ['sh', '-c', 'echo up; sleep 60'] } });
    await jobs.output(record.id, (text) => text.stdout.includes('up'));
    await jobs.waitForState(record.id, ['running']);
    process.kill(daemon.pid!, 'SIGKILL');
    const lost = await jobs.waitForState(record.id, ['engine-lost'], 30_000);
    expect(lost.message).toBeTruthy();
    expect((await jobs.output(record.id)).stdout).toBe('up\n');
  });
});

async function readRecordHandle(dataDir: string, jobId: string): Promise<string | null> {
  const { readFile } = await import('node:fs/promises');
  const record = JSON.parse(await readFile(join(dataDir, 'jobs', jobId, 'job.json'), 'utf8')) as { handle: { containerId: string | null } };
  return record.handle.containerId;
}

// "Run on all engines" through the contract, on the real engines: the same busybox job on Docker,
// Podman, Charliecloud and udocker (mode P1), one after another, repeated; targets that cannot run
// (an image that is not there, an engine nobody has) fail with their reason while the others
// complete; hostile text in the command stays text; cancel kills the running job and nothing
// after it starts; a restart finds a running comparison interrupted; and the CSV and Markdown
// downloads, over HTTP and through the Electron app:// handler, hold the record's export rows.
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/changes';
import type { CompareTargetInput, ComparisonRecord } from '../../shared/compare';
import { EXPORT_COLUMNS, exportRows, toCsv, toMarkdown } from '../../shared/compare-export';
import { summariseComparison } from '../../shared/compare-summary';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import { dockerProvider } from '../../electron/engines/docker/provider';
import type { EngineProvider } from '../../electron/engines/engine';
import { podmanProvider } from '../../electron/engines/podman/provider';
import { udockerProvider } from '../../electron/engines/udocker/provider';
import { createAppProtocolHandler } from '../../electron/transports/app-protocol';
import { startWebHost, type WebHost } from '../../electron/transports/web';
import { busyboxRootTar, importIntoDocker, importIntoPodman, randomTestReference, type TestImage } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { startJobHost, type JobHost } from '../helpers/job-host';
import { requireUdocker } from '../helpers/udocker';
import { apiErrorOf } from '../helpers/waiting';

// Docker carries most of these tests; each other engine joins the all-engines comparison where it
// is installed (each require says why it is skipped, and fails under CI=true instead).
const docker = await requireEngine('docker');
const podman = await requireEngine('podman');
const charliecloud = await requireCharliecloud();
const udocker = await requireUdocker();

/** A comparison is over (done, cancelled, interrupted): polls the record, no fixed sleep. */
async function settled(jobs: JobHost, comparisonId: string, timeoutMs = 240_000): Promise<ComparisonRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await jobs.call('compare.get', { comparisonId });
    if (record.state !== 'running') return record;
    if (Date.now() > deadline) throw new Error(`comparison ${comparisonId} still running after ${timeoutMs} ms: ${JSON.stringify(record.results.map((result) => result.attempts.map((attempt) => attempt.state)))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** RFC 4180, enough for the export: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at]!;
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        cell += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[at + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      at += 1;
    } else cell += char;
  }
  return rows;
}

describe.skipIf(docker.skip)('Run on all engines (real engines)', () => {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  let base: string;
  let jobs: JobHost;
  let inDocker: TestImage;
  let inPodman: TestImage | null = null;
  const inUdocker = randomTestReference();
  let env: NodeJS.ProcessEnv;
  let providers: EngineProvider[];
  /** Every engine this machine has, one target each, with the busybox image it holds. */
  const everyEngine: CompareTargetInput[] = [];
  let dockerTarget: CompareTargetInput;
  const events: ChangeEvent[] = [];
  const watching = new AbortController();
  /** Finished comparisons the download tests export. */
  const finished: ComparisonRecord[] = [];

  const startHost = () => startJobHost(join(base, 'data'), providers, env);

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-compare-'));
    chmodSync(base, 0o755);
    env = { ...process.env, CROSSDOCK_CONFIG_DIR: join(base, 'config'), CH_IMAGE_STORAGE: join(base, 'ch-storage'), UDOCKER_DIR: join(base, 'udocker') };
    delete env.CONTAINER_HOST;
    providers = [dockerProvider];

    inDocker = await importIntoDocker(client);
    dockerTarget = { engineId: 'docker', image: { imageId: inDocker.id, reference: inDocker.reference } };
    if (!podman.skip) {
      providers.push(podmanProvider);
      inPodman = await importIntoPodman(process.env);
    }
    const images = join(base, 'images');
    if (!charliecloud.skip) {
      providers.push(charliecloudProvider);
      // A directory image in a folder the user added.
      mkdirSync(join(images, 'busybox'), { recursive: true });
      await execa('tar', ['-x', '-C', join(images, 'busybox')], { input: busyboxRootTar() });
    }
    if (!udocker.skip) {
      providers.push(udockerProvider);
      // A private repository; udocker's own tools tarball cannot be downloaded here, Debian's proot stands in.
      writeFileSync(join(base, 'busybox.tar'), busyboxRootTar());
      await execa('udocker', [...(process.getuid?.() === 0 ? ['--allow-root'] : []), 'import', join(base, 'busybox.tar'), inUdocker.reference], {
        env: { ...env, UDOCKER_TARBALL: '', UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot' },
      });
    }

    jobs = startHost();
    void (async () => {
      for await (const event of jobs.host.feed.watch(watching.signal)) events.push(event);
    })();
    if (!charliecloud.skip) await jobs.call('settings.update', { imageFolders: [images] });
    // The test containers first: udocker's modes are offered once detection saw them run.
    const statuses = await jobs.call('engines.list', { waitForProbes: true });
    for (const status of statuses) console.log(`${status.id}: ${status.state}${status.message ? ` (${status.message})` : ''}`);

    everyEngine.push(dockerTarget);
    if (inPodman) everyEngine.push({ engineId: 'podman', image: { imageId: inPodman.id, reference: inPodman.reference } });
    if (!charliecloud.skip) {
      const row = (await jobs.call('images.list', { engineId: 'charliecloud' })).find((candidate) => candidate.location === join(images, 'busybox'));
      expect(row, 'the directory image in the added folder').toBeDefined();
      everyEngine.push({ engineId: 'charliecloud', image: { imageId: row!.id, reference: null } });
    }
    if (!udocker.skip) {
      const row = (await jobs.call('images.list', { engineId: 'udocker' })).find((candidate) => candidate.repoTags.includes(inUdocker.reference));
      expect(row, 'the image imported into the private udocker repository').toBeDefined();
      everyEngine.push({ engineId: 'udocker', executionMode: 'P1', image: { imageId: row!.id, reference: inUdocker.reference } });
    }
  });

  afterAll(async () => {
    watching.abort();
    await jobs?.dispose();
    const leftovers = await client.listContainers({ all: true, filters: { ancestor: [inDocker.id] } }).catch(() => []);
    for (const container of leftovers) await client.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    await inDocker?.cleanup();
    await inPodman?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('runs a busybox echo on every engine, round by round, with the same stdout everywhere', async () => {
    // The echo, then two seconds of sleep: the engines' container stats come about once a second,
    // and a container that ends in milliseconds may be gone before the first figure.
    const spec = { ...dockerTarget, command: ['sh', '-c', 'echo "hello from busybox"; sleep 2'] };
    const started = await jobs.call('compare.run', { spec, targets: everyEngine, repeat: 2 });
    expect(started.state).toBe('running');
    expect(started.results.map((result) => result.attempts.map((attempt) => attempt.state))).toEqual(everyEngine.map(() => ['pending', 'pending']));

    const record = await settled(jobs, started.id);
    finished.push(record);
    console.log(toMarkdown(record));
    expect(record.state).toBe('done');
    const expectedSha = createHash('sha256').update('hello from busybox\n').digest('hex');
    for (const result of record.results) {
      for (const attempt of result.attempts) {
        expect(attempt, `${result.label} round ${attempt.round}`).toMatchObject({ state: 'done', exitCode: 0, stdoutSha256: expectedSha, stdoutBytes: 19, jobId: expect.any(String) });
        expect(attempt.firstOutputMs).not.toBeNull();
        expect(attempt.firstOutputMs!).toBeLessThanOrEqual(attempt.wallMs!);
      }
      expect(result.memoryNote).not.toBe('not measured yet');
    }
    expect(summariseComparison(record).allIdentical).toBe(true);

    // Peak memory: Docker's container stats; the process engines sampled from /proc.
    const byEngine = (engineId: string) => record.results.find((result) => result.target.engineId === engineId);
    const dockerResult = byEngine('docker')!;
    for (const attempt of dockerResult.attempts) expect(attempt.peakMemoryBytes).toBeGreaterThan(0);
    expect(dockerResult.memoryNote).toMatch(/^Docker's container stats/);
    for (const engineId of ['charliecloud', 'udocker']) {
      const result = byEngine(engineId);
      if (!result) continue;
      for (const attempt of result.attempts) expect(attempt.peakMemoryBytes, engineId).toBeGreaterThan(0);
      expect(result.memoryNote).toMatch(/^sampled from \/proc/);
    }
    expect(byEngine('udocker')?.label ?? 'udocker P1').toBe('udocker P1');

    // Each run is an ordinary job, in the job list, and round 0 went over every target before round 1.
    const listed = new Map((await jobs.call('jobs.list', {})).map((job) => [job.id, job]));
    const order = [0, 1].flatMap((round) => record.results.map((result) => listed.get(result.attempts[round]!.jobId!)!));
    expect(order.every(Boolean)).toBe(true);
    expect(order.map((job) => job.createdAt)).toEqual([...order.map((job) => job.createdAt)].sort());
    expect(order.map((job) => job.spec.engineId)).toEqual([...everyEngine, ...everyEngine].map((target) => target.engineId));
    expect(listed.get(byEngine('udocker')?.attempts[0]!.jobId ?? '')?.spec.executionMode ?? 'P1').toBe('P1');

    // The diff view's text, and every state change reached the windows.
    expect(await jobs.call('compare.stdout', { comparisonId: record.id, target: 0, round: 1 })).toEqual({ text: 'hello from busybox\n', truncated: false });
    const states = events.filter((event) => event.type === 'comparison' && event.comparison.id === record.id).map((event) => (event.type === 'comparison' ? event.comparison.state : ''));
    expect(states[0]).toBe('running');
    expect(states.at(-1)).toBe('done');
    expect(states.length).toBeGreaterThan(everyEngine.length * 2);
    expect((await jobs.call('compare.list', {})).map((listedRecord) => listedRecord.id)).toContain(record.id);
  }, 300_000);

  it('fails a target whose image is missing, and one whose engine nobody has, while the others complete', async () => {
    const missingImage = 'f'.repeat(64);
    const record = await settled(
      jobs,
      (
        await jobs.call('compare.run', {
          spec: { ...dockerTarget, command: ['echo', 'still here'] },
          targets: [dockerTarget, { engineId: 'docker', image: { imageId: missingImage, reference: null } }, { engineId: 'no-such-engine', image: dockerTarget.image }],
        })
      ).id,
    );
    finished.push(record);
    expect(record.state).toBe('done');
    const [ok, noImage, noEngine] = record.results;
    expect(ok!.attempts[0]).toMatchObject({ state: 'done', exitCode: 0 });
    // The job manager recorded the attempt as a failed job (it is in the job list, saying why).
    expect(noImage!.attempts[0]).toMatchObject({ state: 'failed', jobId: expect.any(String), message: expect.stringMatching(/Docker has no image ffffffffffff/) });
    // Refused before any job was made.
    expect(noEngine!.attempts[0]).toMatchObject({ state: 'failed', jobId: null, message: 'There is no engine no-such-engine.' });
    expect(noEngine!.label).toBe('no-such-engine');
    const summary = summariseComparison(record);
    expect(summary.targets.map((target) => target.problem)).toEqual([null, expect.stringMatching(/has no image/), 'There is no engine no-such-engine.']);
    await apiErrorOf(jobs.call('compare.stdout', { comparisonId: record.id, target: 2, round: 0 })).then((error) => {
      expect(error.kind).toBe('not-found');
      expect(error.message).toMatch(/ran no job/);
    });
    await apiErrorOf(jobs.call('compare.stdout', { comparisonId: record.id, target: 5, round: 0 })).then((error) => expect(error.kind).toBe('not-found'));
    await apiErrorOf(jobs.call('compare.stdout', { comparisonId: record.id, target: 0, round: 3 })).then((error) => expect(error.kind).toBe('not-found'));
    await apiErrorOf(jobs.call('compare.get', { comparisonId: 'c-nosuchcomparison' })).then((error) => expect(error.kind).toBe('not-found'));
  }, 300_000);

  it('passes hostile text in the command to every engine literally, never through a shell', async () => {
    const marker = join(tmpdir(), `crossdock-pwned-${randomBytes(6).toString('hex')}`);
    const words = [`$(touch ${marker})`, `; rm -rf / ; touch ${marker}`, `\`touch ${marker}\``, '&&', 'touch', marker, '| cat /etc/passwd', "'quoted' \"double\""];
    const record = await settled(jobs, (await jobs.call('compare.run', { spec: { ...dockerTarget, command: ['echo', ...words] }, targets: everyEngine })).id);
    expect(record.state).toBe('done');
    for (const [index, result] of record.results.entries()) {
      expect(result.attempts[0], result.label).toMatchObject({ state: 'done', exitCode: 0 });
      expect((await jobs.call('compare.stdout', { comparisonId: record.id, target: index, round: 0 })).text, result.label).toBe(`${words.join(' ')}\n`);
    }
    expect(existsSync(marker)).toBe(false);
    expect(summariseComparison(record).allIdentical).toBe(true);
  }, 300_000);

  it('refuses a terminal, a duplicate target and a second comparison while one runs', async () => {
    const before = (await jobs.call('compare.list', {})).length;
    const tty = await apiErrorOf(jobs.call('compare.run', { spec: { ...dockerTarget, tty: true }, targets: [dockerTarget] }));
    expect(tty.kind).toBe('invalid-request');
    expect(tty.message).toMatch(/a comparison runs without a terminal/);
    const twice = await apiErrorOf(jobs.call('compare.run', { spec: dockerTarget, targets: [dockerTarget, dockerTarget] }));
    expect(twice.kind).toBe('invalid-request');
    expect((await jobs.call('compare.list', {})).length).toBe(before);
  });

  it('cancels: the running job is killed, nothing after it starts, no container is left', async () => {
    const targets = everyEngine.length > 1 ? [dockerTarget, everyEngine[1]!] : [dockerTarget];
    const started = await jobs.call('compare.run', { spec: { ...dockerTarget, command: ['sh', '-c', 'echo started; sleep 30'] }, targets, repeat: 2 });
    // Wait for the first job to print: it runs now.
    let jobId: string | null = null;
    for (let tries = 0; jobId === null; tries += 1) {
      if (tries > 600) throw new Error('the first job of the comparison never got an id');
      jobId = (await jobs.call('compare.get', { comparisonId: started.id })).results[0]!.attempts[0]!.jobId;
      if (jobId === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await jobs.output(jobId, (text) => text.stdout.includes('started'));

    // While it runs: not deleted, and no second comparison beside it.
    const removal = await apiErrorOf(jobs.call('compare.remove', { comparisonId: started.id }));
    expect(removal).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/still running: cancel it first/) });
    const second = await apiErrorOf(jobs.call('compare.run', { spec: dockerTarget, targets: [dockerTarget] }));
    expect(second).toMatchObject({ kind: 'conflict', message: expect.stringContaining(started.id) });

    const cancelled = await jobs.call('compare.cancel', { comparisonId: started.id });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.endedAt).not.toBeNull();
    const attempts = cancelled.results.flatMap((result) => result.attempts);
    expect(attempts.map((attempt) => attempt.state)).toEqual(attempts.map(() => 'cancelled'));
    expect(cancelled.results[0]!.attempts[0]).toMatchObject({ jobId, message: expect.stringMatching(/Cancelled while it ran/) });
    expect(attempts.slice(1).every((attempt) => attempt.jobId === null && /Cancelled before it ran/.test(attempt.message ?? ''))).toBe(true);

    const job = await jobs.waitForState(jobId, ['killed', 'exited', 'failed']);
    expect(job.state).toBe('killed');
    const running = await client.listContainers({ filters: { ancestor: [inDocker.id] } });
    expect(running.map((container) => container.Command)).toEqual([]);
    if (job.handle.containerId) {
      const gone = await client.getContainer(job.handle.containerId).inspect().then((info) => info.State.Running, () => false);
      expect(gone).toBe(false);
    }
    // Nothing started after the cancel, even a moment later.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await jobs.call('compare.get', { comparisonId: started.id })).results.flatMap((result) => result.attempts).filter((attempt) => attempt.jobId !== null)).toHaveLength(1);
    await apiErrorOf(jobs.call('compare.cancel', { comparisonId: started.id })).then((error) => expect(error.kind).toBe('conflict'));

    // Deleting the comparison keeps its job.
    await jobs.call('compare.remove', { comparisonId: started.id });
    await apiErrorOf(jobs.call('compare.get', { comparisonId: started.id })).then((error) => expect(error.kind).toBe('not-found'));
    expect(events.some((event) => event.type === 'comparison-removed' && event.comparisonId === started.id)).toBe(true);
    expect((await jobs.call('jobs.get', { jobId })).state).toBe('killed');
  }, 300_000);

  it('serves the results as CSV and Markdown over HTTP and app://, matching the export rows', async () => {
    expect(finished.length).toBeGreaterThan(0);
    const staticDir = join(base, 'renderer');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Crossdock</title>');
    const token = randomBytes(16).toString('hex');
    const web: WebHost = await startWebHost({ host: jobs.host, staticDir, token });
    const appProtocol = createAppProtocolHandler(staticDir, jobs.host.download);
    try {
      const get = (path: string) => fetch(`http://127.0.0.1:${web.port}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      for (const record of finished) {
        const csv = await get(`/api/comparisons/${record.id}/results.csv?download`);
        expect(csv.status).toBe(200);
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="comparison-${record.id}.csv"`);
        const csvText = await csv.text();
        expect(parseCsv(csvText)).toEqual([[...EXPORT_COLUMNS], ...exportRows(record)]);
        expect(csvText).toBe(toCsv(record));

        const md = await get(`/api/comparisons/${record.id}/results.md`);
        expect(md.status).toBe(200);
        expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
        const mdText = await md.text();
        expect(mdText).toBe(toMarkdown(record));
        const tableRows = mdText.split('\n').filter((line) => line.startsWith('| ')).slice(2);
        expect(tableRows).toHaveLength(exportRows(record).length);
        expect(tableRows[0]).toContain(exportRows(record)[0]![0]!);

        // The Electron window's app:// scheme routes the same paths to the same files.
        const viaApp = await appProtocol(new Request(`app://crossdock/api/comparisons/${record.id}/results.csv`));
        expect(viaApp.status).toBe(200);
        expect(viaApp.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(await viaApp.text()).toBe(csvText);
      }
      // A bad or unknown id is a 404, never a crash.
      for (const path of ['/api/comparisons/c-nosuchcomparison/results.csv', '/api/comparisons/not-an-id/results.md', '/api/comparisons/..%2F..%2Fetc/results.csv', `/api/comparisons/${finished[0]!.id}/results.xlsx`]) {
        expect((await get(path)).status, path).toBe(404);
        expect((await appProtocol(new Request(`app://crossdock${path}`))).status, path).toBe(404);
      }
      // Still served afterwards.
      expect((await get(`/api/comparisons/${finished[0]!.id}/results.md`)).status).toBe(200);
    } finally {
      await web.close();
    }
  });

  it('finds a comparison that was running when Crossdock quit interrupted at the next start', async () => {
    const started = await jobs.call('compare.run', { spec: { ...dockerTarget, command: ['sh', '-c', 'echo started; sleep 30'] }, targets: [dockerTarget], repeat: 2 });
    let jobId: string | null = null;
    while (jobId === null) {
      jobId = (await jobs.call('compare.get', { comparisonId: started.id })).results[0]!.attempts[0]!.jobId;
      if (jobId === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await jobs.output(jobId, (text) => text.stdout.includes('started'));
    await jobs.dispose();
    // The comparison's job was not left to the daemon: it measured nothing worth re-attaching.
    expect(await client.listContainers({ filters: { ancestor: [inDocker.id] } })).toEqual([]);

    jobs = startHost();
    const after = await jobs.call('compare.get', { comparisonId: started.id });
    expect(after.state).toBe('interrupted');
    expect(after.results[0]!.attempts).toEqual([
      expect.objectContaining({ state: 'cancelled', jobId, message: expect.stringMatching(/Crossdock stopped/) }),
      expect.objectContaining({ state: 'cancelled', jobId: null, message: expect.stringMatching(/Crossdock stopped/) }),
    ]);
    expect((await jobs.call('jobs.get', { jobId })).state).not.toBe('running');
    // Finished comparisons survive the restart as they were.
    for (const record of finished) expect(await jobs.call('compare.get', { comparisonId: record.id })).toEqual(record);
  }, 300_000);
});

// udocker's JobRunner against the real udocker, on a private repository folder (as udocker.test.ts):
// detection probes every execution mode, a busybox image is imported, and jobs run through the
// engine's runner as the job manager would start them: exit codes, output streams, environment,
// binds, working folder, an interactive terminal, stop and kill (nothing left running), every mode
// detection found ready, and the job's container removed afterwards.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSpecSchema, type ExecutionMode, type RunSpecInput } from '../../shared/run';
import { specProblems } from '../../electron/jobs/spec-check';
import type { ImageSummary } from '../../shared/model';
import type { JobExit, RunningJob } from '../../electron/jobs/runner';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { runUdocker, type UdockerCli } from '../../electron/engines/udocker/cli';
import { UdockerEngine } from '../../electron/engines/udocker/engine';
import { udockerEnvironment } from '../../electron/engines/udocker/environment';
import { discoverUdocker } from '../../electron/engines/udocker/provider';
import { busyboxRootTar, randomTestReference } from '../fixtures/busybox-image';
import { privateUdockerEnv, requireUdocker } from '../helpers/udocker';
import { waitFor } from '../helpers/waiting';

const udocker = await requireUdocker();
const uid = process.getuid?.() ?? 0;
const SIZE = { cols: 100, rows: 30 };

interface Collected {
  stdout: string;
  stderr: string;
  tty: string;
}

/** Pulls a job's output as the job manager does; `text()` reads what arrived so far. */
function collect(job: RunningJob): { done: Promise<Collected>; text: () => Collected } {
  const seen: Collected = { stdout: '', stderr: '', tty: '' };
  const done = (async () => {
    for await (const chunk of job.output) seen[chunk.stream] += chunk.data.toString('utf8');
    return seen;
  })();
  return { done, text: () => seen };
}

/** Processes whose command line holds `pattern` (pgrep -f), other than pgrep itself. */
async function processesMatching(pattern: string): Promise<string[]> {
  const found = await execa('pgrep', ['-af', pattern], { reject: false });
  return String(found.stdout ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('pgrep'));
}

describe.skipIf(udocker.skip)('udocker runner (real)', () => {
  let folder: string;
  let engine: UdockerEngine;
  let cli: UdockerCli;
  let image: ImageSummary;
  let reference: string;
  let modes: ExecutionMode[] = [];
  /** Whether udocker has a runc to run R1 with (R1's probe is flaky here, see below). */
  let runcHere = false;
  const logs: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'crossdock-udocker-run-'));
    const env = privateUdockerEnv(join(folder, 'udocker'));
    const [found] = await discoverUdocker({ env, runtimeDir: join(folder, 'run'), log: (line) => logs.push(line) }, uid);
    engine = found as UdockerEngine;
    const detection = await engine.detect(AbortSignal.timeout(170_000), { probe: true });
    console.log(`udocker probe: ${detection.probe.message}`);
    expect(detection.state, detection.message ?? '').toBe('ready');
    cli = { binaryPath: (await findOnPath('udocker', env))!, env: (await udockerEnvironment(env)).env, asRoot: uid === 0 };
    reference = randomTestReference().reference;
    const tar = join(folder, 'busybox.tar');
    await writeFile(tar, busyboxRootTar());
    const imported = await runUdocker(cli, ['import', tar, reference], { timeoutMs: 60_000 });
    expect(imported.exitCode, imported.stderr).toBe(0);
    image = (await engine.listImages()).find((row) => row.repoTags.includes(reference))!;
    expect(image).toBeDefined();
    modes = engine.runner!.capabilities().modes;
    runcHere = !!cli.env.UDOCKER_USE_RUNC_EXECUTABLE || (await findOnPath('runc', env)) !== null;
  });

  /**
   * The R1 tests of the runner's own work (the terminal it gives runc, the container processes it
   * kills) run wherever runc is: R1's probe, run without a terminal, now and then ends with exit 1
   * and no output on this machine, which would skip them at random.
   */
  const r1Skip = (): string | null => (runcHere ? null : 'no runc for udocker here');

  afterAll(async () => {
    await engine?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const specOf = (fields: Partial<RunSpecInput>) => RunSpecSchema.parse({ engineId: 'udocker', image: { imageId: image.id, reference }, ...fields });

  async function start(fields: Partial<RunSpecInput>): Promise<RunningJob> {
    return engine.runner!.start({ spec: specOf(fields), image, size: SIZE }, AbortSignal.timeout(60_000));
  }

  /** Runs to the end; disposes (removing the container) before returning. */
  async function run(fields: Partial<RunSpecInput>): Promise<{ exit: JobExit; output: Collected; containerId: string | null }> {
    const job = await start(fields);
    const { done } = collect(job);
    const [exit, output] = await Promise.all([job.exit, done]);
    await job.dispose();
    return { exit, output, containerId: job.handle.containerId };
  }

  async function containerExists(id: string): Promise<boolean> {
    const listed = await runUdocker(cli, ['ps'], { timeoutMs: 30_000 });
    return listed.stdout.includes(id);
  }

  it('advertises udocker\'s modes from detection: P1 ready', () => {
    console.log(`ready modes: ${modes.filter((mode) => mode.ready).map((mode) => mode.id).join(',')}`);
    expect(modes.find((mode) => mode.id === 'P1')?.ready).toBe(true);
    expect(engine.runner!.capabilities().networks).not.toContain('none');
  });

  it('exits 0 with the program\'s output, and removes the container afterwards', async () => {
    const result = await run({ command: ['/bin/sh', '-c', 'echo hello from udocker'] });
    expect(result.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
    expect(result.output.stdout).toBe('hello from udocker\n');
    expect(result.output.stderr).toBe('');
    expect(result.containerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await containerExists(result.containerId!)).toBe(false);
  });

  it('passes exit 1 on, and 127 for a program not found (in a shell, and udocker\'s own refusal)', async () => {
    expect((await run({ command: ['/bin/sh', '-c', 'exit 1'] })).exit).toMatchObject({ outcome: 'exited', exitCode: 1 });
    const inShell = await run({ command: ['/bin/sh', '-c', 'nonexistent-program'] });
    expect(inShell.exit).toMatchObject({ outcome: 'exited', exitCode: 127 });
    expect(inShell.output.stderr).toMatch(/not found/);
    const direct = await run({ command: ['/nonexistent-program'] });
    expect(direct.exit).toMatchObject({ outcome: 'exited', exitCode: 127, message: expect.stringMatching(/command not found/) });
  });

  it('keeps stdout and stderr apart, and sets the environment', async () => {
    const result = await run({
      command: ['/bin/sh', '-c', 'echo "out $GREETING"; echo "err $GREETING" >&2; echo "[$EMPTY]"'],
      env: [{ name: 'GREETING', value: 'hi there=1' }, { name: 'EMPTY', value: '' }],
    });
    expect(result.exit.exitCode).toBe(0);
    expect(result.output.stdout).toBe('out hi there=1\n[]\n');
    expect(result.output.stderr).toBe('err hi there=1\n');
  });

  it('binds a host folder (reads a file, writes one back) and starts in the working folder', async () => {
    const shared = await mkdtemp(join(folder, 'bind-'));
    await writeFile(join(shared, 'in.txt'), 'from the host\n');
    const result = await run({
      command: ['/bin/sh', '-c', 'pwd; cat in.txt; echo from the container > out.txt'],
      binds: [{ hostPath: shared, containerPath: '/data' }],
      workdir: '/data',
    });
    expect(result.exit.exitCode, result.output.stderr).toBe(0);
    expect(result.output.stdout).toBe('/data\nfrom the host\n');
    expect(await readFile(join(shared, 'out.txt'), 'utf8')).toBe('from the container\n');
  });

  it('fails with udocker\'s words when it refuses (a bind source that is missing)', async () => {
    const result = await run({ command: ['/bin/true'], binds: [{ hostPath: '/nonexistent-crossdock', containerPath: '/x' }] });
    expect(result.exit).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/invalid host volume path: \/nonexistent-crossdock/) });
    expect(await containerExists(result.containerId!)).toBe(false);
  });

  it('throws before running an image it does not have, leaving no container', async () => {
    const spec = RunSpecSchema.parse({ engineId: 'udocker', image: { imageId: image.id, reference: 'crossdock-test/nothing:here' } });
    const error = await engine.runner!.start({ spec, image, size: SIZE }, AbortSignal.timeout(60_000)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'not-found', message: expect.stringMatching(/udocker create/) });
    const listed = await runUdocker(cli, ['ps'], { timeoutMs: 30_000 });
    expect(listed.stdout).not.toMatch(/crossdock-job-/);
  });

  it('keeps the container when remove is false', async () => {
    const result = await run({ command: ['/bin/true'], remove: false });
    expect(result.exit.exitCode).toBe(0);
    expect(await containerExists(result.containerId!)).toBe(true);
    expect((await runUdocker(cli, ['rm', '-f', result.containerId!])).exitCode).toBe(0);
  });

  it('runs an interactive shell in a terminal: a command, its answer, Ctrl-C, exit', async () => {
    const job = await start({ command: ['/bin/sh'], tty: true });
    const output = collect(job);
    expect(job.write).toBeDefined();
    job.resize?.({ cols: 120, rows: 40 });
    job.write!('echo answer-$((6*7))\r');
    await waitFor(() => output.text().tty.includes('answer-42'), 30_000, 'the shell\'s answer');
    job.write!('sleep 600\r');
    await pollUntil(async () => (await processesMatching('sleep 600')).length > 0, 30_000, 'sleep to start');
    job.write!('\x03');
    job.write!('echo after-$((1+1))\r');
    await waitFor(() => output.text().tty.includes('after-2'), 30_000, 'the shell after Ctrl-C');
    job.write!('exit 5\r');
    expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 5 });
    await output.done;
    expect(output.text().stdout + output.text().stderr).toBe('');
    await job.dispose();
  });

  for (const mode of ['P1', 'F1', 'R1']) {
    for (const how of ['stop', 'kill'] as const) {
      it(`${mode}: ${how}s a job and leaves no process of it`, async (context) => {
        const skip = mode === 'R1' ? r1Skip() : modes.find((candidate) => candidate.id === mode)?.ready ? null : `udocker's ${mode} is not ready here`;
        if (skip) {
          context.skip(skip);
          return;
        }
        // A background sleep beside a foreground one: the whole tree must go, not only udocker.
        const marker = `${how === 'stop' ? 41 : 42}${Math.floor(Math.random() * 9000 + 1000)}`;
        const job = await start({ command: ['/bin/sh', '-c', `sleep ${marker} & sleep ${marker}; wait`], executionMode: mode });
        const output = collect(job);
        await pollUntil(async () => (await processesMatching(`sleep ${marker}`)).length >= 2, 30_000, 'both sleeps to start');
        if (how === 'stop') await job.stop(3_000);
        else await job.kill();
        const exit = await job.exit;
        console.log(`udocker ${mode} ${how}: ${JSON.stringify(exit)}`);
        expect(exit.outcome).toBe('exited');
        await output.done;
        await job.dispose();
        await pollUntil(async () => (await processesMatching(`sleep ${marker}`)).length === 0, 10_000, 'no sleep left');
        expect(await processesMatching(job.handle.containerId!)).toEqual([]);
        expect(await containerExists(job.handle.containerId!)).toBe(false);
      });
    }
  }

  it('R1 without a terminal asked for: one terminal stream, no controls, stdin at end-of-file', async (context) => {
    const skip = r1Skip();
    if (skip) {
      context.skip(skip);
      return;
    }
    const job = await start({ command: ['/bin/sh', '-c', 'cat; echo cat-ended; exit 4'], executionMode: 'R1' });
    expect(job.write).toBeUndefined();
    const output = collect(job);
    expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 4 });
    expect((await output.done).tty).toContain('cat-ended');
    await job.dispose();
  });

  describe('in every execution mode detection found ready', () => {
    for (const mode of ['P1', 'P2', 'F1', 'F2', 'F3', 'F4', 'R1', 'R2', 'R3', 'S1']) {
      it(`${mode}: exit 0 and its output, exit 3, exit 127 (or, where detection found it broken, refused with the reason)`, async () => {
        const found = modes.find((candidate) => candidate.id === mode);
        expect(found, `detection lists ${mode}`).toBeDefined();
        if (!found?.ready) {
          // Not a skip: a mode whose test container failed here must be refused, not tried.
          console.log(`udocker ${mode} is not ready here (its test container did not return 37); checking that a run in it is refused`);
          expect(specProblems(specOf({ command: ['true'], executionMode: mode }), engine.runner!.capabilities())).toEqual([
            `Execution mode ${mode}: its test container did not run on this machine`,
          ]);
          return;
        }
        const started = Date.now();
        const ok = await run({ command: ['/bin/sh', '-c', `echo hello from ${mode}`], executionMode: mode });
        console.log(`udocker ${mode}: exit 0 job in ${Date.now() - started} ms`);
        expect(ok.exit, JSON.stringify(ok.output)).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
        // The runc modes run in a terminal: one stream, lines ending \r\n.
        expect((ok.output.stdout + ok.output.tty).replace(/\r/g, '')).toContain(`hello from ${mode}\n`);
        expect((await run({ command: ['/bin/sh', '-c', 'exit 3'], executionMode: mode })).exit.exitCode).toBe(3);
        expect((await run({ command: ['/bin/sh', '-c', 'nonexistent-program'], executionMode: mode })).exit.exitCode).toBe(127);
        expect((await run({ command: ['/nonexistent-program'], executionMode: mode })).exit.exitCode).toBe(127);
      });
    }
  });
});

/** waitFor with an asynchronous check. */
async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

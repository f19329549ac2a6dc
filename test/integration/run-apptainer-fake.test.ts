// Apptainer's runner through test/fakes/apptainer-fake/apptainer, which replays Apptainer's
// documented exec/run behaviour and runs the program for real through Charliecloud's ch-run (so
// exit codes, output, binds and terminals are real). A busybox sandbox folder is the image.
// What the fake cannot show: read-only binds (ch-run 0.31 has none), --nv, --network none.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/model';
import { RunSpecSchema, type RunSpecInput } from '../../shared/run';
import type { Engine } from '../../electron/engines/engine';
import { discoverApptainer } from '../../electron/engines/apptainer/provider';
import type { JobRunner, RunTarget } from '../../electron/jobs/runner';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireSifTools } from '../fixtures/sif-files';
import { finish, follow, interrupt, waitForSessionGroups } from '../helpers/run-jobs';
import { apiErrorOf } from '../helpers/waiting';

const FAKE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fakes/apptainer-fake');
// The fake runs containers through ch-run.
const tools = await requireSifTools(['ch-run', 'tar']);
const SIZE = { cols: 80, rows: 24 };
const never = new AbortController().signal;

describe.skipIf(tools.skip)('Apptainer runs (through the fake, ch-run underneath)', () => {
  let dir: string;
  let sandbox: string;
  let hostDir: string;
  let engine: Engine;
  let runner: JobRunner;
  let image: ImageSummary;
  let fakeLog: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cd-apptainer-run-'));
    const images = join(dir, 'images');
    sandbox = join(images, 'busybox');
    await mkdir(sandbox, { recursive: true });
    await execa('tar', ['-x', '-C', sandbox], { input: busyboxRootTar() });
    await mkdir(join(sandbox, '.singularity.d'));
    await mkdir(join(sandbox, 'mnt'));
    hostDir = join(dir, 'host');
    await mkdir(hostDir);
    await writeFile(join(hostDir, 'in.txt'), 'from the host\n');
    fakeLog = join(dir, 'fake.log');
    const env = { ...process.env, PATH: `${FAKE_DIR}:${process.env.PATH}`, USER: process.env.USER ?? 'root', APPTAINER_CACHEDIR: join(dir, 'cache'), APPTAINER_FAKE_LOG: fakeLog, HOSTONLY: 'leak' };
    const [found] = await discoverApptainer({ env, runtimeDir: join(dir, 'runtime'), log: () => undefined, imageFolders: async () => [images] }, 1000);
    engine = found!;
    runner = engine.runner!;
    image = (await engine.listImages(never)).find((row) => row.location === sandbox)!;
    expect(image).toBeDefined();
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const target = (spec: Omit<RunSpecInput, 'engineId' | 'image'>): RunTarget => ({
    spec: RunSpecSchema.parse({ engineId: 'apptainer', image: { imageId: image.id }, ...spec }),
    image,
    size: SIZE,
  });
  const run = async (spec: Omit<RunSpecInput, 'engineId' | 'image'>) => finish(await runner.start(target(spec), never));

  it('says what it can do (as an ordinary user) and shows the exact command line', () => {
    expect(runner.capabilities()).toMatchObject({
      networks: ['default', 'host'],
      gpu: { supported: true },
      user: { supported: false },
      readOnlyBinds: { supported: true },
      exec: { supported: false },
      reattach: false,
    });
    const binary = join(FAKE_DIR, 'apptainer');
    expect(runner.commandLine(target({ command: ['sh', '-c', 'echo hi'], binds: [{ hostPath: hostDir, containerPath: '/mnt', readOnly: true }], workdir: '/tmp', gpu: true, env: [{ name: 'A', value: 'plain' }] })).argv).toEqual([
      binary, 'exec', '--containall', '--bind', `${hostDir}:/mnt:ro`, '--pwd', '/tmp', '--env', 'A=plain', '--nv', sandbox, 'sh', '-c', 'echo hi',
    ]);
    expect(runner.commandLine(target({ command: [], env: [{ name: 'B', value: 'x=y,z' }] })).argv).toEqual(['env', 'APPTAINERENV_B=x=y,z', binary, 'run', '--containall', sandbox]);
  });

  it('runs to exit 0 with stdout and stderr apart, and reports 1 and 127', async () => {
    const ok = await run({ command: ['sh', '-c', 'echo to-out; echo to-err >&2'] });
    expect(ok.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
    expect(ok.stdout).toBe('to-out\n');
    expect(ok.stderr).toBe('to-err\n');
    expect((await run({ command: ['sh', '-c', 'exit 1'] })).exit).toEqual({ outcome: 'exited', exitCode: 1, signal: null, message: null });
    expect((await run({ command: ['sh', '-c', 'nosuch-program'] })).exit).toEqual({ outcome: 'exited', exitCode: 127, signal: null, message: null });
    // Apptainer's FATAL for a program not in the image (exit 255) is reported as 127.
    const missing = await run({ command: ['nosuch-program'] });
    expect(missing.stderr).toContain('executable file not found in $PATH');
    expect(missing.exit).toMatchObject({ outcome: 'exited', exitCode: 127 });
  });

  it('runs the image\'s runscript when no command is given (here: none, so /bin/sh)', async () => {
    const result = await run({ command: [] });
    expect(result.stderr).toContain('No runscript found');
    expect(result.exit).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(await readFile(fakeLog, 'utf8')).toContain(`run --containall ${sandbox}`);
  });

  it('sets environment variables exactly, plain ones with --env and others through APPTAINERENV_', async () => {
    const values = { PLAIN: 'a b $HOME', COMMA: 'x=y,z', QUOTES: '"dq" and \'sq\'', EMPTY: '' };
    const result = await run({
      command: ['sh', '-c', 'for v in PLAIN COMMA QUOTES EMPTY; do eval "printf \'%s=[%s]\\n\' $v \\"\\$$v\\""; done; echo "host:[$HOSTONLY]"'],
      env: Object.entries(values).map(([name, value]) => ({ name, value })),
    });
    expect(result.exit.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([...Object.entries(values).map(([name, value]) => `${name}=[${value}]`), 'host:[]']);
  });

  it('binds a host folder (read a host file, write one back) and starts in the working directory', async () => {
    const result = await run({
      command: ['sh', '-c', 'cat /mnt/in.txt; pwd; echo from the container > /mnt/out.txt'],
      binds: [{ hostPath: hostDir, containerPath: '/mnt' }],
      workdir: '/tmp',
    });
    expect(result.exit.exitCode).toBe(0);
    expect(result.stdout).toBe('from the host\n/tmp\n');
    expect(await readFile(join(hostDir, 'out.txt'), 'utf8')).toBe('from the container\n');
  });

  it('refuses a user, and reports Apptainer\'s fatal errors as failed', async () => {
    const error = await apiErrorOf(runner.start(target({ command: ['true'], user: '1000' }), never));
    expect(error.kind).toBe('invalid-request');
    expect(error.message).toMatch(/runs the container as you/);
    const sif = { ...image, location: join(dir, 'missing.sif') };
    const result = await finish(await runner.start({ ...target({ command: ['true'] }), image: sif }, never));
    expect(result.exit).toMatchObject({ outcome: 'failed', exitCode: 255, message: expect.stringMatching(/^apptainer: could not open image/) });
  });

  it('runs an interactive shell in a terminal: a typed command, Ctrl-C, exit', async () => {
    const job = await runner.start(target({ command: ['sh', '-i'], tty: true, env: [{ name: 'PS1', value: 'ap$ ' }] }), never);
    const terminal = follow(job);
    let mark = terminal.mark();
    job.write!('echo hi-$((6*7))\r');
    await terminal.waitFor(/hi-42/, mark);
    mark = terminal.mark();
    job.write!('sleep 30; echo not-interrupted\r');
    await waitForSessionGroups(job.handle.pid!, 2);
    await interrupt(job, () => /\nap\$ /.test(terminal.text.slice(mark)));
    job.write!('echo back-$((2+3))\r');
    await terminal.waitFor(/back-5/, mark);
    expect(terminal.text.slice(mark)).not.toMatch(/(^|\n)not-interrupted\r?\n/);
    job.write!('exit 3\r');
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 3, signal: null, message: null });
    await terminal.done;
    await job.dispose();
  });

  it('stops a job with SIGTERM, and kills one that ignores it', async () => {
    const stopped = await runner.start(target({ command: ['sh', '-c', 'echo ready; sleep 30'] }), never);
    const stoppedOutput = follow(stopped);
    await stoppedOutput.waitFor(/ready/);
    await stopped.stop(30_000);
    expect(await stopped.exit).toEqual({ outcome: 'exited', exitCode: 143, signal: 'SIGTERM', message: null });

    const stubborn = await runner.start(target({ command: ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'] }), never);
    const stubbornOutput = follow(stubborn);
    await stubbornOutput.waitFor(/ready/);
    await stubborn.stop(200);
    expect(await stubborn.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });

    const killed = await runner.start(target({ command: ['sh', '-c', 'echo ready; sleep 30'] }), never);
    const killedOutput = follow(killed);
    await killedOutput.waitFor(/ready/);
    await killed.kill();
    expect(await killed.exit).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    await Promise.all([stoppedOutput.done, stubbornOutput.done, killedOutput.done]);
  });
});

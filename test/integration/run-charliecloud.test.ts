// Charliecloud's runner against the real ch-run: a busybox directory image from an added folder,
// run with exit codes 0/1/127, separate stdout and stderr, environment, binds both ways, working
// directory, a numeric user, an interactive terminal, stop and kill, and ch-run's own refusals.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/model';
import { RunSpecSchema, type RunSpecInput } from '../../shared/run';
import { CharliecloudEngine } from '../../electron/engines/charliecloud/engine';
import { charliecloudProvider } from '../../electron/engines/charliecloud/provider';
import type { RunTarget } from '../../electron/jobs/runner';
import { busyboxRootTar } from '../fixtures/busybox-image';
import { requireCharliecloud } from '../helpers/charliecloud';
import { finish, follow, interrupt, waitForSessionGroups } from '../helpers/run-jobs';
import { apiErrorOf } from '../helpers/waiting';

const charliecloud = await requireCharliecloud();
const SIZE = { cols: 80, rows: 24 };
const never = new AbortController().signal;

describe.skipIf(charliecloud.skip)('Charliecloud runs (real ch-run)', () => {
  let base: string;
  let busybox: string;
  let hostDir: string;
  let engine: CharliecloudEngine;
  let image: ImageSummary;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'crossdock-chrun-'));
    chmodSync(base, 0o755);
    const imagesFolder = join(base, 'images');
    busybox = join(imagesFolder, 'busybox');
    mkdirSync(busybox, { recursive: true });
    await execa('tar', ['-x', '-C', busybox], { input: busyboxRootTar() });
    mkdirSync(join(busybox, 'mnt'));
    hostDir = join(base, 'host');
    mkdirSync(hostDir);
    writeFileSync(join(hostDir, 'in.txt'), 'from the host\n');
    const [discovered] = await charliecloudProvider.discover({
      env: { ...process.env, CH_IMAGE_STORAGE: join(base, 'storage') },
      runtimeDir: join(base, 'runtime'),
      log: () => undefined,
      imageFolders: async () => [imagesFolder],
    });
    engine = discovered as CharliecloudEngine;
    const rows = await engine.listImages(never);
    image = rows.find((row) => row.location === busybox)!;
    expect(image).toBeDefined();
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const target = (spec: Omit<RunSpecInput, 'engineId' | 'image'>): RunTarget => ({
    spec: RunSpecSchema.parse({ engineId: 'charliecloud', image: { imageId: image.id }, ...spec }),
    image,
    size: SIZE,
  });
  const run = async (spec: Omit<RunSpecInput, 'engineId' | 'image'>) => finish(await engine.runner.start(target(spec), never));

  it('says what it can do and shows the exact ch-run command line', () => {
    const capabilities = engine.runner.capabilities();
    expect(capabilities).toMatchObject({ tty: { supported: true }, networks: ['default', 'host'], gpu: { supported: false }, exec: { supported: false }, reattach: false, modes: [] });
    const line = engine.runner.commandLine(
      target({ command: ['/bin/sh', '-c', 'echo hi'], binds: [{ hostPath: hostDir, containerPath: '/mnt' }], workdir: '/tmp', user: '1000:1000', env: [{ name: 'A', value: '$x' }] }),
    );
    expect(line).toEqual({
      argv: ['ch-run', '-b', `${hostDir}:/mnt`, '-c', '/tmp', '-u', '1000', '-g', '1000', '--env-no-expand', '--set-env=A=$x', busybox, '--', '/bin/sh', '-c', 'echo hi'],
      isEquivalent: false,
    });
  });

  it('runs to exit 0 with stdout and stderr apart, and reports exit 1', async () => {
    const ok = await run({ command: ['/bin/sh', '-c', 'echo to-out; echo to-err >&2'] });
    expect(ok.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
    expect(ok.stdout).toBe('to-out\n');
    expect(ok.stderr).toBe('to-err\n');
    const one = await run({ command: ['/bin/sh', '-c', 'exit 1'] });
    expect(one.exit).toEqual({ outcome: 'exited', exitCode: 1, signal: null, message: null });
  });

  it('reports a program missing from the image as 127, whether ch-run or the shell looked for it', async () => {
    const direct = await run({ command: ['nosuch-program'] });
    expect(direct.stderr).toMatch(/can't execve\(2\): nosuch-program: No such file or directory/);
    expect(direct.exit).toMatchObject({ outcome: 'exited', exitCode: 127, signal: null });
    const viaShell = await run({ command: ['/bin/sh', '-c', 'nosuch-program'] });
    expect(viaShell.exit).toEqual({ outcome: 'exited', exitCode: 127, signal: null, message: null });
  });

  it('sets environment variables exactly as typed', async () => {
    const values = { PLAIN: 'a b', DOLLAR: '$HOME and ${PATH}', QUOTED: "'quoted'", MIXED: 'x=y,z "q"', EMPTY: '' };
    const result = await run({
      command: ['/bin/sh', '-c', 'for v in PLAIN DOLLAR QUOTED MIXED EMPTY; do eval "printf \'%s=[%s]\\n\' $v \\"\\$$v\\""; done'],
      env: Object.entries(values).map(([name, value]) => ({ name, value })),
    });
    expect(result.exit.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(Object.entries(values).map(([name, value]) => `${name}=[${value}]`));
  });

  it('binds a host folder (read a host file, write one back) and starts in the working directory', async () => {
    const result = await run({
      command: ['/bin/sh', '-c', 'cat /mnt/in.txt; pwd; echo from the container > /mnt/out.txt'],
      binds: [{ hostPath: hostDir, containerPath: '/mnt' }],
      workdir: '/tmp',
    });
    expect(result.exit.exitCode).toBe(0);
    expect(result.stdout).toBe('from the host\n/tmp\n');
    expect(readFileSync(join(hostDir, 'out.txt'), 'utf8')).toBe('from the container\n');
  });

  it('runs as a numeric user', async () => {
    const result = await run({ command: ['/bin/sh', '-c', 'id -u; id -g'], user: '1234:4321' });
    expect(result.stdout).toBe('1234\n4321\n');
  });

  it('refuses what ch-run cannot do before anything runs', async () => {
    const cases: [Omit<RunSpecInput, 'engineId' | 'image'>, RegExp][] = [
      [{ command: [] }, /no default command/],
      [{ command: ['/bin/true'], network: 'none' }, /host's network/],
      [{ command: ['/bin/true'], gpu: true }, /ch-fromhost/],
      [{ command: ['/bin/true'], user: 'nobody' }, /numeric uid/],
      [{ command: ['/bin/true'], binds: [{ hostPath: hostDir, containerPath: '/mnt', readOnly: true }] }, /read-write/],
      [{ command: ['/bin/true'], binds: [{ hostPath: hostDir, containerPath: '/no/such/place' }] }, /\/no\/such\/place is not in/],
    ];
    for (const [spec, message] of cases) {
      const error = await apiErrorOf(engine.runner.start(target(spec), never));
      expect(error.kind).toBe('invalid-request');
      expect(error.message).toMatch(message);
    }
  });

  it('reports ch-run\'s own refusal (a missing working directory) as failed, in its words', async () => {
    const result = await run({ command: ['/bin/true'], workdir: '/no-such-folder' });
    expect(result.exit).toEqual({ outcome: 'failed', exitCode: 1, signal: null, message: "ch-run: can't cd to /no-such-folder: No such file or directory" });
  });

  it('runs an interactive shell in a terminal: a typed command, Ctrl-C, exit', async () => {
    const job = await engine.runner.start(target({ command: ['/bin/sh', '-i'], tty: true, env: [{ name: 'PS1', value: 'ch$ ' }] }), never);
    const terminal = follow(job);
    let mark = terminal.mark();
    job.write!('echo hi-$((6*7))\r');
    await terminal.waitFor(/hi-42/, mark);
    mark = terminal.mark();
    job.write!('busybox stty size\r');
    await terminal.waitFor(/24 80/, mark);
    job.resize!({ cols: 100, rows: 30 });
    mark = terminal.mark();
    job.write!('busybox stty size\r');
    await terminal.waitFor(/30 100/, mark);
    // Ctrl-C ends the foreground sleep (its "echo" never runs), the shell goes on.
    mark = terminal.mark();
    job.write!('sleep 30; echo not-interrupted\r');
    await waitForSessionGroups(job.handle.pid!, 2);
    await interrupt(job, () => /\nch\$ /.test(terminal.text.slice(mark)), () => JSON.stringify(terminal.text.slice(mark)));
    job.write!('echo back-$((2+3))\r');
    await terminal.waitFor(/back-5/, mark);
    expect(terminal.text.slice(mark)).not.toMatch(/(^|\n)not-interrupted\r?\n/);
    job.write!('exit 3\r');
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 3, signal: null, message: null });
    await terminal.done;
    await job.dispose();
  });

  it('stops a job with SIGTERM, and kills one that ignores it', async () => {
    const stopped = await engine.runner.start(target({ command: ['/bin/sh', '-c', 'echo ready; sleep 30'] }), never);
    const stoppedOutput = follow(stopped);
    await stoppedOutput.waitFor(/ready/);
    await stopped.stop(30_000);
    expect(await stopped.exit).toEqual({ outcome: 'exited', exitCode: 143, signal: 'SIGTERM', message: null });

    const stubborn = await engine.runner.start(target({ command: ['/bin/sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'] }), never);
    const stubbornOutput = follow(stubborn);
    await stubbornOutput.waitFor(/ready/);
    await stubborn.stop(200);
    expect(await stubborn.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });

    const killed = await engine.runner.start(target({ command: ['/bin/sh', '-c', 'echo ready; sleep 30'] }), never);
    const killedOutput = follow(killed);
    await killedOutput.waitFor(/ready/);
    await killed.kill();
    expect(await killed.exit).toMatchObject({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL' });
    await Promise.all([stoppedOutput.done, stubbornOutput.done, killedOutput.done]);
  });
});

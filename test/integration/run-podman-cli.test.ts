// The podman CLI route's runner against the real podman, in a private image store: a busybox
// image imported with podman's CLI, run with exit codes 0/1/127, separate stdout and stderr,
// environment, binds (read-only refused a write), working directory, user, an interactive
// terminal, exec into a running job, stop and kill reaching the container, and podman's own
// refusal (exit 125) as "failed".
import { mkdtemp, readFile, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/model';
import { RunSpecSchema, type RunSpecInput } from '../../shared/run';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { PodmanCliEngine } from '../../electron/engines/podman/cli-engine';
import type { RunTarget } from '../../electron/jobs/runner';
import { importIntoPodman, type TestImage } from '../fixtures/busybox-image';
import { requireEngine } from '../helpers/engines';
import { finish, follow, interrupt } from '../helpers/run-jobs';
import { apiErrorOf } from '../helpers/waiting';

const podman = await requireEngine('podman');
const SIZE = { cols: 80, rows: 24 };
const never = new AbortController().signal;

describe.skipIf(podman.skip)('Podman CLI runs (real podman)', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let engine: PodmanCliEngine;
  let image: TestImage;
  let summary: ImageSummary;
  let hostDir: string;

  const containers = async (): Promise<string[]> =>
    (await execa('podman', ['ps', '--all', '--format', '{{.Names}}'], { env, extendEnv: false })).stdout.split('\n').filter((line) => line !== '');

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cdp-run-'));
    const conf = join(root, 'storage.conf');
    await writeFile(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${join(root, 'graph')}"\nrunroot = "${join(root, 'run')}"\n`);
    env = { ...process.env, CONTAINERS_STORAGE_CONF: conf };
    delete env.CONTAINER_HOST;
    const podmanPath = (await findOnPath('podman', env))!;
    engine = new PodmanCliEngine({ id: 'podman', label: 'Podman (rootful)', family: 'podman', rootless: false, cli: { podmanPath, env } });
    image = await importIntoPodman(env);
    summary = (await engine.listImages(never)).find((row) => row.id === image.id)!;
    expect(summary).toBeDefined();
    hostDir = join(root, 'host');
    await mkdir(hostDir);
    await chmod(hostDir, 0o777);
    await writeFile(join(hostDir, 'in.txt'), 'from the host\n');
  });

  afterAll(async () => {
    await engine?.dispose();
    if (env) {
      await execa('podman', ['rm', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
      await execa('podman', ['rmi', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
    }
    if (root) await rm(root, { recursive: true, force: true });
  });

  const target = (spec: Omit<RunSpecInput, 'engineId' | 'image'>): RunTarget => ({
    spec: RunSpecSchema.parse({ engineId: 'podman', image: { imageId: image.id, reference: image.reference }, ...spec }),
    image: summary,
    size: SIZE,
  });
  const run = async (spec: Omit<RunSpecInput, 'engineId' | 'image'>) => finish(await engine.runner.start(target(spec), never));

  it('shows the exact podman run command line, with the name the job will have', () => {
    const spec = target({
      command: ['sh', '-c', 'echo hi'],
      env: [{ name: 'A', value: 'x y' }],
      binds: [{ hostPath: hostDir, containerPath: '/data', readOnly: true }],
      workdir: '/tmp',
      user: '1000',
      network: 'none',
      tty: true,
    });
    const line = engine.runner.commandLine(spec);
    const name = line.argv[3]!;
    expect(name).toMatch(/^crossdock-[0-9a-f]{12}$/);
    expect(line.argv.slice(1)).toEqual([
      'run', '--name', name, '--pull', 'never', '--rm', '-i', '-t', '--network', 'none', '-e', 'A=x y', '-v', `${hostDir}:/data:ro`, '-w', '/tmp', '-u', '1000', image.reference, 'sh', '-c', 'echo hi',
    ]);
    expect(engine.runner.commandLine(spec).argv[3]).toBe(name);
  });

  it('runs to exit 0 with stdout and stderr apart, reports 1 and 127, and removes its containers', async () => {
    const ok = await run({ command: ['sh', '-c', 'echo to-out; echo to-err >&2'] });
    expect(ok.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
    expect(ok.stdout).toBe('to-out\n');
    expect(ok.stderr).toBe('to-err\n');
    expect((await run({ command: ['sh', '-c', 'exit 1'] })).exit).toMatchObject({ outcome: 'exited', exitCode: 1 });
    expect((await run({ command: ['sh', '-c', 'nosuch-program'] })).exit).toMatchObject({ outcome: 'exited', exitCode: 127 });
    // podman itself reports a program missing from the image as 127.
    const missing = await run({ command: ['nosuch-program'] });
    expect(missing.exit).toMatchObject({ outcome: 'exited', exitCode: 127 });
    expect(await containers()).toEqual([]);
  });

  it('keeps the container when asked not to remove it', async () => {
    const job = await engine.runner.start(target({ command: ['true'], remove: false }), never);
    const result = await finish(job);
    expect(result.exit.exitCode).toBe(0);
    expect(await containers()).toEqual([job.handle.containerId]);
    await execa('podman', ['rm', '--', job.handle.containerId!], { env, extendEnv: false });
  });

  it('passes environment, binds (read-only refuses a write), working directory and user', async () => {
    const result = await run({
      command: ['sh', '-c', 'echo "[$GREETING]"; cat /in/in.txt; pwd; id -u; echo back > /out/out.txt; echo x > /in/x 2>/dev/null || echo read-only'],
      env: [{ name: 'GREETING', value: "it's $HOME, a=b,c" }],
      binds: [
        { hostPath: hostDir, containerPath: '/in', readOnly: true },
        { hostPath: hostDir, containerPath: '/out' },
      ],
      workdir: '/tmp',
      user: '1234',
    });
    expect(result.exit).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(result.stdout).toBe("[it's $HOME, a=b,c]\nfrom the host\n/tmp\n1234\nread-only\n");
    expect(await readFile(join(hostDir, 'out.txt'), 'utf8')).toBe('back\n');
  });

  it('reports podman\'s own refusal (no such image, exit 125) as failed', async () => {
    const spec = target({ command: ['true'] });
    spec.spec.image.reference = 'localhost/crossdock-test/no-such-image:1';
    const result = await finish(await engine.runner.start(spec, never));
    expect(result.exit.outcome).toBe('failed');
    expect(result.exit.exitCode).toBe(125);
    expect(result.exit.message).toMatch(/^podman: .*no-such-image/);
  });

  it('runs an interactive shell in a terminal, and a shell opened in its container', async () => {
    const job = await engine.runner.start(target({ command: ['sh'], tty: true, env: [{ name: 'PS1', value: 'pm$ ' }] }), never);
    expect(job.handle.containerId).toMatch(/^crossdock-/);
    const terminal = follow(job);
    let mark = terminal.mark();
    job.write!('echo hi-$((6*7))\r');
    await terminal.waitFor(/hi-42/, mark);

    // A shell in the same container sees what the job's shell wrote.
    job.write!('echo shared > /tmp/mark\r');
    const shell = await engine.runner.exec!(job.handle, ['sh'], SIZE, never);
    const shellTerminal = follow(shell);
    shell.write!('cat /tmp/mark\r');
    await shellTerminal.waitFor(/shared/);
    shell.write!('exit 5\r');
    expect(await shell.exit).toMatchObject({ outcome: 'exited', exitCode: 5 });
    await shell.dispose();

    // Ctrl-C ends the foreground sleep (its echo never runs); the shell goes on.
    mark = terminal.mark();
    job.write!('sleep 30; echo not-interrupted\r');
    await terminal.waitFor(/sleep 30; echo not-interrupted\r\n/, mark);
    // No way to see the container's process groups from here: send Ctrl-C until the prompt is back.
    await interrupt(job, () => /\npm\$ /.test(terminal.text.slice(mark)));
    job.write!('echo back-$((2+3))\r');
    await terminal.waitFor(/back-5/, mark);
    expect(terminal.text.slice(mark)).not.toMatch(/(^|\n)not-interrupted\r?\n/);
    job.write!('exit 3\r');
    expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 3 });
    await terminal.done;
    await job.dispose();
    expect(await containers()).toEqual([]);
  });

  it('stops the container (SIGTERM, then SIGKILL once the grace ended) and kills it', async () => {
    const polite = await engine.runner.start(target({ command: ['sh', '-c', 'trap "exit 7" TERM; echo ready; while :; do sleep 1; done'] }), never);
    const politeOutput = follow(polite);
    await politeOutput.waitFor(/ready/);
    await polite.stop(30_000);
    expect(await polite.exit).toMatchObject({ outcome: 'exited', exitCode: 7 });

    // sh as the container's pid 1 ignores SIGTERM: the grace period ends in SIGKILL.
    const stubborn = await engine.runner.start(target({ command: ['sh', '-c', 'echo ready; while :; do sleep 1; done'] }), never);
    const stubbornOutput = follow(stubborn);
    await stubbornOutput.waitFor(/ready/);
    await stubborn.stop(1000);
    expect(await stubborn.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });

    const killed = await engine.runner.start(target({ command: ['sh', '-c', 'echo ready; sleep 30'] }), never);
    const killedOutput = follow(killed);
    await killedOutput.waitFor(/ready/);
    await killed.kill();
    expect(await killed.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });
    await Promise.all([politeOutput.done, stubbornOutput.done, killedOutput.done]);
    await Promise.all([polite.dispose(), stubborn.dispose(), killed.dispose()]);
    expect(await containers()).toEqual([]);
  });

  it('refuses a shell for a job without a container', async () => {
    const error = await apiErrorOf(engine.runner.exec!({ containerId: null, pid: 1 }, ['sh'], SIZE, never));
    expect(error.kind).toBe('not-found');
  });
});



// The Docker-API job runner against real engines: the shared dockerd, and Podman through a
// `podman system service` started here on a private image store. The same suite runs on both;
// every container it makes is removed again (by the job's dispose, and by label afterwards).
import { mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/model';
import { RunSpecSchema, type RunSpecInput } from '../../shared/run';
import type { JobRunner, OutputChunk, RunningJob } from '../../electron/jobs/runner';
import { createDockerEngine } from '../../electron/engines/docker/provider';
import { DockerApiEngine } from '../../electron/engines/docker-api/engine';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { JOB_LABEL } from '../../electron/engines/docker-api/run/create-options';
import { podmanRunDialect } from '../../electron/engines/docker-api/run/dialect';
import { PodmanService } from '../../electron/engines/podman/service';
import { importIntoDocker, importIntoPodman, type TestImage } from '../fixtures/busybox-image';
import { DOCKER_SOCKET, requireEngine } from '../helpers/engines';
import { apiErrorOf, waitFor } from '../helpers/waiting';

const dockerNeed = await requireEngine('docker');
const podmanNeed = await requireEngine('podman');
const never = new AbortController().signal;
const SIZE = { cols: 80, rows: 24 };

/** One engine under test: a way to make a fresh engine object on it, and the image to run. */
interface Setup {
  engineId: string;
  cli: string;
  client: Dockerode;
  image: TestImage;
  /** A new engine object on the same socket, as a restarted Crossdock would make. */
  freshEngine(): DockerApiEngine;
  cleanup(): Promise<void>;
}

interface Target {
  name: string;
  skip: boolean;
  setUp(): Promise<Setup>;
}

const hostEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  return env;
};

async function dockerSetup(): Promise<Setup> {
  const client = new Dockerode({ socketPath: DOCKER_SOCKET });
  const image = await importIntoDocker(client);
  const engines: DockerApiEngine[] = [];
  return {
    engineId: 'docker',
    cli: 'docker',
    client,
    image,
    freshEngine: () => {
      const engine = createDockerEngine({ env: hostEnv(), runtimeDir: tmpdir(), log: () => undefined });
      expect(engine).toBeInstanceOf(DockerApiEngine);
      engines.push(engine as DockerApiEngine);
      return engine as DockerApiEngine;
    },
    cleanup: async () => {
      await image.cleanup();
      await Promise.all(engines.map((engine) => engine.dispose()));
    },
  };
}

/** Podman's compatible API on a service of its own, over a private store (see podman.test.ts). */
async function podmanSetup(): Promise<Setup> {
  const root = await mkdtemp(join(tmpdir(), 'cdr-'));
  const conf = join(root, 'storage.conf');
  await writeFile(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${join(root, 'graph')}"\nrunroot = "${join(root, 'run')}"\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_STORAGE_CONF: conf };
  delete env.CONTAINER_HOST;
  const podmanPath = await findOnPath('podman', env);
  if (!podmanPath) throw new Error('podman vanished from PATH');
  const socketPath = join(root, 'podman.sock');
  const service = await PodmanService.start({ podmanPath, socketPath, env, log: () => undefined });
  const image = await importIntoPodman(env);
  const engines: DockerApiEngine[] = [];
  return {
    engineId: 'podman',
    cli: 'podman',
    client: new Dockerode({ socketPath }),
    image,
    freshEngine: () => {
      const engine = new DockerApiEngine({
        id: 'podman',
        label: 'Podman (rootful)',
        family: 'podman',
        product: 'Podman',
        endpoint: { kind: 'unix', socketPath },
        via: 'test',
        rootless: false,
        permissionHint: '',
        familyAttribute: 'HasPodman',
        gpuFlag: '--device nvidia.com/gpu=all (CDI)',
        runDialect: podmanRunDialect,
        whenSocketMissing: () => {
          throw new Error('the test service is gone');
        },
        log: () => undefined,
      });
      engines.push(engine);
      return engine;
    },
    cleanup: async () => {
      await Promise.all(engines.map((engine) => engine.dispose()));
      await service.stop();
      await execa('podman', ['rm', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
      await execa('podman', ['rmi', '--all', '--force'], { env, extendEnv: false, reject: false, timeout: 60_000 });
      await rm(root, { recursive: true, force: true });
    },
  };
}

const targets: Target[] = [
  { name: 'Docker', skip: dockerNeed.skip, setUp: dockerSetup },
  { name: 'Podman (compatible API)', skip: podmanNeed.skip, setUp: podmanSetup },
];

/** Collects a job's output as it comes, so a test can wait for a piece of it. */
class Collector {
  readonly chunks: OutputChunk[] = [];
  readonly done: Promise<void>;

  constructor(job: RunningJob) {
    this.done = (async () => {
      for await (const chunk of job.output) this.chunks.push(chunk);
    })();
  }

  text(stream?: OutputChunk['stream']): string {
    return Buffer.concat(this.chunks.filter((chunk) => !stream || chunk.stream === stream).map((chunk) => chunk.data)).toString();
  }

  /** Waits until the output holds `expected` (after `from` characters). */
  async waitFor(expected: string | RegExp, from = 0, timeoutMs = 20_000): Promise<void> {
    const found = () => {
      const text = this.text().slice(from);
      return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    };
    await waitFor(found, timeoutMs, `output ${String(expected)} (so far: ${JSON.stringify(this.text().slice(from))})`);
  }
}

describe.each(targets)('Docker-API job runner on $name', (target) => {
  describe.skipIf(target.skip)('runs', () => {
    let setup: Setup;
    let runner: JobRunner;
    const jobs: RunningJob[] = [];
    const folders: string[] = [];

    beforeAll(async () => {
      setup = await target.setUp();
      runner = setup.freshEngine().runner;
    });

    afterEach(async () => {
      // A job a failed test left running is killed; dispose removes its container. (A job that
      // was let go while running never reports an exit; the label sweep in afterAll takes it.)
      for (const job of jobs.splice(0)) {
        await job.kill().catch(() => undefined);
        await Promise.race([job.exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        await job.dispose();
      }
      for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
    });

    afterAll(async () => {
      if (!setup) return;
      // Whatever a broken test left behind, by the label every job container carries.
      const left = await setup.client.listContainers({ all: true, filters: { label: [`${JOB_LABEL}=1`] } });
      for (const { Id } of left) await setup.client.getContainer(Id).remove({ force: true }).catch(() => undefined);
      await setup.cleanup();
    });

    const specOf = (input: Omit<RunSpecInput, 'engineId' | 'image'>) =>
      RunSpecSchema.parse({ engineId: setup.engineId, image: { imageId: setup.image.id, reference: setup.image.reference }, ...input });

    const imageRow = (): ImageSummary => ({
      engineId: setup.engineId,
      id: setup.image.id,
      repository: setup.image.repository,
      tag: setup.image.tag,
      repoTags: setup.image.reference ? [setup.image.reference] : [],
      repoDigests: [],
      sizeBytes: 0,
      createdAt: null,
      dangling: false,
      containers: 0,
      labels: {},
    });

    async function start(input: Omit<RunSpecInput, 'engineId' | 'image'>, on: JobRunner = runner): Promise<RunningJob> {
      const job = await on.start({ spec: specOf(input), image: imageRow(), size: SIZE }, never);
      jobs.push(job);
      return job;
    }

    /** Runs to the end: output by stream, and the exit. */
    async function run(input: Omit<RunSpecInput, 'engineId' | 'image'>) {
      const job = await start(input);
      const output = new Collector(job);
      await output.done;
      const exit = await job.exit;
      return { job, exit, stdout: output.text('stdout'), stderr: output.text('stderr') };
    }

    async function folder(): Promise<string> {
      const path = await mkdtemp(join(tmpdir(), 'cdj-'));
      folders.push(path);
      await chmod(path, 0o777);
      return path;
    }

    async function containerGone(id: string | null): Promise<boolean> {
      if (!id) return true;
      return setup.client.getContainer(id).inspect().then(
        () => false,
        (error: { statusCode?: number }) => error.statusCode === 404,
      );
    }

    it('says what it can do, and shows the run as the engine CLI would', () => {
      const capabilities = runner.capabilities();
      expect(capabilities).toMatchObject({
        tty: { supported: true },
        networks: ['default', 'none', 'host'],
        exec: { supported: true },
        reattach: true,
        modes: [],
      });
      // Docker passes GPUs through DeviceRequests; Podman's compatible API cannot (see dialect.ts).
      expect(capabilities.gpu.supported).toBe(setup.cli === 'docker');
      const spec = specOf({
        command: ['sh', '-c', 'echo $A'],
        env: [{ name: 'A', value: 'B' }],
        binds: [{ hostPath: '/h', containerPath: '/c', readOnly: true }],
        workdir: '/w',
        user: '1000',
        network: 'none',
        tty: true,
        gpu: true,
      });
      const gpu = setup.cli === 'docker' ? ['--gpus', 'all'] : ['--device', 'nvidia.com/gpu=all'];
      expect(runner.commandLine({ spec, image: imageRow() })).toEqual({
        argv: [setup.cli, 'run', '--rm', '-i', '-t', '--label', `${JOB_LABEL}=1`, '--network', 'none', '-e', 'A=B', '-v', '/h:/c:ro', '-w', '/w', '-u', '1000', ...gpu, setup.image.reference, 'sh', '-c', 'echo $A'],
        isEquivalent: true,
      });
    });

    it('reports exit codes 0 and 1, and removes the container once disposed', async () => {
      const ok = await run({ command: ['true'], network: 'none' });
      expect(ok.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
      expect(ok.job.handle.containerId).toMatch(/^[0-9a-f]{64}$/);
      const failed = await run({ command: ['false'], network: 'none' });
      expect(failed.exit).toMatchObject({ outcome: 'exited', exitCode: 1, signal: null });
      for (const job of [ok.job, failed.job]) await job.dispose();
      expect(await containerGone(ok.job.handle.containerId)).toBe(true);
      expect(await containerGone(failed.job.handle.containerId)).toBe(true);
    });

    it('keeps the container when the spec says not to remove it', async () => {
      const kept = await run({ command: ['true'], network: 'none', remove: false });
      await kept.job.dispose();
      const info = await setup.client.getContainer(kept.job.handle.containerId!).inspect();
      expect(info.State.ExitCode).toBe(0);
      expect(info.Config.Labels).toMatchObject({ [JOB_LABEL]: '1' });
      await setup.client.getContainer(kept.job.handle.containerId!).remove({ force: true });
    });

    it('reports a program that is not in the image as exit 127 with the engine\'s message, not as a refusal', async () => {
      const missing = await run({ command: ['nosuch'], network: 'none' });
      expect(missing.exit).toMatchObject({ outcome: 'exited', exitCode: 127, signal: null });
      expect(missing.exit.message).toMatch(/nosuch/);
      expect(missing.exit.message).toMatch(/not found/);
      await missing.job.dispose();
      expect(await containerGone(missing.job.handle.containerId)).toBe(true);
    });

    it('refuses a missing image with not-found and leaves no container', async () => {
      const before = await setup.client.listContainers({ all: true });
      const spec = RunSpecSchema.parse({ engineId: setup.engineId, image: { imageId: 'sha256:' + '0'.repeat(64), reference: 'crossdock-no-such-image:1' }, command: ['true'] });
      const error = await apiErrorOf(runner.start({ spec, image: imageRow(), size: SIZE }, never));
      expect(error.kind).toBe('not-found');
      expect(error.message).toMatch(/crossdock-no-such-image/);
      expect(await setup.client.listContainers({ all: true })).toHaveLength(before.length);
    });

    it('kills a running job: 137, SIGKILL', async () => {
      const job = await start({ command: ['sleep', '30'], network: 'none' });
      await job.kill();
      expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });
      // A second kill, of a job that has ended, is no error.
      await job.kill();
      await job.stop(1000);
    });

    it('keeps stdout and stderr apart', async () => {
      const { exit, stdout, stderr } = await run({ command: ['sh', '-c', 'echo out; echo err >&2'], network: 'none' });
      expect(exit.exitCode).toBe(0);
      expect(stdout).toBe('out\n');
      expect(stderr).toBe('err\n');
    });

    it('passes the environment', async () => {
      const { stdout } = await run({ command: ['sh', '-c', 'echo $A'], env: [{ name: 'A', value: '1' }], network: 'none' });
      expect(stdout).toBe('1\n');
    });

    it('binds host folders both ways, and a read-only bind refuses writes', async () => {
      const data = await folder();
      await writeFile(join(data, 'from-host'), 'hello from the host\n');
      const both = await run({
        command: ['sh', '-c', 'cat /data/from-host && echo written-inside > /data/from-container'],
        binds: [{ hostPath: data, containerPath: '/data', readOnly: false }],
        network: 'none',
      });
      expect(both.exit.exitCode).toBe(0);
      expect(both.stdout).toBe('hello from the host\n');
      expect(await readFile(join(data, 'from-container'), 'utf8')).toBe('written-inside\n');

      const readOnly = await run({
        command: ['sh', '-c', 'echo no > /data/refused'],
        binds: [{ hostPath: data, containerPath: '/data', readOnly: true }],
        network: 'none',
      });
      expect(readOnly.exit.exitCode).not.toBe(0);
      expect(readOnly.stderr).toMatch(/read-only file system/i);
      await expect(readFile(join(data, 'refused'))).rejects.toThrow();
    });

    it('runs in the working directory and as the user asked', async () => {
      const { stdout } = await run({ command: ['sh', '-c', 'pwd; id -u'], workdir: '/tmp', user: '1234', network: 'none' });
      expect(stdout).toBe('/tmp\n1234\n');
    });

    it('runs an interactive terminal: input, Ctrl-C, resize and the exit status of `exit 5`', async () => {
      const job = await start({ command: ['sh'], tty: true, network: 'none' });
      expect(job.write).toBeTypeOf('function');
      const output = new Collector(job);
      job.write!('echo hello-$((6*7))\r');
      await output.waitFor('hello-42');
      expect(output.chunks.every((chunk) => chunk.stream === 'tty')).toBe(true);

      job.resize!({ cols: 100, rows: 30 });
      let mark = output.text().length;
      // "started" printed means the shell has left its line editor (which reads Ctrl-C as a key)
      // and the terminal is back in the mode where Ctrl-C is a signal.
      job.write!('echo started; sleep 600\r');
      await output.waitFor('\nstarted', mark);
      mark = output.text().length;
      // Ctrl-C reaches the foreground program through the terminal (the shell abandons the rest
      // of the line, as it does on a terminal): the prompt is back, and sleep died of SIGINT.
      job.write!('\x03');
      await output.waitFor('^C', mark);
      job.write!('echo back-$?\r');
      await output.waitFor('back-130', mark);

      // The new size reaches the terminal (asked without waiting, so asked again until it shows).
      mark = output.text().length;
      const asking = setInterval(() => job.write!('echo size-$(busybox stty size)\r'), 200);
      try {
        await output.waitFor('size-30 100', mark);
      } finally {
        clearInterval(asking);
      }

      job.write!('exit 5\r');
      expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 5, signal: null });
      await output.done;
    });

    it('stops a job that handles SIGTERM with the engine\'s stop: it ends by itself, 143', async () => {
      const job = await start({ command: ['sh', '-c', 'trap "echo got-term; exit 143" TERM; echo ready; while true; do sleep 1; done'], network: 'none' });
      const output = new Collector(job);
      await output.waitFor('ready');
      await job.stop(30_000);
      expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 143, signal: 'SIGTERM', message: null });
      await output.done;
      expect(output.text('stdout')).toContain('got-term');
    });

    it('stops a job that ignores SIGTERM with SIGKILL after the grace period: 137', async () => {
      const job = await start({ command: ['sh', '-c', 'trap "" TERM; echo ready; sleep 60'], network: 'none' });
      const output = new Collector(job);
      await output.waitFor('ready');
      await job.stop(1000);
      expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL' });
    });

    it('stops a bare `sleep 60`: as PID 1 without a handler, SIGTERM does not end it, the SIGKILL does', async () => {
      const job = await start({ command: ['sleep', '60'], network: 'none' });
      await job.stop(1000);
      expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL' });
    });

    it('re-attaches from a fresh engine object: the whole output replayed from the log, and the exit', async () => {
      const job = await start({ command: ['sh', '-c', 'echo one; echo err-one >&2; sleep 2; echo two'], network: 'none' });
      const first = new Collector(job);
      await first.waitFor('one');
      // Crossdock "restarts": the first job object is let go, the container runs on.
      await job.dispose();
      jobs.splice(jobs.indexOf(job), 1);
      expect(await containerGone(job.handle.containerId)).toBe(false);

      const again = await setup.freshEngine().runner.reattach!(job.handle, specOf({ command: [] }), never);
      expect(again).not.toBeNull();
      jobs.push(again!);
      expect(again!.replaysFromStart).toBe(true);
      expect(again!.handle).toEqual(job.handle);
      const output = new Collector(again!);
      await output.done;
      expect(output.text('stdout')).toBe('one\ntwo\n');
      expect(output.text('stderr')).toBe('err-one\n');
      expect(await again!.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
      await again!.dispose();
      expect(await containerGone(job.handle.containerId)).toBe(true);
    });

    it('re-attaches to a job that ended while Crossdock was away, and to one that is gone (null)', async () => {
      const job = await start({ command: ['sh', '-c', 'echo finished; exit 3'], network: 'none' });
      const output = new Collector(job);
      await job.exit;
      await output.done;
      // Let go before the exit was taken: the container stays for the re-attach.
      const handle = job.handle;
      jobs.splice(jobs.indexOf(job), 1);
      const lateRunner = setup.freshEngine().runner;
      // (a job object that has ended does remove its container on dispose; this one is left alone)
      const again = await lateRunner.reattach!(handle, specOf({ command: [] }), never);
      jobs.push(again!);
      const replay = new Collector(again!);
      await replay.done;
      expect(replay.text('stdout')).toBe('finished\n');
      expect(await again!.exit).toMatchObject({ outcome: 'exited', exitCode: 3 });
      await again!.dispose();
      expect(await containerGone(handle.containerId)).toBe(true);
      expect(await lateRunner.reattach!(handle, specOf({ command: [] }), never)).toBeNull();
      expect(await lateRunner.reattach!({ containerId: null, pid: null }, specOf({ command: [] }), never)).toBeNull();
    });

    it('re-attaches to an interactive job, and input still reaches it', async () => {
      const job = await start({ command: ['sh'], tty: true, network: 'none' });
      const first = new Collector(job);
      job.write!('echo before-$((1+1))\r');
      await first.waitFor('before-2');
      await job.dispose();
      jobs.splice(jobs.indexOf(job), 1);

      const again = await setup.freshEngine().runner.reattach!(job.handle, specOf({ command: ['sh'], tty: true }), never);
      jobs.push(again!);
      const output = new Collector(again!);
      await output.waitFor('before-2');
      again!.write!('echo after-$((2+2))\r');
      await output.waitFor('after-4');
      again!.write!('exit 7\r');
      expect(await again!.exit).toMatchObject({ outcome: 'exited', exitCode: 7 });
    });

    it('opens a shell in a running job\'s container (exec) and reads its exit code', async () => {
      const job = await start({ command: ['sleep', '60'], network: 'none' });
      const shell = await runner.exec!(job.handle, ['sh'], SIZE, never);
      jobs.push(shell);
      const output = new Collector(shell);
      shell.write!('echo inside-$((3*3))\r');
      await output.waitFor('inside-9');
      shell.resize!({ cols: 90, rows: 20 });
      shell.write!('exit 4\r');
      expect(await shell.exit).toMatchObject({ outcome: 'exited', exitCode: 4 });
      await output.done;
      await shell.dispose();
      // The job itself runs on.
      await job.kill();
      expect((await job.exit).exitCode).toBe(137);
    });

    it('stops a shell opened with exec through its terminal (Ctrl-C, then exit)', async () => {
      const job = await start({ command: ['sleep', '60'], network: 'none' });
      const shell = await runner.exec!(job.handle, ['sh'], SIZE, never);
      jobs.push(shell);
      const output = new Collector(shell);
      shell.write!('echo ready\r');
      await output.waitFor('ready');
      // (see the interactive run: "started" means Ctrl-C is a signal again)
      shell.write!('echo started; sleep 600\r');
      await output.waitFor('\nstarted');
      await shell.stop(10_000);
      // The shell's own status is that of its last command: sleep, ended by SIGINT.
      expect(await shell.exit).toMatchObject({ outcome: 'exited', exitCode: 130 });
    });

    it('back-pressures the container: unread output blocks its writes', async () => {
      const data = await folder();
      // 64 KiB blocks; after each one the count is written to a bound file the test can read.
      const blocks = 1024;
      const job = await start({
        command: ['sh', '-c', `i=0; while [ $i -lt ${blocks} ]; do busybox head -c 65536 /dev/zero; i=$((i+1)); echo $i > /out/count; done; echo done > /out/count`],
        binds: [{ hostPath: data, containerPath: '/out', readOnly: false }],
        network: 'none',
      });
      const iterator = job.output[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      const count = async () => (await readFile(join(data, 'count'), 'utf8').catch(() => '0')).trim();
      // Wait until the writer stalls: the count stays the same over 20 reads in a row.
      let last = '';
      let same = 0;
      const deadline = Date.now() + 60_000;
      while (same < 20) {
        if (Date.now() > deadline) throw new Error(`the writer never stalled (count ${last})`);
        const now = await count();
        same = now === last ? same + 1 : 0;
        last = now;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(last).not.toBe('done');
      expect(Number(last)).toBeLessThan(blocks);

      let bytes = first.value!.data.length;
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        bytes += next.value.data.length;
      }
      expect(bytes).toBe(blocks * 65536);
      expect(await count()).toBe('done');
      expect(await job.exit).toMatchObject({ outcome: 'exited', exitCode: 0 });
    });
  });
});

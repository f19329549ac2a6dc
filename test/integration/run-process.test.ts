// spawnJob against real programs (/bin/sh, head, sleep, stty): exit codes and signals, stop and
// kill of the whole process tree, back-pressure of a producer whose consumer stopped pulling, and
// an interactive shell in a pty. No engine needed.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnJob, type ProcessJob, type ProcessJobSpec } from '../../electron/jobs/process/spawn-job';
import { sessionGroups } from '../../electron/jobs/process/process-tree';
import type { OutputChunk } from '../../electron/jobs/runner';
import { apiErrorOf, waitFor } from '../helpers/waiting';
import { follow, interrupt } from '../helpers/run-jobs';

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };
const SIZE = { cols: 80, rows: 24 };

function spec(args: string[], extra: Partial<ProcessJobSpec> = {}): ProcessJobSpec {
  return { file: 'sh', args, env: ENV, tty: false, size: SIZE, ...extra };
}

async function collect(job: ProcessJob): Promise<{ stdout: string; stderr: string; tty: string; chunks: OutputChunk[] }> {
  const chunks: OutputChunk[] = [];
  for await (const chunk of job.output) chunks.push(chunk);
  const text = (stream: OutputChunk['stream']) =>
    Buffer.concat(chunks.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.data)).toString('utf8');
  return { stdout: text('stdout'), stderr: text('stderr'), tty: text('tty'), chunks };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}


let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'crossdock-spawn-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('spawnJob without a terminal', () => {
  it('reports exit 0 with stdout and stderr kept apart', async () => {
    const job = await spawnJob(spec(['-c', 'echo to-out; echo to-err >&2']));
    expect(job.handle).toEqual({ containerId: null, pid: expect.any(Number) });
    const output = await collect(job);
    expect(output.stdout).toBe('to-out\n');
    expect(output.stderr).toBe('to-err\n');
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 0, signal: null, message: null });
  });

  it('reports exit 1 and 127 (command not found in sh)', async () => {
    const one = await spawnJob(spec(['-c', 'exit 1']));
    await collect(one);
    expect(await one.exit).toMatchObject({ outcome: 'exited', exitCode: 1, signal: null });
    const missing = await spawnJob(spec(['-c', 'nosuch-command-xyz']));
    const output = await collect(missing);
    expect(output.stderr).toMatch(/nosuch-command-xyz.*not found/);
    expect(await missing.exit).toMatchObject({ outcome: 'exited', exitCode: 127, signal: null });
  });

  it('reports a process killed by a signal as 128 + n with the signal name', async () => {
    const job = await spawnJob(spec(['-c', 'kill -KILL $$']));
    await collect(job);
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });
  });

  it('passes exactly the environment given, and the working directory', async () => {
    const job = await spawnJob(spec(['-c', 'echo "$GREETING"; pwd; env | grep -c . '], { env: { ...ENV, GREETING: 'hello there' }, cwd: scratch }));
    const output = await collect(job);
    const [greeting, cwd, count] = output.stdout.trim().split('\n');
    expect(greeting).toBe('hello there');
    expect(cwd).toBe(scratch);
    // PATH, LANG and GREETING, plus PWD that sh exports itself: nothing of the test runner's.
    expect(Number(count)).toBeLessThanOrEqual(4);
  });

  it('refuses a program that is not there or not executable as engine-unavailable', async () => {
    const missing = await apiErrorOf(spawnJob({ ...spec([]), file: 'nosuch-program-xyz' }));
    expect(missing.kind).toBe('engine-unavailable');
    expect(missing.message).toMatch(/nosuch-program-xyz was not found on PATH/);
    const file = join(scratch, 'not-executable');
    await writeFile(file, '#!/bin/sh\nexit 0\n');
    await chmod(file, 0o644);
    const denied = await apiErrorOf(spawnJob({ ...spec([]), file }));
    expect(denied.kind).toBe('engine-unavailable');
    expect(denied.message).toMatch(/EACCES/);
  });

  it('lets the engine classify its own refusal from the stderr tail', async () => {
    const job = await spawnJob(
      spec(['-c', 'echo "engine: no such image" >&2; exit 125'], {
        classifyExit: ({ exitCode, stderrTail }) =>
          exitCode === 125 ? { outcome: 'failed', exitCode, signal: null, message: stderrTail.trim() } : null,
      }),
    );
    await collect(job);
    expect(await job.exit).toEqual({ outcome: 'failed', exitCode: 125, signal: null, message: 'engine: no such image' });
  });

  it('keeps only the last 4 KB of stderr for classifying', async () => {
    let tail = '';
    const job = await spawnJob(
      spec(['-c', 'head -c 100000 /dev/zero | tr "\\0" x >&2; echo END >&2; exit 2'], {
        classifyExit: ({ stderrTail }) => {
          tail = stderrTail;
          return null;
        },
      }),
    );
    await collect(job);
    expect(await job.exit).toMatchObject({ exitCode: 2 });
    expect(tail.length).toBe(4096);
    expect(tail.endsWith('xEND\n')).toBe(true);
  });

  it('stop sends SIGTERM to the group', async () => {
    const job = await spawnJob(spec(['-c', 'echo ready; sleep 30']));
    const output = follow(job);
    await output.waitFor(/ready/, 0, 20_000);
    await job.stop(30_000);
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 143, signal: 'SIGTERM', message: null });
    await output.done;
  });

  it('stop kills a program that ignores SIGTERM once the grace period passed, child processes included', async () => {
    const job = await spawnJob(spec(['-c', 'trap "echo got-term" TERM; echo ready; while :; do sleep 1; done']));
    const output = follow(job);
    await output.waitFor(/ready/, 0, 20_000);
    await job.stop(300);
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });
    await output.done;
    expect(output.text).toContain('got-term');
    await waitForGroups(job.handle.pid!, 0);
  });

  it('kill sends SIGKILL to the group at once', async () => {
    const job = await spawnJob(spec(['-c', 'trap "" TERM; echo ready; sleep 30']));
    const output = follow(job);
    await output.waitFor(/ready/, 0, 20_000);
    await job.kill();
    expect(await job.exit).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    await output.done;
  });

  it('ends the output when the program ended, ending what it left running in the background', async () => {
    const job = await spawnJob(spec(['-c', 'sleep 1000 & echo $!']));
    const output = await collect(job);
    expect(await job.exit).toMatchObject({ exitCode: 0 });
    const sleeper = Number(output.stdout.trim());
    await waitFor(() => !alive(sleeper), 10_000, 'the background sleep to be killed');
  });

  it('runs cleanup on dispose, once, after the program ended', async () => {
    let cleanups = 0;
    const job = await spawnJob(spec(['-c', 'sleep 30'], { cleanup: async () => void (cleanups += 1) }));
    // dispose of a running job kills it first.
    await Promise.all([job.dispose(), job.dispose()]);
    expect(cleanups).toBe(1);
    expect(await job.exit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('back-pressures a producer whose consumer stopped pulling, then delivers everything', async () => {
    const total = 200_000_000;
    const job = await spawnJob({ ...spec([]), file: 'head', args: ['-c', String(total), '/dev/zero'] });
    const iterator = job.output[Symbol.asyncIterator]();
    let received = 0;
    for (let i = 0; i < 3; i += 1) {
      const next = await iterator.next();
      received += next.done ? 0 : next.value.data.length;
    }
    const rssBefore = process.memoryUsage().rss;
    // The consumer stops pulling: the queue fills to its limit and reading stops.
    await waitFor(() => job.readingPaused, 20_000, 'reading to pause');
    const written = async (): Promise<number> => Number(/wchar: (\d+)/.exec(await readFile(`/proc/${job.handle.pid}/io`, 'utf8'))?.[1]);
    // The producer is blocked on its full pipe: what it wrote stops growing.
    let previous = -1;
    let steady = 0;
    await waitFor(
      () => {
        void written().then((now) => {
          steady = now === previous ? steady + 1 : 0;
          previous = now;
        });
        return steady >= 5;
      },
      20_000,
      'the producer to block',
    );
    expect(previous).toBeLessThan(total / 10);
    expect(job.queuedBytes).toBeLessThan(2 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    expect(alive(job.handle.pid!)).toBe(true);
    // Pulling again drains everything, in order and complete.
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      received += next.value.data.length;
    }
    expect(received).toBe(total);
    expect(await job.exit).toMatchObject({ exitCode: 0 });
  });
});

describe('spawnJob in a terminal', () => {
  it('runs an interactive shell: typed commands, Ctrl-C, resize, exit code', async () => {
    const job = await spawnJob({ file: 'sh', args: ['-i'], env: { ...ENV, PS1: '$ ' }, tty: true, size: SIZE });
    expect(job.write).toBeTypeOf('function');
    expect(job.resize).toBeTypeOf('function');
    const terminal = follow(job);

    let mark = terminal.mark();
    job.write!('echo hi-$((6*7))\r');
    await terminal.waitFor(/hi-42/, mark, 20_000);

    mark = terminal.mark();
    job.write!('stty size\r');
    await terminal.waitFor(/\b24 80\b/, mark, 20_000);
    job.resize!({ cols: 100, rows: 30 });
    mark = terminal.mark();
    job.write!('stty size\r');
    await terminal.waitFor(/\b30 100\b/, mark, 20_000);

    // Ctrl-C interrupts the foreground command (in a process group of its own) and the shell goes on.
    job.write!('sleep 30\r');
    await waitForGroups(job.handle.pid!, 2);
    mark = terminal.mark();
    await interrupt(job, async () => (await sessionGroups(job.handle.pid!)).length === 1);
    job.write!('echo back-$((2+3))\r');
    await terminal.waitFor(/back-5/, mark, 20_000);

    job.write!('exit 3\r');
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 3, signal: null, message: null });
    await terminal.done;
  });

  it('marks chunks as tty and reports a signal number as 128 + n', async () => {
    const job = await spawnJob({ file: 'sh', args: ['-c', 'echo one; echo two >&2; kill -KILL $$'], env: ENV, tty: true, size: SIZE });
    const output = await collect(job);
    expect(output.chunks.every((chunk) => chunk.stream === 'tty')).toBe(true);
    expect(output.tty).toContain('one');
    expect(output.tty).toContain('two');
    expect(await job.exit).toEqual({ outcome: 'exited', exitCode: 137, signal: 'SIGKILL', message: null });
  });

  it('stop and kill reach the foreground command of an interactive shell', async () => {
    const job = await spawnJob({ file: 'sh', args: ['-i'], env: { ...ENV, PS1: '$ ' }, tty: true, size: SIZE });
    const terminal = follow(job);
    job.write!('sleep 30\r');
    await waitForGroups(job.handle.pid!, 2);
    // An interactive sh ignores SIGTERM: the grace period ends in SIGKILL.
    await job.stop(200);
    const exit = await job.exit;
    expect(exit.outcome).toBe('exited');
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.exitCode).toBe(137);
    await terminal.done;
    await waitForGroups(job.handle.pid!, 0);
  });
});

async function waitForGroups(sid: number, count: number): Promise<void> {
  let groups: number[] = [];
  await waitFor(
    () => {
      void sessionGroups(sid).then((found) => (groups = found));
      return groups.length === count;
    },
    20_000,
    `${count} process group(s) in the session`,
  );
}

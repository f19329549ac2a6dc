// The batch script Crossdock writes, run by a real bash: hostile words reach the program intact
// and are never read by the shell, array tasks pick their own function, the container name is
// filled in per task, a failing preparation step stops the task, and the exit code comes back.
import { execa } from 'execa';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchScript, NAME_PLACEHOLDER } from '../../../electron/batch/slurm/batch-script';
import { outputPathOf, outputPattern, sbatchArgs } from '../../../electron/batch/slurm/sbatch-args';
import { shellQuote } from '../../../electron/batch/shell-quote';
import { SlurmRequestSchema } from '../../../shared/batch';

const dir = mkdtempSync(join(tmpdir(), 'crossdock-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const steps = (run: string[], extra: Partial<{ env: Record<string, string>; prepare: string[][] }> = {}) => ({ env: {}, prepare: [], stop: [], cleanup: [], run, ...extra });
const runScript = (script: string, env: Record<string, string> = {}) => execa('bash', ['-c', script], { reject: false, env: { PATH: process.env.PATH, ...env }, extendEnv: false });

describe('batch script', () => {
  const marker = join(dir, 'pwned');
  const hostile = [`'; touch ${marker}; '`, `$(touch ${marker})`, `\`touch ${marker}\``, '"$HOME"', 'a\nb', '*', '-e', ''];

  it('passes hostile words to the program as they are', async () => {
    const script = batchScript([{ title: `Docker, x'\n$(touch ${marker})`, steps: steps(['printf', '[%s]\\n', ...hostile], { env: { CROSSDOCK_X: `$(touch ${marker})` } }) }], { jobName: `n\n$(touch ${marker})` });
    const result = await runScript(script);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(hostile.map((word) => `[${word}]`).join('\n'));
    expect(existsSync(marker)).toBe(false);
  });

  it('gives each array task its own function and container name, and returns its exit code', async () => {
    const script = batchScript(
      [
        { title: 'a', steps: steps(['sh', '-c', `echo task0 ${NAME_PLACEHOLDER}; exit 0`]) },
        { title: 'b', steps: steps(['sh', '-c', `echo task1 ${NAME_PLACEHOLDER}; exit 3`]) },
      ],
      { jobName: 'x' },
    );
    const first = await runScript(script, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_JOB_ID: '12', SLURM_JOB_ID: '13' });
    expect(first).toMatchObject({ exitCode: 0, stdout: 'task0 crossdock-slurm-12-0' });
    const second = await runScript(script, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_JOB_ID: '12', SLURM_JOB_ID: '14' });
    expect(second).toMatchObject({ exitCode: 3, stdout: 'task1 crossdock-slurm-12-1' });
    const none = await runScript(script, { SLURM_ARRAY_TASK_ID: '7' });
    expect(none.exitCode).toBe(2);
  });

  it('stops a task whose preparation fails, and cleans up after the run', async () => {
    const failing = batchScript([{ title: 'x', steps: steps(['echo', 'ran'], { prepare: [['sh', '-c', 'exit 5']] }) }], { jobName: 'x' });
    expect(await runScript(failing)).toMatchObject({ exitCode: 5, stdout: '' });
    const cleaned = batchScript([{ title: 'x', steps: { ...steps(['sh', '-c', 'exit 4']), cleanup: [['sh', '-c', `echo cleaned > ${shellQuote(join(dir, 'cleaned')).slice(1, -1)}`]] } }], { jobName: 'x' });
    expect((await runScript(cleaned)).exitCode).toBe(4);
    expect(existsSync(join(dir, 'cleaned'))).toBe(true);
  });

  it('runs the stop commands when the job is signalled (time limit, scancel)', async () => {
    const stopped = join(dir, 'stopped');
    const script = batchScript([{ title: 'x', steps: { ...steps(['sleep', '30']), stop: [['touch', stopped]] } }], { jobName: 'x' });
    const child = execa('bash', ['-c', script], { reject: false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(existsSync(stopped)).toBe(true);
  });
});

describe('sbatch options', () => {
  it('puts every option in one argument and the script last', () => {
    const request = SlurmRequestSchema.parse({ partition: 'debug', timeLimitMinutes: 5, cpus: 2, memoryMb: 512, gpus: 1, jobName: 'a b; $(x)' });
    expect(sbatchArgs(request, { scriptPath: '/s/job.sh', outputPattern: '/o/slurm-%j.out', workdir: '/o', tasks: 1 })).toEqual([
      '--parsable', '--job-name=a b; $(x)', '--partition=debug', '--time=5', '--cpus-per-task=2', '--mem=512M', '--gres=gpu:1', '--output=/o/slurm-%j.out', '--chdir=/o', '/s/job.sh',
    ]);
    expect(sbatchArgs(SlurmRequestSchema.parse({}), { scriptPath: '/s', outputPattern: outputPattern('/o/', 3), workdir: '/o', tasks: 3 })).toContain('--array=0-2');
    expect(outputPathOf(outputPattern('/o', 3), '12', 2)).toBe('/o/slurm-12_2.out');
    expect(outputPathOf(outputPattern('/o', 1), '12', null)).toBe('/o/slurm-12.out');
  });

  it('refuses partition names and output folders that could mean something else', () => {
    expect(SlurmRequestSchema.safeParse({ partition: 'debug --uid=0' }).success).toBe(false);
    expect(SlurmRequestSchema.safeParse({ partition: '-p' }).success).toBe(false);
    expect(SlurmRequestSchema.safeParse({ outputDir: '/tmp/%u' }).success).toBe(false);
    expect(SlurmRequestSchema.safeParse({ jobName: 'a\nb' }).success).toBe(false);
  });
});

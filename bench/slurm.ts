// Slurm hand-off: from "Submit" to the job's first output line reaching a window, beside what a user
// does by hand (`sbatch` of the same script, then `tail -F` on its output file until the line shows).
// Both wait for Slurm's scheduler and for `docker run`; the difference is Crossdock's own part (its
// sbatch call, its polling of the output file, the stream to the window).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { createAppHost, type AppHost } from '../electron/host/app-host';
import type { JobOutputEvent } from '../shared/jobs';
import type { ImageSummary } from '../shared/model';
import { importIntoDocker } from '../test/fixtures/busybox-image';
import { onInterrupt } from './interrupt';
import { notMeasured, type BenchContext, type Row } from './report';
import { summarise } from './stats';

const ACTIVE = ['pending', 'starting', 'running', 'stopping'];

export async function slurmRows({ runs }: BenchContext): Promise<Row[]> {
  const sinfo = await execa('sinfo', ['--noheader', '--format=%T'], { reject: false, timeout: 15_000 }).catch((error: Error) => ({ exitCode: 1, stdout: '', stderr: error.message }));
  if (sinfo.exitCode !== 0 || !/^(idle|mixed|allocated|completing)/m.test(sinfo.stdout)) {
    return [notMeasured('Slurm: submit → first output line', `no Slurm node answers here (${String(sinfo.stderr).trim() || sinfo.stdout.trim() || 'sinfo failed'}); scripts/slurm-one-node.sh starts one`)];
  }
  const home = mkdtempSync(join(tmpdir(), 'crossdock-bench-slurm-'));
  const image = await importIntoDocker(new Dockerode({ socketPath: '/var/run/docker.sock' }));
  const reference = image.reference ?? image.id; // named by default; the id runs just as well
  const slurmIds = new Set<string>();
  const cleanup = async () => {
    if (slurmIds.size > 0) await execa('scancel', [...slurmIds], { reject: false });
    await image.cleanup().catch(() => undefined);
  };
  const forget = onInterrupt(cleanup);
  const host = createAppHost({
    env: { ...process.env, CROSSDOCK_CONFIG_DIR: join(home, 'config'), CROSSDOCK_DATA_DIR: join(home, 'data'), CROSSDOCK_RUNTIME_DIR: join(home, 'run') },
    log: () => undefined,
  });
  try {
    const listed = (await call(host, 'images.list', { engineId: 'docker' })) as ImageSummary[];
    const row = listed.find((candidate) => candidate.id === image.id || candidate.repoTags.includes(reference));
    if (!row) throw new Error(`the bench image ${reference} is not listed`);
    const spec = { engineId: 'docker', image: { imageId: row.id, reference: image.reference }, command: ['echo', 'first-line'] };
    const crossdock: number[] = [];
    const byHand: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      crossdock.push(await viaCrossdock(host, spec, slurmIds));
      byHand.push(await viaSbatchAndTail(home, reference, i, slurmIds));
    }
    return [
      {
        figure: 'Slurm: submit → first output line in the terminal',
        value: summarise(crossdock),
        baseline: { label: '`sbatch` the same script, `tail -F` its output file', value: summarise(byHand) },
        note: 'one-node Slurm on this machine, Docker `echo`; both include the scheduler and `docker run`',
      },
    ];
  } finally {
    await host.dispose();
    await cleanup();
    forget();
    rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}

async function call(host: AppHost, name: string, request: unknown): Promise<unknown> {
  const envelope = await host.router.call(name, request, { transport: 'web', signal: new AbortController().signal });
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.result;
}

async function viaCrossdock(host: AppHost, spec: object, slurmIds: Set<string>): Promise<number> {
  const started = performance.now();
  const [record] = (await call(host, 'slurm.submit', { specs: [spec], request: { timeLimitMinutes: 5 } })) as Array<{ id: string; batch: { jobId: string } | null }>;
  if (!record) throw new Error('slurm.submit answered no job');
  if (record.batch) slurmIds.add(record.batch.jobId);
  let firstMs = Number.NaN;
  const abort = new AbortController();
  for await (const event of host.streamHandlers['jobs.output']({ jobId: record.id, fromOffset: 0 }, abort.signal) as AsyncIterable<JobOutputEvent>) {
    if (event.type === 'output' && event.stream !== 'notice' && event.text.includes('first-line')) {
      firstMs = performance.now() - started;
      break;
    }
  }
  abort.abort();
  for (;;) {
    const job = (await call(host, 'jobs.get', { jobId: record.id })) as { state: string };
    if (!ACTIVE.includes(job.state)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await call(host, 'jobs.remove', { jobId: record.id }).catch(() => undefined);
  return firstMs;
}

/** What a user types: a script, `sbatch --parsable`, then `tail -F` until the line shows. */
async function viaSbatchAndTail(home: string, reference: string, index: number, slurmIds: Set<string>): Promise<number> {
  const script = join(home, `by-hand-${index}.sh`);
  const output = join(home, `by-hand-${index}.out`);
  writeFileSync(script, `#!/bin/sh\nexec docker run --rm --network none ${reference} echo first-line\n`, { mode: 0o755 });
  const started = performance.now();
  const tail = spawn('tail', ['-F', '-n', '+1', output], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const seen = new Promise<number>((resolve) => {
      let text = '';
      tail.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('first-line')) resolve(performance.now() - started);
      });
    });
    const submitted = await execa('sbatch', ['--parsable', '--time=5', `--output=${output}`, script]);
    slurmIds.add(submitted.stdout.trim().split(';')[0]!);
    return await seen;
  } finally {
    tail.kill();
  }
}

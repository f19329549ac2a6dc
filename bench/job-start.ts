// Job start: from the run request to the first byte of output reaching a window, per engine, beside
// the engine's own CLI running the command line Crossdock shows for the same spec (time from spawn
// to its first stdout byte). Both print one line and exit.
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { AppHost } from '../electron/host/app-host';
import { calls } from '../shared/contract';
import type { JobOutputEvent } from '../shared/jobs';
import type { RunSpecInput } from '../shared/run';

export interface StartSample {
  crossdockMs: number;
  cliMs: number | null;
  cliProblem: string | null;
}

async function call<K extends keyof typeof calls>(host: AppHost, name: K, request: unknown): Promise<unknown> {
  const envelope = await host.router.call(name, request, { transport: 'web', signal: new AbortController().signal });
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.result;
}

/**
 * `baselineFor` may replace the dialog's command line for the baseline when it cannot run by hand
 * as it is (udocker's names a container the job manager creates and removes around the run).
 */
export async function measureJobStart(
  host: AppHost,
  spec: RunSpecInput,
  env: NodeJS.ProcessEnv,
  baselineFor: (commandLine: string[]) => string[] = (line) => line,
): Promise<StartSample> {
  const started = performance.now();
  const record = (await call(host, 'jobs.run', { spec })) as { id: string; state: string; message: string | null };
  if (record.state === 'failed') throw new Error(`the job failed: ${record.message}`);
  let crossdockMs = Number.NaN;
  const abort = new AbortController();
  for await (const event of host.streamHandlers['jobs.output']({ jobId: record.id, fromOffset: 0 }, abort.signal) as AsyncIterable<JobOutputEvent>) {
    if (event.type === 'output' && event.stream !== 'notice' && event.text.length > 0) {
      crossdockMs = performance.now() - started;
      break;
    }
  }
  abort.abort();
  await waitUntilEnded(host, record.id);

  const preview = (await call(host, 'run.preview', { spec })) as { commandLine: string[] };
  const cli = await firstByteOf(baselineFor(preview.commandLine), env);
  return { crossdockMs, cliMs: cli.ms, cliProblem: cli.problem };
}

async function waitUntilEnded(host: AppHost, jobId: string): Promise<void> {
  for (;;) {
    const job = (await call(host, 'jobs.get', { jobId })) as { state: string };
    if (!['starting', 'running', 'stopping'].includes(job.state)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function firstByteOf(argv: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number | null; problem: string | null }> {
  return new Promise((resolve) => {
    if (argv.length === 0) return resolve({ ms: null, problem: 'no command line' });
    const started = performance.now();
    // A login shell's USER (ch-run insists on it), as the user running it by hand has.
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { USER: userInfo().username, ...env } });
    let first: number | null = null;
    let stderr = '';
    child.stdout.once('data', () => (first = performance.now() - started));
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()).slice(-2000));
    child.once('error', (error) => resolve({ ms: null, problem: error.message }));
    child.once('close', (code) => resolve(code === 0 && first !== null ? { ms: first, problem: null } : { ms: null, problem: `exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}` }));
  });
}

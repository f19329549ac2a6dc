// The test containers: Crossdock's probe image (the static ELF that exits 37, plus the one-line
// /etc/passwd and /etc/group udocker insists on) is imported once as crossdock-probe:1; then each
// execution mode runs it in a fresh container of its own (a container that failed to leave a mode
// stays in it, so sharing one would test the wrong mode), read back before the run. Modes run one
// after another, each with its own time limit, and their containers are removed afterwards.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTar } from '../docker-api/tar-archive';
import { PROBE_IMAGE_REFERENCE, probeExecutable, type ProbeArchitecture } from '../docker-api/probe-image';
import { runUdocker, udockerWords, type CliOutcome, type UdockerCli } from './cli';
import { classifyRun, classifySetup, EXEC_MODES, type ExecMode, type ModeResult } from './modes';

export const PROBE_CONTAINER_PREFIX = 'crossdock-probe-';

export function udockerProbeTar(arch: ProbeArchitecture): Buffer {
  return buildTar([
    { type: 'file', path: 'probe', content: probeExecutable(arch), mode: 0o755 },
    { type: 'directory', path: 'etc' },
    { type: 'file', path: 'etc/passwd', content: Buffer.from('root:x:0:0:root:/:/probe\n') },
    { type: 'file', path: 'etc/group', content: Buffer.from('root:x:0:\n') },
  ]);
}

export interface ProbeRun {
  cli: UdockerCli;
  runtimeDir: string;
  arch: ProbeArchitecture;
  signal: AbortSignal;
  /** Per udocker call. */
  stepTimeoutMs: number;
  /** Why S1 cannot be tried, or null when Apptainer/Singularity is there to try it with. */
  singularityMissing: string | null;
  imagePresent: boolean;
  log: (message: string) => void;
}

/** Imports the probe image unless it is there; throws with udocker's words when it cannot. */
export async function ensureProbeImage(run: ProbeRun): Promise<void> {
  if (run.imagePresent) return;
  await mkdir(run.runtimeDir, { recursive: true });
  const tar = join(run.runtimeDir, `udocker-probe-${randomBytes(4).toString('hex')}.tar`);
  await writeFile(tar, udockerProbeTar(run.arch));
  try {
    const outcome = await runUdocker(run.cli, ['import', tar, PROBE_IMAGE_REFERENCE], { signal: run.signal, timeoutMs: run.stepTimeoutMs });
    if (outcome.exitCode !== 0) {
      throw new Error(`udocker import of ${PROBE_IMAGE_REFERENCE} failed: ${outcome.timedOut ? 'timed out' : udockerWords(outcome)}`);
    }
    run.log(`udocker: imported the test image ${PROBE_IMAGE_REFERENCE}`);
  } finally {
    await rm(tar, { force: true });
  }
}

export async function probeModes(run: ProbeRun, modes: readonly ExecMode[] = EXEC_MODES): Promise<ModeResult[]> {
  const results: ModeResult[] = [];
  for (const mode of modes) {
    if (run.signal.aborted) break;
    if (mode === 'S1' && run.singularityMissing) {
      results.push({ mode, status: 'not-available', exitCode: null, reportedExitCode: null, detail: run.singularityMissing });
      continue;
    }
    results.push(await probeMode(run, mode));
  }
  return results;
}

async function probeMode(run: ProbeRun, mode: ExecMode): Promise<ModeResult> {
  const name = `${PROBE_CONTAINER_PREFIX}${mode.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const call = { signal: run.signal, timeoutMs: run.stepTimeoutMs };
  const fail = (detail: string): ModeResult => ({ mode, status: 'fails', exitCode: null, reportedExitCode: null, detail });
  const created = await runUdocker(run.cli, ['create', `--name=${name}`, PROBE_IMAGE_REFERENCE], call);
  if (created.exitCode !== 0) return fail(`create failed: ${created.timedOut ? 'timed out' : udockerWords(created)}`);
  try {
    const setup = await runUdocker(run.cli, ['setup', `--execmode=${mode}`, name], call);
    const readBack = await runUdocker(run.cli, ['setup', name], call);
    const setupFailure = classifySetup(mode, setup, readBack);
    if (setupFailure) return setupFailure;
    const args = ['run', '--nobanner', '--workdir=/', name, '/probe'];
    // The runc modes lose the container's exit code without a terminal (udocker 1.3 prints it only
    // in a Python repr, or not at all), and jobs in those modes always run in one: the probe tries
    // them the way jobs will use them.
    const outcome = mode.startsWith('R') ? await runUnderTerminal(run.cli, args, call) : await runUdocker(run.cli, args, call);
    return classifyRun(mode, outcome, run.stepTimeoutMs);
  } finally {
    // Removed even after an abort: a fresh signal-less call with its own limit.
    const removed = await runUdocker(run.cli, ['rm', '-f', name], { timeoutMs: run.stepTimeoutMs });
    if (removed.exitCode !== 0) run.log(`udocker: could not remove the test container ${name}: ${udockerWords(removed)}`);
  }
}

/** One udocker call in a pty, as an interactive job would make it, read back as a CliOutcome. */
async function runUnderTerminal(cli: UdockerCli, args: string[], call: { signal: AbortSignal; timeoutMs: number }): Promise<CliOutcome> {
  const outcome: CliOutcome = { exitCode: null, stdout: '', stderr: '', spawnError: null, timedOut: false, cancelled: false };
  let job;
  try {
    // Loaded when a runc mode is probed: detection of the other engines does not pay for it.
    const { spawnJob } = await import('../../jobs/process/spawn-job');
    job = await spawnJob({ file: cli.binaryPath, args: [...(cli.asRoot ? ['--allow-root'] : []), ...args], env: cli.env, tty: true, size: { cols: 120, rows: 24 } });
  } catch (error) {
    return { ...outcome, spawnError: error instanceof Error ? error.message : String(error) };
  }
  const stop = () => void job.kill();
  const timer = setTimeout(() => {
    outcome.timedOut = true;
    stop();
  }, call.timeoutMs);
  call.signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of job.output) if (outcome.stdout.length < 64 * 1024) outcome.stdout += chunk.data.toString('utf8');
    const exit = await job.exit;
    outcome.exitCode = exit.exitCode;
    outcome.cancelled = call.signal.aborted;
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', stop);
    await job.dispose();
  }
  outcome.stdout = outcome.stdout.replace(/\r\n/g, '\n').trim();
  return outcome;
}

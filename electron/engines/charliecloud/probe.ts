// Charliecloud's test container: a directory image holding Crossdock's probe executable (a static
// ELF that exits 37) and the few folders and files ch-run binds over (dev, proc, sys, tmp,
// etc/passwd, etc/group). Made once under Crossdock's runtime folder, checked before each use,
// world-readable so that any user may run it. Where mksquashfs is present the same root is also
// packed as a SquashFS image, to prove (or not) that ch-run mounts those.
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROBE_EXIT_CODE, probeExecutable, type ProbeArchitecture } from '../docker-api/probe-image';
import { firstLine, runProgram, type CliOutcome } from './cli';

export const PROBE_FOLDER = 'charliecloud-probe';
const EMPTY_FOLDERS = ['dev', 'proc', 'sys', 'tmp', 'etc', 'home', 'root', 'mnt'];
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\n';
const GROUP = 'root:x:0:\n';

/** The probe's directory image under `runtimeDir`, made (or remade) when missing or altered. */
export async function ensureProbeDirectory(runtimeDir: string, arch: ProbeArchitecture): Promise<string> {
  const base = join(runtimeDir, PROBE_FOLDER);
  const root = join(base, 'root');
  const executable = probeExecutable(arch);
  if (await isIntact(root, executable)) return root;
  await mkdir(base, { recursive: true, mode: 0o755 });
  await chmod(base, 0o755);
  const staging = await mkdtemp(join(base, 'root.new-'));
  try {
    await chmod(staging, 0o755);
    for (const folder of EMPTY_FOLDERS) await mkdir(join(staging, folder), { mode: folder === 'tmp' ? 0o1777 : 0o755 });
    await chmod(join(staging, 'tmp'), 0o1777);
    await writeFile(join(staging, 'etc', 'passwd'), PASSWD, { mode: 0o644 });
    await writeFile(join(staging, 'etc', 'group'), GROUP, { mode: 0o644 });
    await writeFile(join(staging, 'probe'), executable, { mode: 0o755 });
    await chmod(join(staging, 'probe'), 0o755);
    await rm(root, { recursive: true, force: true });
    await rename(staging, root);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    // Another detection made it meanwhile: use that one.
    if (await isIntact(root, executable)) return root;
    throw error;
  }
  return root;
}

async function isIntact(root: string, executable: Buffer): Promise<boolean> {
  try {
    const [probe, passwd, group] = await Promise.all([
      readFile(join(root, 'probe')),
      readFile(join(root, 'etc', 'passwd'), 'utf8'),
      readFile(join(root, 'etc', 'group'), 'utf8'),
    ]);
    return probe.equals(executable) && passwd === PASSWD && group === GROUP;
  } catch {
    return false;
  }
}

/**
 * Where ch-run mounts the SquashFS probe: a folder of Crossdock's own, so that the test does not
 * make ch-image's storage folder (/var/tmp/$USER.ch/mnt, ch-run's default) as a side effect.
 */
export async function ensureSquashfsMountPoint(root: string): Promise<string> {
  const path = join(root, '..', 'mnt');
  await mkdir(path, { recursive: true, mode: 0o755 });
  return path;
}

/** The probe root packed by mksquashfs next to it (made once), or null with the reason. */
export async function ensureProbeSquashfs(
  root: string,
  mksquashfs: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<{ path: string | null; message: string | null }> {
  const path = join(root, '..', 'probe.sqfs');
  const stamp = `${path}.done`;
  try {
    await readFile(stamp);
    return { path, message: null };
  } catch {
    // Not made yet.
  }
  const staging = `${path}.new-${process.pid}`;
  const made = await runProgram(mksquashfs, [root, staging, '-noappend', '-all-root', '-quiet', '-no-progress'], {
    env,
    signal,
    timeoutMs: 30_000,
  });
  if (made.exitCode !== 0) {
    await rm(staging, { force: true }).catch(() => undefined);
    return { path: null, message: `mksquashfs failed: ${firstLine(made.stderr || made.stdout) || describeOutcome(made)}` };
  }
  await chmod(staging, 0o644);
  await rename(staging, path);
  await writeFile(stamp, '');
  return { path, message: null };
}

export interface ProbeRun {
  exitCode: number | null;
  durationMs: number | null;
  /** ch-run's own words when the run did not give 37; null when it did. */
  message: string | null;
}

/** `ch-run IMAGE -- /probe` (or another command in the image), expecting 37. */
export async function runProbe(
  chRun: string,
  image: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  timeoutMs = 30_000,
  command: string[] = ['/probe'],
  options: string[] = [],
): Promise<ProbeRun> {
  const started = performance.now();
  const outcome = await runProgram(chRun, [...options, image, '--', ...command], { env, signal, timeoutMs });
  const durationMs = Math.round(performance.now() - started);
  if (outcome.exitCode === PROBE_EXIT_CODE) return { exitCode: outcome.exitCode, durationMs, message: null };
  return { exitCode: outcome.exitCode, durationMs, message: describeFailure(outcome, timeoutMs) };
}

function describeFailure(outcome: CliOutcome, timeoutMs: number): string {
  if (outcome.timedOut) return `the test container did not finish within ${Math.round(timeoutMs / 1000)} s`;
  if (outcome.cancelled) return 'the test container was cancelled';
  if (outcome.spawnError) return `ch-run could not be started (${outcome.spawnError})`;
  const words = firstLine(outcome.stderr);
  return `the test container exited ${outcome.exitCode ?? 'without a code'}, expected ${PROBE_EXIT_CODE}${words ? `: ${words}` : ''}`;
}

function describeOutcome(outcome: CliOutcome): string {
  if (outcome.timedOut) return 'timed out';
  if (outcome.spawnError) return `could not start (${outcome.spawnError})`;
  return `exit ${outcome.exitCode}`;
}

// Runs the apptainer (or singularity) binary: an argument array (never a shell), a time limit,
// the caller's abort signal and the host's environment. The outcome is returned, not thrown:
// Apptainer's fatal errors exit 255 with a "FATAL:" line on stderr, which callers read.
import { execa } from 'execa';

export interface ApptainerCli {
  binaryPath: string;
  env: NodeJS.ProcessEnv;
}

export interface CliOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Node's error code when the binary could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
  timedOut: boolean;
  cancelled: boolean;
}

export async function runApptainer(
  cli: ApptainerCli,
  args: string[],
  call: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<CliOutcome> {
  const result = await execa(cli.binaryPath, args, {
    env: cli.env,
    extendEnv: false,
    reject: false,
    timeout: call.timeoutMs ?? 60_000,
    ...(call.signal ? { cancelSignal: call.signal } : {}),
    stdin: 'ignore',
    stripFinalNewline: true,
    maxBuffer: 16 * 1024 * 1024,
  });
  const cause: unknown = result.cause;
  const spawnError =
    result.failed && result.exitCode === undefined
      ? typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
        ? cause.code
        : 'UNKNOWN'
      : null;
  return {
    exitCode: result.exitCode ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    spawnError,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
  };
}

/** "1.3.4" from `apptainer version`; also "apptainer version 1.3.4", "singularity-ce version 4.1.5", "3.8.7". */
export function parseVersion(stdout: string): string | null {
  const line = stdout.split('\n').find((candidate) => candidate.trim() !== '');
  if (!line) return null;
  const token = line.trim().split(/\s+/).pop() ?? '';
  const version = token.replace(/^v/, '');
  return /^\d+(\.\d+)*([-+.~][0-9A-Za-z.+~-]*)?$/.test(version) ? version.slice(0, 128) : null;
}

export interface CacheEntry {
  name: string;
  type: string;
}

/**
 * Rows of `apptainer cache list -v`: a table headed "NAME  DATE CREATED  SIZE  TYPE" whose rows
 * read "<name> <yyyy-mm-dd> <hh:mm:ss> <size> <unit> <type>", followed by summary sentences.
 */
export function parseCacheList(stdout: string): CacheEntry[] {
  const entries: CacheEntry[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 6 || !/^\d{4}-\d{2}-\d{2}$/.test(fields[1]!)) continue;
    entries.push({ name: fields[0]!, type: fields[5]! });
  }
  return entries;
}

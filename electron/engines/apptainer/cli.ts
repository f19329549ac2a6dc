// Runs the apptainer (or singularity) binary: an argument array (never a shell), a time limit,
// the caller's abort signal and the host's environment. The outcome is returned, not thrown:
// Apptainer's fatal errors exit 255 with a "FATAL:" line on stderr, which callers read.
import { runCli, type CliOutcome } from '../cli-runner';

export type { CliOutcome };

export interface ApptainerCli {
  binaryPath: string;
  env: NodeJS.ProcessEnv;
}

export function runApptainer(
  cli: ApptainerCli,
  args: string[],
  call: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<CliOutcome> {
  return runCli(cli.binaryPath, args, { ...call, env: cli.env });
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

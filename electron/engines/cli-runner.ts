// Runs an engine's command-line program, for every adapter that has one: an argument array (never
// a shell), a time limit, the caller's abort signal and an explicit environment. The outcome is
// returned, not thrown, so each adapter reads its program's exit code and words its own way.
import { execa } from 'execa';

export interface CliOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Node's error code when the program could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
  timedOut: boolean;
  cancelled: boolean;
}

export interface CliCall {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Bytes for the program's stdin; none means stdin is closed. */
  input?: Buffer;
}

/** Engines' JSON answers (an image list of thousands) fit; a runaway program does not fill memory. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export async function runCli(file: string, args: readonly string[], call: CliCall): Promise<CliOutcome> {
  const result = await execa(file, [...args], {
    env: call.env,
    extendEnv: false,
    reject: false,
    timeout: call.timeoutMs ?? 60_000,
    ...(call.signal ? { cancelSignal: call.signal } : {}),
    ...(call.input ? { input: call.input } : { stdin: 'ignore' as const }),
    stripFinalNewline: true,
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  return {
    exitCode: result.exitCode ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    spawnError: result.failed && result.exitCode === undefined ? spawnErrorOf(result.cause) : null,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
  };
}

/** The errno-style code of a failed start ("ENOENT"), or "UNKNOWN". */
export function spawnErrorOf(cause: unknown): string {
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return 'UNKNOWN';
}

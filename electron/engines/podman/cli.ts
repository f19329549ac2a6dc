// Runs the podman binary: an argument array (never a shell), a time limit, the caller's abort
// signal, and the host's environment. The outcome is returned, not thrown, so callers can read
// podman's exit code and stderr to decide what went wrong.
import { execa } from 'execa';

export interface PodmanCli {
  podmanPath: string;
  env: NodeJS.ProcessEnv;
}

export interface CliOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Node's error code when podman could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
  timedOut: boolean;
  cancelled: boolean;
}

export interface CliCall {
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: Buffer;
}

export async function runPodman(cli: PodmanCli, args: string[], call: CliCall = {}): Promise<CliOutcome> {
  const result = await execa(cli.podmanPath, args, {
    env: cli.env,
    extendEnv: false,
    reject: false,
    timeout: call.timeoutMs ?? 60_000,
    ...(call.signal ? { cancelSignal: call.signal } : {}),
    ...(call.input ? { input: call.input } : { stdin: 'ignore' as const }),
    stripFinalNewline: true,
    maxBuffer: 64 * 1024 * 1024,
  });
  const spawnCode = result.failed && result.exitCode === undefined ? errorCode(result.cause) : null;
  return {
    exitCode: result.exitCode ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    spawnError: spawnCode,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
  };
}

function errorCode(cause: unknown): string | null {
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return 'UNKNOWN';
}

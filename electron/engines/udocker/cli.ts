// Runs the udocker command: an argument array (never a shell), a time limit, the caller's abort
// signal, in a process group of its own. udocker starts proot or runc under it; killing udocker
// alone would leave those running, so a timeout or an abort kills the whole group. The outcome is
// returned, not thrown: callers read udocker's exit code and words to decide what went wrong.
import { execa } from 'execa';
import { reportChildProcess } from '../../process/child-report';
import { spawnErrorOf, type CliOutcome } from '../cli-runner';

export interface UdockerCli {
  binaryPath: string;
  /** The environment udocker runs with (see environment.ts). */
  env: NodeJS.ProcessEnv;
  /** udocker refuses root ("Error: do not run as root !") unless given --allow-root. */
  asRoot: boolean;
}

export type { CliOutcome };

export interface CliCall {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export function runUdocker(cli: UdockerCli, args: string[], call: CliCall = {}): Promise<CliOutcome> {
  return runInOwnGroup(cli.binaryPath, [...(cli.asRoot ? ['--allow-root'] : []), ...args], cli.env, call);
}

/** Runs `file` as the leader of a new process group; a timeout or an abort kills the group. */
export async function runInOwnGroup(file: string, args: string[], env: NodeJS.ProcessEnv, call: CliCall = {}): Promise<CliOutcome> {
  const child = execa(file, args, {
    env,
    extendEnv: false,
    reject: false,
    detached: true,
    stdin: 'ignore',
    stripFinalNewline: true,
    maxBuffer: 16 * 1024 * 1024,
  });
  // A transfer records it, so that a restart after a crash can end it (electron/process/child-report.ts).
  reportChildProcess(child.pid);
  let timedOut = false;
  let cancelled = false;
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, call.timeoutMs ?? 60_000);
  const onAbort = (): void => {
    cancelled = true;
    killGroup();
  };
  call.signal?.addEventListener('abort', onAbort, { once: true });
  if (call.signal?.aborted) onAbort();
  try {
    const result = await child;
    const spawnError = result.failed && result.exitCode === undefined && !timedOut && !cancelled ? spawnErrorOf(result.cause) : null;
    return {
      exitCode: timedOut || cancelled ? null : (result.exitCode ?? null),
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      spawnError,
      timedOut,
      cancelled,
    };
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onAbort);
  }
}


/** udocker's own words from an outcome: its "Error:" lines first, else the last lines it printed. */
export function udockerWords(outcome: Pick<CliOutcome, 'stdout' | 'stderr'>, maxLength = 300): string {
  const lines = `${outcome.stderr}\n${outcome.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !isBannerLine(line) && !isInstallNoise(line));
  const errors = lines.filter((line) => /^Error:/i.test(line));
  const chosen = errors.length > 0 ? [...new Set(errors)] : lines.slice(-2);
  const text = chosen.join('; ');
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text || 'no output';
}

function isBannerLine(line: string): boolean {
  return /^[*%#]+/.test(line) || /^executing:/.test(line) || /STARTING [0-9a-f-]+/.test(line);
}

/** The long help udocker prints each time it fails to download its tools. */
function isInstallNoise(line: string): boolean {
  return /^(Info: (udocker command line|searching for udockertools)|udocker command line interface version|requires udockertools)/.test(line);
}

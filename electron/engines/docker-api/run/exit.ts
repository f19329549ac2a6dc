// How a container's end is reported: its exit status, the signal behind a 128 + n status, and the
// start failures that are not refusals but a program that could not be run (126, 127), as
// `docker run` and `podman run` report them.
import { constants } from 'node:os';
import type { JobExit } from '../../../jobs/runner';

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/**
 * The engines report a program ended by signal n as 128 + n (137 for SIGKILL, 143 for SIGTERM).
 * A program that itself exits 137 reads the same; the API does not tell them apart.
 */
export function signalOf(exitCode: number): string | null {
  return exitCode > 128 ? (SIGNAL_NAMES.get(exitCode - 128) ?? null) : null;
}

export function exitedWith(exitCode: number, message: string | null = null): JobExit {
  return { outcome: 'exited', exitCode, signal: signalOf(exitCode), message };
}

export function engineLost(message: string): JobExit {
  return { outcome: 'engine-lost', exitCode: null, signal: null, message };
}

/**
 * Whether a refused start means "the program could not be run" and with which status. Docker
 * sets 127 (not found) or 126 (not executable) on the container itself; Podman leaves it at 0 and
 * says so only in its message, from which its own CLI derives the same codes.
 */
export function programFailureCode(containerExitCode: number | null, engineMessage: string): 126 | 127 | null {
  if (containerExitCode === 127 || containerExitCode === 126) return containerExitCode;
  if (/executable file not found|command that was not found|exec: "[^"]*": stat [^:]*: no such file or directory/i.test(engineMessage)) return 127;
  if (/OCI permission denied|exec: "[^"]*": permission denied/i.test(engineMessage)) return 126;
  return null;
}

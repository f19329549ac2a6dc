// podman's failures (exit codes and "Error: ..." lines on stderr) as ApiErrors.
import { ApiError } from '../../../shared/errors';
import type { CliOutcome } from './cli';

export interface CliErrorContext {
  engineId: string;
  /** The image the call was about, named in "not found" messages. */
  subject?: string;
}

/** podman's last "Error: ..." line, which is the one that says why. */
export function podmanWords(outcome: CliOutcome): string {
  const lines = outcome.stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const errorLine = [...lines].reverse().find((line) => line.startsWith('Error:'));
  const text = errorLine ?? lines.at(-1) ?? `podman exited with ${String(outcome.exitCode)}`;
  return text.replace(/^Error:\s*/, '');
}

export function toCliError(outcome: CliOutcome, context: CliErrorContext): ApiError {
  const extra = { engineId: context.engineId };
  if (outcome.spawnError === 'ENOENT') return new ApiError('engine-unavailable', 'Podman is not installed: the podman program is not on PATH.', extra);
  if (outcome.spawnError === 'EACCES') return new ApiError('permission-denied', 'Crossdock may not run the podman program (EACCES).', extra);
  if (outcome.spawnError) return new ApiError('engine-unavailable', `podman could not be started (${outcome.spawnError}).`, extra);
  if (outcome.cancelled) return new ApiError('cancelled', 'The request was cancelled.', extra);
  if (outcome.timedOut) return new ApiError('timeout', 'podman did not finish in time.', extra);

  const words = podmanWords(outcome);
  if (/image not known|no such image|image not found/i.test(words)) {
    const subject = context.subject ? `image ${context.subject}` : 'the image';
    return new ApiError('not-found', `${subject} is no longer in Podman — removed outside Crossdock? (${words})`, extra);
  }
  // `podman rmi` exits 2 when a container uses the image, and refuses (125) to delete by id an
  // image with several names without --force: both are the image's state, as Docker's 409s are.
  if (outcome.exitCode === 2 || /in use by a container|image is in use|please force removal|must force/i.test(words)) {
    return new ApiError('conflict', words, extra);
  }
  if (/permission denied/i.test(words)) return new ApiError('permission-denied', words, extra);
  return new ApiError('internal', `Podman: ${words}`, extra);
}

// How a runner's exit becomes a job's final state, and the one line the terminal shows about it.
import type { JobState } from '../../shared/jobs';
import type { JobExit } from './runner';

export function finalState(exit: JobExit, context: { stopRequested: boolean; quitting: boolean }): JobState {
  if (context.quitting && context.stopRequested) return 'interrupted';
  if (exit.outcome === 'failed') return 'failed';
  if (exit.outcome === 'engine-lost') return 'engine-lost';
  return context.stopRequested ? 'killed' : 'exited';
}

/** What the program's exit status conventionally means (shells, and the engines' own CLIs). */
export function exitMeaning(exitCode: number | null): string | null {
  switch (exitCode) {
    case 126:
      return 'command cannot be executed';
    case 127:
      return 'command not found';
    case 137:
      return 'killed by SIGKILL';
    case 143:
      return 'ended by SIGTERM';
    default:
      return exitCode !== null && exitCode > 128 && exitCode < 160 ? `ended by signal ${exitCode - 128}` : null;
  }
}

/** A dimmed line at the end of the terminal; null when the exit speaks for itself (exit 0). */
export function endNotice(state: JobState, exit: JobExit, message: string | null): string | null {
  const code = exit.exitCode === null ? '' : ` ${exit.exitCode}`;
  const meaning = exitMeaning(exit.exitCode);
  const because = message ? `: ${message}` : '';
  switch (state) {
    case 'exited':
      if (exit.exitCode === 0 && !message) return null;
      return `\r\n[exited${code}${meaning ? ` (${meaning})` : ''}${because}]\r\n`;
    case 'killed':
      return `\r\n[killed${code ? `, exit${code}` : ''}${meaning ? ` (${meaning})` : ''}]\r\n`;
    case 'failed':
      return `\r\n[failed to start${because}]\r\n`;
    case 'engine-lost':
      return `\r\n[the engine was lost while the job ran${because}]\r\n`;
    case 'interrupted':
      return `\r\n[interrupted${because}]\r\n`;
    case 'timeout':
      return `\r\n[timeout: the batch system ended the job at its time limit${because}]\r\n`;
    case 'cancelled':
      return `\r\n[cancelled${because}]\r\n`;
    default:
      return null;
  }
}

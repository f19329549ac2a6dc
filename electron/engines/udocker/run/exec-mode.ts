// Which execution mode a run uses, and how the mode changes the way udocker must be started.
import { ApiError } from '../../../../shared/errors';
import { EXEC_MODES, type ExecMode, type ModeResult } from '../modes';

export function isExecMode(value: string): value is ExecMode {
  return (EXEC_MODES as readonly string[]).includes(value);
}

/**
 * The spec's mode, or detection's default: P1 when its test container worked, else the first mode
 * that did, else P1 (udocker's own default, what a fresh container has).
 */
export function chooseMode(requested: string | null, results: readonly ModeResult[] | null, engineId: string): ExecMode {
  if (requested !== null) {
    if (!isExecMode(requested)) {
      throw new ApiError('invalid-request', `udocker has no execution mode ${requested} (it has ${EXEC_MODES.join(', ')}).`, { engineId });
    }
    return requested;
  }
  const working = (results ?? []).filter((result) => result.status === 'works').map((result) => result.mode);
  return working.includes('P1') ? 'P1' : (working[0] ?? 'P1');
}

/**
 * The runc modes (R1, R2, R3) need a terminal: without one, udocker 1.3 runs runc through a pty of
 * its own, reads it one byte per select() and stops reading once runc ended (the end of the output
 * is lost: 2171 of 3000 lines in a test), then exits 1 with runc's code only in a Python repr
 * ("<Popen: returncode: 3 ...>"). With a terminal it calls runc directly and returns its code.
 */
export function needsTerminal(mode: ExecMode): boolean {
  return mode.startsWith('R');
}

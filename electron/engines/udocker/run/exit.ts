// How a `udocker run` ended, from its exit code and the last of its stderr (or of its terminal
// stream). udocker answers with the container's own exit code, except where it says otherwise
// (udocker 1.3.17, every mode family):
// - its own refusals exit 1, 2 or 4 after an "Error: ..." line (a bind source that is missing, a
//   working folder the image lacks, no proot or runc): the job never ran, outcome "failed".
// - a program that is not in the image is refused by udocker before any engine starts, with exit 2
//   and "Error: command not found or has no execute bit set": reported as exit 127, as Docker's
//   CLI and a shell do. (A shell inside the container that cannot find a program exits 127 itself.)
// - proot exits 255 when the program was killed by a signal and says "proot info: pid N:
//   terminated with signal S" last: reported as 128 + S with the signal, as a shell does.
// - the runc modes without a terminal exit 1 with runc's code in a Python repr; the runner gives
//   them a terminal, and this reads the repr should one come anyway.
import { constants } from 'node:os';
import type { JobExit } from '../../../jobs/runner';

export interface ExitFacts {
  exitCode: number | null;
  signal: string | null;
  stderrTail: string;
}

const COMMAND_NOT_FOUND = /^Error: command not found or has no execute bit set:.*$/m;

/**
 * The "Error:" lines udocker itself prints on the way to starting a container (from its sources:
 * engine/*.py, cli.py do_run, helper/, utils/). A program in the container that prints one of
 * these exact lines and exits 1, 2 or 4 would be taken for udocker: the price of udocker giving
 * no other sign.
 */
const UDOCKER_RUN_ERRORS = [
  'invalid host volume path',
  'invalid container volume path',
  'creating mountpoint',
  'creating container mountpoint',
  'host and container volume paths not same type',
  'invalid working directory',
  'invalid syntax for user',
  'user not found',
  'host and container architectures mismatch',
  'this container exposes privileged TCP/IP ports',
  'no execution engine for this execmode',
  'image or container not available',
  'container id or name not found',
  'invalid container name',
  'proot executable not found',
  'runc or crun executable not found',
  'apptainer or singularity executable not found',
  'libfakechroot not found',
  'patchelf executable not found',
  'engine does not support file mounting',
  'device not found',
  'not a device',
  'file is not executable',
  'no such file',
  'sh not found',
  'in unshare',
  'setting ids and groups',
  'original loader not found',
  'in loader copy',
  'creating dir',
  'container setup failed',
];
const UDOCKER_ERROR_LINE = new RegExp(`^Error: (${UDOCKER_RUN_ERRORS.map(escape).join('|')})\\b.*$`, 'gm');
const UDOCKER_ERROR_CODES = new Set([1, 2, 4]);
const PROOT_SIGNAL = /proot info: pid \d+: terminated with signal (\d+)\s*$/;
const POPEN_REPR = /<Popen: returncode: (-?\d+|None)\b[^\n]*>\s*$/;

export function classifyUdockerExit(facts: ExitFacts): JobExit | null {
  if (facts.signal !== null || facts.exitCode === null) return null;
  // A pty's lines end in \r\n.
  const tail = facts.stderrTail.replace(/\r/g, '');
  if (facts.exitCode === 2) {
    const notFound = COMMAND_NOT_FOUND.exec(tail);
    if (notFound) return { outcome: 'exited', exitCode: 127, signal: null, message: tidy(notFound[0]) };
  }
  if (UDOCKER_ERROR_CODES.has(facts.exitCode)) {
    const errors = [...new Set(tail.match(UDOCKER_ERROR_LINE) ?? [])].map(tidy);
    if (errors.length > 0) return { outcome: 'failed', exitCode: facts.exitCode, signal: null, message: `udocker: ${errors.join('; ')}` };
  }
  if (facts.exitCode === 255) {
    const killed = PROOT_SIGNAL.exec(tail.trimEnd());
    if (killed) return bySignal(Number(killed[1]));
  }
  if (facts.exitCode === 1) {
    const repr = POPEN_REPR.exec(tail.trimEnd());
    if (repr?.[1] !== undefined) {
      if (repr[1] === 'None') return { outcome: 'exited', exitCode: null, signal: null, message: 'udocker lost runc\'s exit code (it ran without a terminal)' };
      const code = Number(repr[1]);
      // Python's negative returncode is a signal.
      return code < 0 ? bySignal(-code) : { outcome: 'exited', exitCode: code, signal: null, message: null };
    }
  }
  return null;
}

function bySignal(number: number): JobExit {
  const name = Object.entries(constants.signals).find(([, value]) => value === number)?.[0] ?? null;
  return { outcome: 'exited', exitCode: 128 + number, signal: name, message: null };
}

function tidy(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

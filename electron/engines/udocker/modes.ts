// udocker's execution modes and what one test run in a mode tells. A mode "works" only when the
// probe's exit code (37) came back as udocker's own; the R modes (runc) without a terminal exit 1
// and print runc's real code inside a Python repr ("<Popen: returncode: 37 args: [...]>"): the
// container ran, but a caller cannot read its exit code. A failed `setup --execmode` leaves the
// previous mode in place, so a mode counts as tried only when `udocker setup NAME` reads it back.
import { PROBE_EXIT_CODE } from '../docker-api/probe-image';
import { udockerWords, type CliOutcome } from './cli';

export const EXEC_MODES = ['P1', 'P2', 'R1', 'R2', 'R3', 'F1', 'F2', 'F3', 'F4', 'S1'] as const;
export type ExecMode = (typeof EXEC_MODES)[number];

export type ModeStatus = 'works' | 'exit-code-lost' | 'fails' | 'not-available';

export interface ModeResult {
  mode: ExecMode;
  status: ModeStatus;
  /** The exit code udocker itself returned, or null when the run was not made or did not end. */
  exitCode: number | null;
  /** The container's own code where udocker printed it in a repr (R modes). */
  reportedExitCode: number | null;
  /** Why, in udocker's words; empty when the mode works. */
  detail: string;
}

/** "execmode: P1" from `udocker setup NAME`; null when the output has no such line. */
export function parseExecMode(output: string): ExecMode | null {
  const match = /^\s*execmode:\s*([A-Z]\d)\s*$/m.exec(output);
  const mode = match?.[1];
  return mode && (EXEC_MODES as readonly string[]).includes(mode) ? (mode as ExecMode) : null;
}

/** runc's code from udocker's "<Popen: returncode: 37 args: ...>" line, or null. */
export function parsePopenReturnCode(text: string): number | null {
  const match = /<Popen: returncode: (-?\d+)\b/.exec(text);
  return match?.[1] !== undefined ? Number(match[1]) : null;
}

/** The outcome of `setup --execmode=MODE` read back through `udocker setup NAME`. */
export function classifySetup(mode: ExecMode, setup: CliOutcome, readBack: CliOutcome): ModeResult | null {
  const actual = parseExecMode(readBack.stdout);
  if (setup.exitCode === 0 && actual === mode) return null;
  const words = setup.timedOut ? 'timed out' : udockerWords(setup);
  const stayed = actual ? `the container stayed in ${actual}` : `the mode could not be read back (${udockerWords(readBack)})`;
  return { mode, status: 'fails', exitCode: null, reportedExitCode: null, detail: `setup --execmode=${mode} failed: ${words}; ${stayed}` };
}

/** The outcome of `udocker run NAME /probe` in a mode that was confirmed switched. */
export function classifyRun(mode: ExecMode, run: CliOutcome, timeoutMs: number): ModeResult {
  const base = { mode, exitCode: run.exitCode };
  if (run.timedOut) return { ...base, status: 'fails', reportedExitCode: null, detail: `no answer within ${Math.round(timeoutMs / 1000)} s` };
  if (run.cancelled) return { ...base, status: 'fails', reportedExitCode: null, detail: 'cancelled' };
  if (run.spawnError) return { ...base, status: 'fails', reportedExitCode: null, detail: `udocker could not be started (${run.spawnError})` };
  const reported = parsePopenReturnCode(`${run.stderr}\n${run.stdout}`);
  if (run.exitCode === PROBE_EXIT_CODE) return { ...base, status: 'works', reportedExitCode: reported ?? PROBE_EXIT_CODE, detail: '' };
  if (reported === PROBE_EXIT_CODE) {
    return {
      ...base,
      status: 'exit-code-lost',
      reportedExitCode: reported,
      detail: `udocker exited ${run.exitCode ?? 'without a code'}, the container's ${PROBE_EXIT_CODE} only in runc's Python repr; kept under a terminal`,
    };
  }
  const words = udockerWords({ stdout: run.stdout, stderr: run.stderr.replace(/<Popen: [^\n]*>/g, '') });
  return { ...base, status: 'fails', reportedExitCode: reported, detail: `exit ${run.exitCode ?? '?'} instead of ${PROBE_EXIT_CODE}: ${words}` };
}

/** One line for the probe message: "P1 ok (37); R1 exit code lost (...); R2 fails: ...". */
export function summarizeModes(results: ModeResult[]): string {
  return results
    .map((result) => {
      switch (result.status) {
        case 'works':
          return `${result.mode} ok (${PROBE_EXIT_CODE})`;
        case 'exit-code-lost':
          return `${result.mode} exit code lost (${result.detail})`;
        case 'fails':
          return `${result.mode} fails: ${result.detail}`;
        case 'not-available':
          return `${result.mode} not available: ${result.detail}`;
      }
    })
    .join('; ');
}

/** The scheduler-style attributes the probe proved; only modes that ran are advertised. */
export function modeAttributes(results: ModeResult[]): Record<string, string | boolean> {
  const of = (status: ModeStatus) => results.filter((result) => result.status === status).map((result) => result.mode);
  const working = of('works');
  const attributes: Record<string, string | boolean> = {
    HasOCI: true,
    Daemonless: true,
    Rootless: true,
    ImageFormats: 'docker,oci',
    // Documented, not proven here (no GPU): udocker copies the host's driver libraries into the container.
    GpuFlag: 'setup --nvidia',
    ExecModes: working.join(','),
    ExecModesExitCodeLost: of('exit-code-lost').join(','),
    ExecModesFailed: of('fails').join(','),
    ExecModesNotAvailable: of('not-available').join(','),
  };
  const preferred = working.includes('P1') ? 'P1' : working[0];
  if (preferred) attributes.DefaultExecMode = preferred;
  return attributes;
}

// What udocker's runs can do, and the execution modes as detection found them. Each mode is ready
// when its test container returned exit code 37: as udocker's own exit code ("works"), or, for the
// runc modes, only inside udocker's Python repr when it ran without a terminal ("exit-code-lost").
// The runner runs those modes under a pty, where udocker passes runc's code on (exec-mode.ts), so
// they are ready too, with a label that says their output comes as one terminal stream.
import type { ExecutionMode, RunCapabilities } from '../../../../shared/run';
import { EXEC_MODES, type ExecMode, type ModeResult } from '../modes';
import { needsTerminal } from './exec-mode';

/** What each mode is, in udocker's words (`udocker setup --help`). */
const MODE_LABELS: Record<ExecMode, string> = {
  P1: 'P1: proot, accelerated with seccomp (udocker\'s default)',
  P2: 'P2: proot without seccomp acceleration',
  F1: 'F1: fakechroot, executables started through the loader',
  F2: 'F2: fakechroot with a protected environment and modified ld.so',
  F3: 'F3: fakechroot with patched ELF headers',
  F4: 'F4: fakechroot with ELF headers patched on the fly',
  R1: 'R1: runc in rootless namespaces',
  R2: 'R2: proot on top of runc',
  R3: 'R3: proot without seccomp on top of runc',
  S1: 'S1: Singularity/Apptainer',
};

const TERMINAL_NOTE = ' (runs in a terminal: stdout and stderr come merged)';

export function executionModes(results: readonly ModeResult[] | null): ExecutionMode[] {
  return EXEC_MODES.map((mode) => {
    const result = results?.find((candidate) => candidate.mode === mode);
    const ready = result?.status === 'works' || result?.status === 'exit-code-lost';
    const label = `${MODE_LABELS[mode]}${needsTerminal(mode) ? TERMINAL_NOTE : ''}`;
    return { id: mode, label, ready };
  });
}

export function udockerCapabilities(results: readonly ModeResult[] | null): RunCapabilities {
  return {
    tty: { supported: true, note: null },
    // udocker creates no network namespace in any mode: the container uses the host's network.
    networks: ['default', 'host'],
    gpu: { supported: true, note: 'udocker setup --nvidia copies the host\'s NVIDIA libraries into the container; not verifiable here (no GPU in the tests)' },
    user: { supported: true, note: 'proot and fakechroot emulate the user; files are written with your own uid' },
    workdir: { supported: true, note: null },
    readOnlyBinds: { supported: false, note: 'udocker\'s --volume has no read-only option: a bind is always writable' },
    ports: { supported: false, note: 'udocker shares the host\'s network; its --publish remaps ports only in the P modes, for ports below 1024, and is not offered here' },
    exec: { supported: false, note: 'udocker has no exec into a running container' },
    reattach: false,
    modes: executionModes(results),
  };
}

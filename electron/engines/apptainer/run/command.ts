// How a RunSpec becomes an Apptainer (or SingularityCE) command line, what of a RunSpec it can
// honour, and how its own refusals are told apart from the program's exit.
//
//   [env APPTAINERENV_NAME=VALUE...] apptainer exec|run --containall [--bind SRC:DST[:ro]]...
//       [--pwd DIR] [--env NAME=VALUE]... [--nv] [--net --network none] IMAGE [CMD...]
//
// - `exec IMAGE CMD` runs a program; an empty command is `run IMAGE`, the image's runscript.
// - --containall, as detection's probe runs: no home, /tmp or environment of the host leak in.
// - --env is parsed by Apptainer's flag library (a key=value map: commas, further "=" and
//   surrounding double quotes change its meaning), so only plain values go there; any other is
//   passed as APPTAINERENV_NAME in the environment of the apptainer process, which Apptainer sets
//   in the container without its prefix, byte for byte. The command line shows it as `env ...`,
//   and is run exactly so.
// - Apptainer runs as the calling user: there is no --user. GPUs are --nv (the host's NVIDIA
//   driver libraries bound in), documented, not verifiable here. --net needs root (or a network
//   configuration an administrator allowed), so "none" is offered to root only; "default" and
//   "host" are both the host's network, Apptainer's default.
// - Fatal errors exit 255 with a "FATAL:" line; a program not found in the image is one of them
//   ("executable file not found in $PATH"), reported as 127 as the contract asks.
import type { RunCapabilities, RunSpec } from '../../../../shared/run';
import type { JobExit } from '../../../jobs/runner';

export function apptainerRunCapabilities(asRoot: boolean): RunCapabilities {
  return {
    tty: { supported: true, note: null },
    networks: asRoot ? ['default', 'host', 'none'] : ['default', 'host'],
    gpu: { supported: true, note: 'Through --nv (the host\'s NVIDIA driver libraries): not verified on this machine.' },
    user: { supported: false, note: 'Apptainer runs the container as you; it has no option to run as another user.' },
    workdir: { supported: true, note: null },
    readOnlyBinds: { supported: true, note: null },
    ports: { supported: false, note: 'Apptainer containers share the host\'s network: a program listens on the host\'s ports directly (port mapping needs root and --network-args).' },
    exec: { supported: false, note: 'A job is not an Apptainer instance: there is no running container to open a shell in.' },
    reattach: false,
    modes: [],
  };
}

/** What in a spec Apptainer cannot do, in words for the job's message; empty when it can run it. */
export function apptainerRunProblems(spec: RunSpec, location: string | undefined, asRoot: boolean): string[] {
  const problems: string[] = [];
  if (!location) problems.push('this image has no file or folder to run.');
  if (spec.user !== null) problems.push(apptainerRunCapabilities(asRoot).user.note!);
  if (spec.network === 'none' && !asRoot) problems.push('Apptainer\'s --net (--network none) needs root.');
  if (spec.executionMode !== null) problems.push('Apptainer has a single way of running here (no execution modes).');
  return problems;
}

/** A value --env carries unchanged: no "=", ",", double quote or line break. */
export function plainEnvValue(value: string): boolean {
  return !/[=,"\n\r]/.test(value);
}

/** The whole command line, program first (`env` when some variables travel in the environment). */
export function apptainerArgv(binary: string, spec: RunSpec, location: string): string[] {
  const prefix: string[] = [];
  const args: string[] = [spec.command.length === 0 ? 'run' : 'exec', '--containall'];
  for (const bind of spec.binds) args.push('--bind', `${bind.hostPath}:${bind.containerPath}${bind.readOnly ? ':ro' : ''}`);
  if (spec.workdir !== null) args.push('--pwd', spec.workdir);
  for (const variable of spec.env) {
    if (plainEnvValue(variable.value)) args.push('--env', `${variable.name}=${variable.value}`);
    else prefix.push(`APPTAINERENV_${variable.name}=${variable.value}`);
  }
  if (spec.gpu) args.push('--nv');
  if (spec.network === 'none') args.push('--net', '--network', 'none');
  args.push(location, ...spec.command);
  return prefix.length > 0 ? ['env', ...prefix, binary, ...args] : [binary, ...args];
}

/** Apptainer's own refusal (exit 255, a last "FATAL:" line); null when the program's exit stands. */
export function classifyApptainerExit(exit: { exitCode: number | null; signal: string | null; stderrTail: string }): JobExit | null {
  if (exit.exitCode !== 255 || exit.signal !== null) return null;
  const last = exit.stderrTail.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '').at(-1);
  if (!last?.startsWith('FATAL:')) return null;
  const words = last.replace(/^FATAL:\s*/, '');
  if (/executable file not found in \$PATH|: no such file or directory$/.test(words)) {
    return { outcome: 'exited', exitCode: 127, signal: null, message: words };
  }
  return { outcome: 'failed', exitCode: 255, signal: null, message: `apptainer: ${words}` };
}

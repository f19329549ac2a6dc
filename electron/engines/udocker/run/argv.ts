// The udocker command lines of one job, as argument arrays (never a shell). A run is three udocker
// calls: `create --name=NAME IMAGE`, `setup --execmode=MODE NAME` (and `setup --nvidia NAME` for a
// GPU), then `run [options] NAME [command...]`; only the last is the job's process, the first two
// are done by start() before it (container.ts).
//
// udocker's own option parser (udocker/cmdparser.py, 1.3.17) shapes this file:
// - options are read up to the first word that is not an option: the container name. But a word
//   right after one that ends in "=" (`--env=EMPTY=`) is taken for that option's value, and the
//   scan goes on into the command's own arguments. So the last option before the name is always
//   `--nobanner`, which never ends in "=", and the command's `--env=...` stays the command's.
// - every option is written `--name=value` in one word: the two-word form (`-v SRC:DST`) lets
//   udocker consume the following word, whatever it is.
// - empty words are dropped and option values are whitespace-stripped (refusals.ts refuses specs
//   that would be changed by that, instead of running something else).
import type { RunSpec } from '../../../../shared/run';

/** `udocker create --name=NAME IMAGE`: extracts the image into a new container folder. */
export function createArgs(name: string, imageReference: string): string[] {
  return ['create', `--name=${name}`, imageReference];
}

/** `udocker setup --execmode=MODE NAME`. */
export function setupModeArgs(name: string, mode: string): string[] {
  return ['setup', `--execmode=${mode}`, name];
}

/** `udocker setup --nvidia NAME`: copies the host's NVIDIA libraries into the container. */
export function setupNvidiaArgs(name: string): string[] {
  return ['setup', '--nvidia', name];
}

/** `udocker setup NAME` prints "execmode: P1" and "nvidiamode: True|False" (the read-back). */
export function readSetupArgs(name: string): string[] {
  return ['setup', name];
}

/** `udocker rm -f NAME`. */
export function removeArgs(name: string): string[] {
  return ['rm', '-f', name];
}

/**
 * `udocker run [options] NAME [command...]`. `--pull=never`: udocker takes a name it does not
 * know for an image to pull, and would go to Docker Hub for a container removed meanwhile.
 * Network, tty and GPU have no run option: udocker shares the host's network, the terminal is the
 * pty the job runs in, the GPU is a setup step.
 */
export function runArgs(spec: RunSpec, name: string): string[] {
  const args = ['run', '--pull=never'];
  if (spec.workdir !== null) args.push(`--workdir=${spec.workdir}`);
  if (spec.user !== null) args.push(`--user=${spec.user}`);
  // udocker's volume syntax is HOST:CONTAINER; it has no ":ro" (see capabilities.ts).
  for (const bind of spec.binds) args.push(`--volume=${bind.hostPath}:${bind.containerPath}`);
  for (const variable of spec.env) args.push(`--env=${variable.name}=${variable.value}`);
  // Last before the name: see the parser note at the top.
  args.push('--nobanner', name, ...spec.command);
  return args;
}

/** udocker refuses to run as root unless told; the flag goes before the subcommand. */
export function withRootFlag(asRoot: boolean, args: string[]): string[] {
  return asRoot ? ['--allow-root', ...args] : args;
}

// How a RunSpec becomes a `podman run` command line (the CLI route, used when no API socket can
// be had), and how podman's own failures are told apart from the container's exit.
//
//   podman run --name NAME --pull never [--rm] [-i -t] [--network MODE] [-e NAME=VALUE]...
//              [-v SRC:DST[:ro]]... [-p HOST:CTR/PROTO]... [-w DIR] [-u USER] [--device nvidia.com/gpu=all] IMAGE [CMD...]
//
// podman-run(1), "Exit Status": 125 is podman's own error (no such image, a bad option), 126 a
// command that cannot be invoked, 127 a command that cannot be found; anything else is the
// container's. 125 with podman's "Error: ..." line is a refusal (outcome "failed"); 126 and 127
// stay exits, as the contract asks. `--pull never` keeps a run from reaching for a registry: a
// missing image is refused at once.
import { randomBytes } from 'node:crypto';
import type { RunCapabilities, RunSpec } from '../../../../shared/run';
import type { JobExit } from '../../../jobs/runner';

export const PODMAN_CLI_RUN_CAPABILITIES: RunCapabilities = {
  tty: { supported: true, note: null },
  networks: ['default', 'none', 'host'],
  gpu: { supported: true, note: 'Through CDI (--device nvidia.com/gpu=all): needs the NVIDIA Container Toolkit\'s CDI specification on this machine.' },
  user: { supported: true, note: null },
  workdir: { supported: true, note: null },
  readOnlyBinds: { supported: true, note: null },
  ports: { supported: true, note: null },
  exec: { supported: true, note: null },
  reattach: false,
  modes: [],
};

/** A container name of Crossdock's own, known before podman answers (stop, kill, exec use it). */
export function newContainerName(): string {
  return `crossdock-${randomBytes(6).toString('hex')}`;
}

/** What the CLI route cannot do with a spec, in words for the job's message. */
export function podmanRunProblems(spec: RunSpec): string[] {
  return spec.executionMode !== null ? ['Podman has a single way of running (no execution modes).'] : [];
}

/** The image as podman run names it: the tag the row stands for, else its id. Never starts with "-". */
export function imageArgument(spec: RunSpec): string {
  const name = spec.image.reference ?? spec.image.imageId.replace(/^sha256:/, '');
  if (name.startsWith('-')) throw new Error(`not an image name: ${name}`);
  return name;
}

/** `podman run`'s arguments after the program name. */
export function podmanRunArgs(spec: RunSpec, name: string): string[] {
  const args = ['run', '--name', name, '--pull', 'never'];
  if (spec.remove) args.push('--rm');
  if (spec.tty) args.push('-i', '-t');
  if (spec.network !== 'default') args.push('--network', spec.network);
  for (const variable of spec.env) args.push('-e', `${variable.name}=${variable.value}`);
  for (const bind of spec.binds) args.push('-v', `${bind.hostPath}:${bind.containerPath}${bind.readOnly ? ':ro' : ''}`);
  for (const port of spec.ports) args.push('-p', `${port.hostPort}:${port.containerPort}/${port.protocol}`);
  if (spec.workdir !== null) args.push('-w', spec.workdir);
  if (spec.user !== null) args.push('-u', spec.user);
  if (spec.gpu) args.push('--device', 'nvidia.com/gpu=all');
  args.push(imageArgument(spec), ...spec.command);
  return args;
}

/** `podman exec -it CONTAINER CMD...`'s arguments after the program name. */
export function podmanExecArgs(container: string, command: string[]): string[] {
  if (container.startsWith('-')) throw new Error(`not a container name: ${container}`);
  return ['exec', '-i', '-t', container, ...command];
}

/** podman's own refusal (exit 125 and its "Error:" line); null when the container's exit stands. */
export function classifyPodmanExit(exit: { exitCode: number | null; signal: string | null; stderrTail: string }): JobExit | null {
  if (exit.exitCode !== 125 || exit.signal !== null) return null;
  const lines = exit.stderrTail.split(/\r?\n/).map((line) => line.trim());
  const error = lines.reverse().find((line) => line.startsWith('Error: '));
  if (!error) return null;
  return { outcome: 'failed', exitCode: 125, signal: null, message: `podman: ${error.slice('Error: '.length)}` };
}

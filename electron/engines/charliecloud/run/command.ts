// How a RunSpec becomes a ch-run command line (Charliecloud 0.31's options, checked against
// `ch-run --help` and by running them), what of a RunSpec ch-run can honour, and how ch-run's own
// refusals are told apart from the program's exit.
//
//   ch-run [-b SRC:DST]... [-c DIR] [-u UID [-g GID]] [--env-no-expand --set-env=NAME=VALUE]... IMAGE -- CMD...
//
// - Binds are read-write: 0.31 has no read-only bind. The destination must exist in the image
//   (ch-run creates it only with -w, which writes into the image; Crossdock does not use -w).
// - --set-env=NAME=VALUE: with --env-no-expand, "$" is kept as typed; the one thing 0.31 still
//   alters is a value both starting and ending with a single quote, whose outer quotes it strips,
//   so such a value is sent inside one more pair of quotes.
// - ch-run execs the program in its own process: a program that is not found is ch-run's
//   "can't execve(2): ...: No such file or directory" with exit 1, reported here as 127 (126 when
//   not executable); its other errors (image, bind, cd) are refusals, outcome "failed".
// - ch-run shares the host's network (no network namespace): "default" and "host" are the same,
//   "none" cannot be had. GPUs come from `ch-fromhost --nvidia` run on the image beforehand, not
//   from a run option.
import type { RunCapabilities, RunSpec } from '../../../../shared/run';
import type { JobExit } from '../../../jobs/runner';

export const CH_RUN = 'ch-run';

export const CHARLIECLOUD_RUN_CAPABILITIES: RunCapabilities = {
  tty: { supported: true, note: null },
  networks: ['default', 'host'],
  gpu: {
    supported: false,
    note: 'Charliecloud has no GPU option: inject the host\'s GPU libraries into the image with ch-fromhost --nvidia, then run it as usual.',
  },
  user: { supported: true, note: 'A numeric uid or uid:gid only; ch-run maps it in its user namespace, it cannot really change your uid.' },
  workdir: { supported: true, note: null },
  readOnlyBinds: { supported: false, note: 'ch-run (0.31) mounts every bind read-write; it has no read-only bind.' },
  ports: { supported: false, note: 'ch-run shares the host\'s network: a program listens on the host\'s ports directly; there is nothing to publish.' },
  exec: { supported: false, note: 'Charliecloud has no daemon and no container to enter: start another job instead.' },
  reattach: false,
  modes: [],
};

/** What in a spec ch-run cannot do, in words for the job's message; empty when it can run it. */
export function chRunProblems(spec: RunSpec, location: string | undefined): string[] {
  const problems: string[] = [];
  if (!location) problems.push('this image has no folder to run (Charliecloud runs images by their path).');
  if (spec.command.length === 0) {
    problems.push(
      'Charliecloud images carry no default command (ch-image 0.31 ignores CMD and ENTRYPOINT): give the program to run, for example /bin/sh.',
    );
  }
  if (spec.network === 'none') problems.push('ch-run shares the host\'s network; it cannot run without one.');
  if (spec.gpu) problems.push(CHARLIECLOUD_RUN_CAPABILITIES.gpu.note!);
  if (spec.user !== null && !/^\d+(:\d+)?$/.test(spec.user)) {
    problems.push(`ch-run takes a numeric uid or uid:gid, not the name "${spec.user}".`);
  }
  if (spec.binds.some((bind) => bind.readOnly)) problems.push(CHARLIECLOUD_RUN_CAPABILITIES.readOnlyBinds.note!);
  if (spec.executionMode !== null) problems.push('Charliecloud has a single way of running (no execution modes).');
  return problems;
}

/** A value as --set-env=NAME=VALUE must carry it for the container to see exactly `value`. */
export function setEnvValue(value: string): string {
  return value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? `'${value}'` : value;
}

/** ch-run's arguments after the program name. */
export function chRunArgs(spec: RunSpec, location: string): string[] {
  const args: string[] = [];
  for (const bind of spec.binds) args.push('-b', `${bind.hostPath}:${bind.containerPath}`);
  if (spec.workdir !== null) args.push('-c', spec.workdir);
  if (spec.user !== null) {
    const [uid, gid] = spec.user.split(':');
    args.push('-u', uid!);
    if (gid !== undefined) args.push('-g', gid);
  }
  if (spec.env.length > 0) {
    args.push('--env-no-expand');
    for (const variable of spec.env) args.push(`--set-env=${variable.name}=${setEnvValue(variable.value)}`);
  }
  args.push(location, '--', ...spec.command);
  return args;
}

const CH_RUN_ERROR = /^ch-run\[\d+\]: error: (.*)$/;

/**
 * ch-run's own refusal, read from the last lines it printed: null when the program itself ran
 * (its exit code stands as it is).
 */
export function classifyChRunExit(exit: { exitCode: number | null; signal: string | null; stderrTail: string }): JobExit | null {
  if (exit.exitCode !== 1 || exit.signal !== null) return null;
  const lines = exit.stderrTail.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const last = lines.at(-1);
  const match = last === undefined ? null : CH_RUN_ERROR.exec(last);
  if (!match) return null;
  // "can't execve(2): nosuch: No such file or directory (ch_core.c:410 2)"
  const words = match[1]!.replace(/\s*\([\w.-]+\.c:\d+ \d+\)$/, '');
  const execve = /^can't execve\(2\): (.*): (No such file or directory|Permission denied)$/.exec(words);
  if (execve) {
    const notFound = execve[2] === 'No such file or directory';
    return {
      outcome: 'exited',
      exitCode: notFound ? 127 : 126,
      signal: null,
      message: notFound ? `${execve[1]}: command not found in the image` : `${execve[1]}: permission denied`,
    };
  }
  return { outcome: 'failed', exitCode: 1, signal: null, message: `ch-run: ${words}` };
}

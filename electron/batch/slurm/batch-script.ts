// The batch script Crossdock gives sbatch: the same engine commands a job runs locally, one shell
// function per array task, each word single-quoted. Slurm's options go on sbatch's command line
// (sbatch-args.ts), not into #SBATCH lines, so nothing a user typed into the dialog is ever read
// by a shell; the script itself is the user's to edit before it is submitted.
//
// Slurm signals every process of the job at its time limit and on scancel (SIGTERM, then SIGKILL
// after KillWait). The engine's client gets it too, but a Docker or Podman container lives in its
// daemon: the trap ends it by name. The run goes to the background and is waited for, so that the
// trap runs at once rather than after the client exits.
import type { BatchSteps } from '../../jobs/runner';
import { commentText, shellLine, shellQuote } from '../shell-quote';

/** Stands for the container's name in the engine's commands; the script names it per task. */
export const NAME_PLACEHOLDER = 'crossdock-slurm-NAME-PLACEHOLDER';
const NAME_EXPANSION = '$crossdock_name';

export interface ScriptTask {
  /** "Docker, busybox:1.36" for the comment above the task. */
  title: string;
  steps: BatchSteps;
}

/** The container name a task's script uses, once Slurm's ids are known. */
export function containerNameOf(arrayOrJobId: string, taskIndex: number): string {
  return `crossdock-slurm-${arrayOrJobId}-${taskIndex}`;
}

/** `tasks` one per array index; a single task serves every index of an array of one spec. */
export function batchScript(tasks: readonly ScriptTask[], options: { jobName: string }): string {
  const lines = [
    '#!/bin/bash',
    `# ${commentText(options.jobName)}: written by Crossdock for sbatch. Slurm's options (partition, time, CPUs,`,
    '# memory, GPUs, array, output file) are on sbatch\'s command line, not here. Edit freely.',
    'set -u',
    '# Some engines refuse to run without $USER (ch-run), which a batch job may not be given.',
    'USER="${USER:-$(id -un)}"; export USER',
    '',
    '# One name per job and array task, for the container of engines that keep one (Docker, Podman, udocker).',
    'crossdock_name="crossdock-slurm-${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-$$}}-${SLURM_ARRAY_TASK_ID:-0}"',
    'crossdock_child=""',
    'crossdock_stop() { :; }',
    '# Slurm signals the job at its time limit and on scancel: end the container as well as its client.',
    'trap \'crossdock_stop; [ -n "$crossdock_child" ] && kill -TERM "$crossdock_child" 2>/dev/null; exit 143\' TERM INT',
    '',
    '# Runs a command in the background and waits for it, so that the trap above runs at once.',
    'crossdock_run() {',
    '  "$@" &',
    '  crossdock_child=$!',
    '  wait "$crossdock_child"',
    '}',
    '',
  ];
  tasks.forEach((task, index) => lines.push(...taskFunction(task, index), ''));
  if (tasks.length === 1) {
    lines.push('crossdock_task_0', 'exit $?');
  } else {
    lines.push('case "${SLURM_ARRAY_TASK_ID:-0}" in');
    tasks.forEach((_task, index) => lines.push(`  ${index}) crossdock_task_${index} ;;`));
    lines.push('  *) echo "crossdock: this script has no array task ${SLURM_ARRAY_TASK_ID:-}" >&2; exit 2 ;;', 'esac', 'exit $?');
  }
  return `${lines.join('\n')}\n`;
}

function taskFunction(task: ScriptTask, index: number): string[] {
  const placeholder = { text: NAME_PLACEHOLDER, expansion: NAME_EXPANSION };
  const { steps } = task;
  const lines = [`# Task ${index}: ${commentText(task.title)}`, `crossdock_task_${index}() {`];
  for (const [name, value] of Object.entries(steps.env)) {
    // Names come from the engine adapters (UDOCKER_DIR, ...); checked anyway, as a word the shell reads.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
    lines.push(`  export ${name}=${shellQuote(value)}`);
  }
  if (steps.stop.length > 0) {
    lines.push(`  crossdock_stop() { ${steps.stop.map((argv) => `${shellLine(argv, placeholder)} >/dev/null 2>&1`).join('; ')}; }`);
  }
  for (const argv of steps.prepare) lines.push(`  ${shellLine(argv, placeholder)} || return $?`);
  lines.push(`  crossdock_run ${shellLine(steps.run, placeholder)}`);
  if (steps.cleanup.length > 0) {
    lines.push('  local status=$?');
    for (const argv of steps.cleanup) lines.push(`  ${shellLine(argv, placeholder)} >/dev/null 2>&1`);
    lines.push('  return $status');
  }
  lines.push('}');
  return lines;
}

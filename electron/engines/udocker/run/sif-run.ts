// A SIF file run with udocker: no image, no container, but udocker's documented way of running a
// folder, `udocker run --location=DIR`, on Crossdock's unpacked copy of the SIF file
// (electron/sif/cache.ts), held for the job's duration. Only the PRoot modes run a folder as it
// is: the F modes patch the tree's binaries and the R modes need a container's runc spec, and the
// unpacked copy is shared by every run of the SIF file. The mode goes by
// UDOCKER_DEFAULT_EXECUTION_MODE, as there is no container to `setup`. With no command, the SIF
// file's run action runs, as `apptainer run` would.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../../shared/errors';
import type { RunSpec } from '../../../../shared/run';
import { spawnJob } from '../../../jobs/process/spawn-job';
import type { RunningJob, RunTarget } from '../../../jobs/runner';
import { sharedSifCache } from '../../../sif/cache';
import { RUN_ACTION } from '../../../sif/metadata';
import type { UdockerCli } from '../cli';
import type { ModeResult } from '../modes';
import { runArgs, withRootFlag } from './argv';
import { classifyUdockerExit } from './exit';
import { refusal } from './refusals';

/** udocker takes a word where a container name goes; with --location it only names the run. */
const LOCATION_NAME = 'crossdock-sif';
export const SIF_MODES = ['P1', 'P2'];

/** `udocker run --location=ROOTFS [options] --nobanner crossdock-sif CMD...`. */
export function sifRunArgs(spec: RunSpec, rootfs: string): string[] {
  const [run, ...rest] = runArgs(sifSpec(spec), LOCATION_NAME);
  return [run!, `--location=${rootfs}`, ...rest];
}

function sifSpec(spec: RunSpec): RunSpec {
  return spec.command.length === 0 ? { ...spec, command: [RUN_ACTION] } : spec;
}

/** The PRoot mode a SIF run uses: the one asked for, else P1 or P2, whichever ran the test container. */
export function sifMode(spec: RunSpec, modes: readonly ModeResult[] | null, engineId: string): string {
  if (spec.executionMode !== null) {
    if (!SIF_MODES.includes(spec.executionMode)) {
      throw new ApiError(
        'invalid-request',
        `udocker runs a SIF file (unpacked by Crossdock) only in its PRoot modes P1 and P2, not ${spec.executionMode}: the other modes change or need a container of their own.`,
        { engineId },
      );
    }
    return spec.executionMode;
  }
  const working = (modes ?? []).filter((result) => result.status === 'works').map((result) => result.mode as string);
  return SIF_MODES.find((mode) => working.includes(mode)) ?? 'P1';
}

export async function startSifRun(
  target: RunTarget & { sif: NonNullable<RunTarget['sif']> },
  cli: UdockerCli,
  mode: string,
  engineId: string,
  signal: AbortSignal,
): Promise<RunningJob> {
  const refused = refusal(target.spec);
  if (refused) throw new ApiError('invalid-request', refused, { engineId });
  const lease = await sharedSifCache(cli.env).lease(target.sif.path, signal);
  try {
    if (target.spec.command.length === 0 && !(await lstat(join(lease.rootfs, RUN_ACTION)).catch(() => null))) {
      throw new ApiError('invalid-request', `This SIF file has no run action (${RUN_ACTION}): give the program to run, for example /bin/sh.`, { engineId });
    }
    signal.throwIfAborted();
    const job = await spawnJob({
      file: cli.binaryPath,
      args: withRootFlag(cli.asRoot, sifRunArgs(target.spec, lease.rootfs)),
      env: { ...cli.env, UDOCKER_DEFAULT_EXECUTION_MODE: mode },
      tty: target.spec.tty,
      size: target.size,
      classifyExit: classifyUdockerExit,
    });
    void job.exit.finally(() => lease.release());
    return job;
  } catch (error) {
    lease.release();
    throw error;
  }
}

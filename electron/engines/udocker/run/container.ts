// A job's container, before and after its run: created from the image, switched to the execution
// mode (and given the NVIDIA libraries) and read back, all before `udocker run` starts; removed
// afterwards. Each step is a udocker call of its own with a time limit, in a process group of its
// own (cli.ts). A step that fails removes what the earlier ones made and throws ApiError with
// udocker's words: the job becomes "failed" and nothing of it is left behind.
import { ApiError, type ErrorKind } from '../../../../shared/errors';
import { runUdocker, udockerWords, type CliOutcome, type UdockerCli } from '../cli';
import { parseExecMode, type ExecMode } from '../modes';
import { createArgs, readSetupArgs, removeArgs, setupModeArgs, setupNvidiaArgs } from './argv';

export interface ContainerPlan {
  name: string;
  imageReference: string;
  mode: ExecMode;
  gpu: boolean;
}

export interface PreparedContainer {
  name: string;
  /** udocker's id for it (a UUID), printed by create. */
  id: string;
}

export interface StepOptions {
  engineId: string;
  signal: AbortSignal;
  /** Per udocker call; create extracts the image's layers, seconds for a large image. */
  stepTimeoutMs: number;
  log: (message: string) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m;

export async function prepareContainer(cli: UdockerCli, plan: ContainerPlan, options: StepOptions): Promise<PreparedContainer> {
  const call = { signal: options.signal, timeoutMs: options.stepTimeoutMs };
  const created = await runUdocker(cli, createArgs(plan.name, plan.imageReference), call);
  // udocker prints the id before it names the container: a create that failed at naming still
  // left a container, known only by that id.
  const id = UUID.exec(created.stdout)?.[0] ?? null;
  if (created.exitCode !== 0) {
    if (id) await removeContainer(cli, id, options);
    throw stepError(`udocker create ${plan.imageReference}`, created, options.engineId);
  }
  if (!id) {
    await removeContainer(cli, plan.name, options);
    throw new ApiError('internal', `udocker create ${plan.imageReference} printed no container id: ${udockerWords(created)}`, { engineId: options.engineId });
  }
  let nvidiaWords: string | null = null;
  try {
    // Always set, the default included: the run then does not depend on udocker's configured default.
    const setup = await runUdocker(cli, setupModeArgs(plan.name, plan.mode), call);
    if (setup.exitCode !== 0) throw stepError(`udocker setup --execmode=${plan.mode}`, setup, options.engineId);
    if (plan.gpu) {
      // Exits 0 even when it failed ("Error: host nvidia libraries not found"): the read-back tells.
      const nvidia = await runUdocker(cli, setupNvidiaArgs(plan.name), call);
      if (nvidia.cancelled || nvidia.timedOut || nvidia.spawnError) throw stepError('udocker setup --nvidia', nvidia, options.engineId);
      nvidiaWords = udockerWords(nvidia);
    }
    // A failed mode switch can leave the container in its previous mode: read it back.
    const readBack = await runUdocker(cli, readSetupArgs(plan.name), call);
    if (readBack.exitCode !== 0) throw stepError(`udocker setup ${plan.name}`, readBack, options.engineId);
    const actual = parseExecMode(readBack.stdout);
    if (actual !== plan.mode) {
      throw new ApiError('internal', `udocker left the container in execution mode ${actual ?? '(unreadable)'} instead of ${plan.mode}.`, { engineId: options.engineId });
    }
    if (plan.gpu && !/^\s*nvidiamode:\s*True\s*$/m.test(readBack.stdout)) {
      throw new ApiError('engine-unavailable', `udocker could not give the container the GPU (setup --nvidia): ${nvidiaWords ?? 'no answer'}`, { engineId: options.engineId });
    }
    return { name: plan.name, id };
  } catch (error) {
    await removeContainer(cli, id, options);
    throw error;
  }
}

/**
 * `udocker rm -f`, without the job's signal (it runs after an abort too) and with its own limit.
 * Never throws: a container that cannot be removed is logged, it does not change how the job ended.
 */
export async function removeContainer(cli: UdockerCli, nameOrId: string, options: Pick<StepOptions, 'stepTimeoutMs' | 'log'>): Promise<boolean> {
  const removed = await runUdocker(cli, removeArgs(nameOrId), { timeoutMs: options.stepTimeoutMs });
  if (removed.exitCode === 0) return true;
  options.log(`udocker: could not remove the job container ${nameOrId}: ${removed.timedOut ? 'timed out' : udockerWords(removed)}`);
  return false;
}

function stepError(step: string, outcome: CliOutcome, engineId: string): ApiError {
  let kind: ErrorKind = 'internal';
  let words = udockerWords(outcome);
  if (outcome.cancelled) {
    kind = 'cancelled';
    words = 'cancelled';
  } else if (outcome.timedOut) {
    kind = 'timeout';
    words = 'no answer in time';
  } else if (outcome.spawnError) {
    kind = 'engine-unavailable';
    words = `udocker could not be started (${outcome.spawnError})`;
  } else if (/image not found|not available|imagerepo is invalid/i.test(words)) {
    kind = 'not-found';
  }
  return new ApiError(kind, `${step} failed: ${words}`, { engineId });
}

// The exit of a container job, from the engine: the wait call's StatusCode while it runs, the
// inspect's State once it has ended. A connection that breaks meanwhile is the engine lost.
import type Dockerode from 'dockerode';
import type { JobExit } from '../../../jobs/runner';
import { toEngineError, type ErrorContext } from '../errors';
import { engineLost, exitedWith } from './exit';
import { containerError, wordsOf } from './errors';

interface WaitAnswer {
  StatusCode?: unknown;
  Error?: { Message?: unknown } | null;
}

/** A promise for a job that was let go while it ran: it has not ended, so its exit never comes. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** POST /containers/{id}/wait (condition "not-running"), after the container was started. */
export async function waitForExit(container: Dockerode.Container, errors: ErrorContext, signal: AbortSignal): Promise<JobExit> {
  try {
    const answer = (await container.wait({ abortSignal: signal })) as WaitAnswer;
    if (typeof answer.StatusCode === 'number') {
      const message = typeof answer.Error?.Message === 'string' && answer.Error.Message ? answer.Error.Message : null;
      return exitedWith(answer.StatusCode, message);
    }
    return await exitFromInspect(container, errors);
  } catch (error) {
    if (signal.aborted) return never();
    const mapped = toEngineError(error, errors);
    if (mapped.kind === 'engine-unavailable') return engineLost(mapped.message);
    // The engine is there but the wait failed (the container removed behind our back, an
    // engine's own error): what the container says, if it is still there, else the engine's words.
    return exitFromInspect(container, errors).catch(() => engineLost(`${errors.product} stopped reporting on the job: ${wordsOf(error)}`));
  }
}

/** The exit of a container that is no longer running, from its State. */
export async function exitFromInspect(container: Dockerode.Container, errors: ErrorContext): Promise<JobExit> {
  try {
    const { State } = await container.inspect();
    if (State.Running) return engineLost(`${errors.product} stopped waiting for the job's container, which still runs.`);
    return exitedWith(State.ExitCode, State.Error ? State.Error : null);
  } catch (error) {
    return engineLost(containerError(error, errors, container.id).message);
  }
}

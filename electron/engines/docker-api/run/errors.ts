// Errors of job calls in the user's words. The engine-wide mapping (errors.ts one folder up) knows
// images; here a 404 is about the job's container or its image, said as such.
import { ApiError } from '../../../../shared/errors';
import { engineWords, toEngineError, type ErrorContext } from '../errors';

export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

/** The engine's own words for any error dockerode throws. */
export function wordsOf(error: unknown): string {
  return typeof error === 'object' && error !== null ? engineWords(error) : String(error);
}

/** Creating the container: a 404 is the image (a missing image is never pulled). */
export function createError(error: unknown, context: ErrorContext, image: string): ApiError {
  if (statusOf(error) === 404) {
    return new ApiError('not-found', `The image ${image} is not in ${context.product}: ${wordsOf(error)}`, { engineId: context.engineId });
  }
  return toEngineError(error, { ...context, subject: image });
}

/** Any call on an existing container or exec: a 404 is that container, gone. */
export function containerError(error: unknown, context: ErrorContext, containerId: string): ApiError {
  if (statusOf(error) === 404) {
    return new ApiError('not-found', `The job's container ${containerId.slice(0, 12)} is no longer in ${context.product}: ${wordsOf(error)}`, {
      engineId: context.engineId,
    });
  }
  return toEngineError(error, context);
}

/** Whether a call on a container failed only because the container already ended or went. */
export function isAlreadyGone(error: unknown): boolean {
  const status = statusOf(error);
  // 304: already stopped; 404: removed; 409: not running (kill), removal in progress.
  return status === 304 || status === 404 || status === 409;
}
